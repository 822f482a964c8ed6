/**
 * `eks-irsa-lbc check` as a user runs it: the real bin on the pinned Node, exit codes 0/1/2, the text
 * and JSON outputs, one-line errors naming file and field, and files left untouched.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { analyze, parseSnapshot } from "../../core";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const BIN = path.join(REPO_ROOT, "bin", "eks-irsa-lbc.js");
const CASES = path.resolve(REPO_ROOT, "..", "shared", "corpus", "cases");
const CLEAN = path.join(CASES, "c46.json");
const ONE_WARNING = path.join(CASES, "c15.json");
const BROKEN = path.join(CASES, "c20.json");

function check(...args: string[]) {
    return checkWithInput(undefined, ...args);
}

function checkWithInput(input: string | undefined, ...args: string[]) {
    const result = spawnSync(process.execPath, [BIN, "check", ...args], { cwd: REPO_ROOT, encoding: "utf8", input });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectedAnalysis(file: string) {
    const analysis = analyze(parseSnapshot(JSON.parse(fs.readFileSync(file, "utf8"))));
    return { file, chain: analysis.chain, findings: analysis.findings };
}

describe("eks-irsa-lbc check", function () {
    this.timeout(30_000);
    let scratch: string;
    before(() => { scratch = fs.mkdtempSync(path.join(os.tmpdir(), "check-spec-")); });
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("exits 0 and says so when a file has no finding", () => {
        const run = check(CLEAN);
        assert.deepEqual(run, {
            code: 0,
            stderr: "",
            stdout: [
                `${CLEAN}: chain works: STS accepts the token of kube-system/aws-load-balancer-controller (sub "system:serviceaccount:kube-system:aws-load-balancer-controller", aud "sts.amazonaws.com") for arn:aws:iam::111122223333:role/AmazonEKSLoadBalancerControllerRole`,
                "  no findings",
                "",
                "1 file: 0 broken chains, 0 errors, 0 warnings",
                "",
            ].join("\n"),
        });
    });

    it("exits 1 and prints each finding with its rule, path, message and fix", () => {
        const run = check(ONE_WARNING);
        assert.deepEqual(run, {
            code: 1,
            stderr: "",
            stdout: [
                `${ONE_WARNING}: chain works: STS accepts the token of kube-system/aws-load-balancer-controller (sub "system:serviceaccount:kube-system:aws-load-balancer-controller", aud "sts.amazonaws.com") for arn:aws:iam::111122223333:role/AmazonEKSLoadBalancerControllerRole`,
                "  warning trust-aud-not-pinned  (trustPolicy.Statement[0].Condition)",
                '          trustPolicy.Statement[0] has no condition on "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud"; any token of this issuer for another audience is accepted',
                '          fix: Add StringEquals "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com".',
                "",
                "1 file: 0 broken chains, 0 errors, 1 warning",
                "",
            ].join("\n"),
        });
    });

    it("names the broken link first for a broken chain", () => {
        const run = check(BROKEN);
        assert.equal(run.code, 1);
        assert.equal(run.stdout.split("\n")[0],
            `${BROKEN}: chain BROKEN at provider-missing: no IAM OIDC provider exists for the issuer https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE in account 111122223333; STS refuses the token (InvalidIdentityToken: no OpenIDConnect provider found)`);
    });

    it("prints one JSON document [{file, chain, findings}] with --json, in argument order", () => {
        const run = check("--json", BROKEN, CLEAN, ONE_WARNING);
        assert.equal(run.code, 1);
        assert.equal(run.stderr, "");
        assert.deepEqual(JSON.parse(run.stdout), [expectedAnalysis(BROKEN), expectedAnalysis(CLEAN), expectedAnalysis(ONE_WARNING)]);
    });

    it("reads a bare snapshot as well as a case file", () => {
        const bare = path.join(scratch, "bare.json");
        fs.writeFileSync(bare, JSON.stringify(JSON.parse(fs.readFileSync(ONE_WARNING, "utf8")).input));
        const run = check("--json", bare);
        assert.equal(run.code, 1);
        const [result] = JSON.parse(run.stdout);
        assert.deepEqual({ chain: result.chain, findings: result.findings }, { chain: expectedAnalysis(ONE_WARNING).chain, findings: expectedAnalysis(ONE_WARNING).findings });
    });

    it("exits 0 for --json when no file has a finding", () => {
        const run = check(CLEAN, "--json");
        assert.equal(run.code, 0);
        assert.deepEqual(JSON.parse(run.stdout), [expectedAnalysis(CLEAN)]);
    });

    describe("bad input: exit 2, one line on stderr naming file and field, nothing on stdout", () => {
        const cases: [string, () => string[], (dir: string) => string][] = [
            ["a missing file", () => [path.join(scratch, "missing.json")], (d) => `eks-irsa-lbc: ${path.join(d, "missing.json")}: cannot read: no such file`],
            ["a directory", () => [scratch], (d) => `eks-irsa-lbc: ${d}: cannot read: is a directory`],
            ["invalid JSON", () => [write("broken.json", "{\"cluster\": ")], (d) => `eks-irsa-lbc: ${path.join(d, "broken.json")}: invalid JSON: Unexpected end of JSON input`],
            ["a field of the wrong type", () => [write("type.json", JSON.stringify({ cluster: { region: ["us-west-2"] } }))], (d) => `eks-irsa-lbc: ${path.join(d, "type.json")}: cluster.region is ["us-west-2"] (an array); expected a string`],
            ["a misspelt field", () => [write("field.json", JSON.stringify({ id: "x", input: { trustpolicy: {} } }))], (d) => `eks-irsa-lbc: ${path.join(d, "field.json")}: input.trustpolicy is not a field of a wiring snapshot; allowed: cluster, oidcProvider, trustPolicy, serviceAccount, helmRelease, helmValues, controllerPolicy, nodeMetadataOptions, subnets, loadBalancer, creationOrder, intendedSubjects, podIdentityAssociation`],
            ["a bad file after a good one", () => [CLEAN, write("late.json", "[]")], (d) => `eks-irsa-lbc: ${path.join(d, "late.json")}: the document is [] (an array); expected a JSON object (a wiring snapshot, or a case file with "input")`],
            ["a document nested 5,000 levels deep (no stack trace)", () => [write("deep.json", `{"intendedSubjects":${"[".repeat(5000)}"x"${"]".repeat(5000)}}`)],
                (d) => `eks-irsa-lbc: ${path.join(d, "deep.json")}: intendedSubjects${"[0]".repeat(63)} is nested more than 64 levels deep; no field of a wiring snapshot is (flatten or remove it)`],
            ["a byte that is not UTF-8 (Latin-1 é in a value)", () => [writeBytes("latin1.json", Buffer.concat([Buffer.from('{"cluster":{"name":"caf'), Buffer.from([0xe9]), Buffer.from('"}}')]))],
                (d) => `eks-irsa-lbc: ${path.join(d, "latin1.json")}: not UTF-8: the bytes at offset 23 (0xe9 0x22) are no UTF-8 character; a JSON snapshot must be UTF-8 (save it as UTF-8)`],
            ["a bad byte after a U+FFFD the file really holds", () => [writeBytes("replacement.json", Buffer.concat([Buffer.from('{"x":"\ufffd'), Buffer.from([0x80]), Buffer.from('"}')]))],
                (d) => `eks-irsa-lbc: ${path.join(d, "replacement.json")}: not UTF-8: the bytes at offset 9 (0x80) are no UTF-8 character; a JSON snapshot must be UTF-8 (save it as UTF-8)`],
            ["a sequence cut short (E2 82 then an ASCII byte)", () => [writeBytes("cut.json", Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xe2, 0x82]), Buffer.from('A"}')]))],
                (d) => `eks-irsa-lbc: ${path.join(d, "cut.json")}: not UTF-8: the bytes at offset 6 (0xe2 0x82 0x41) are no UTF-8 character; a JSON snapshot must be UTF-8 (save it as UTF-8)`],
            ["a UTF-16 file", () => [writeBytes("utf16.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("{}", "utf16le")]))],
                (d) => `eks-irsa-lbc: ${path.join(d, "utf16.json")}: not UTF-8: the bytes at offset 0 (0xff) are no UTF-8 character (it starts with a UTF-16 byte-order mark); a JSON snapshot must be UTF-8 (save it as UTF-8)`],
            ["a UTF-16 file without a byte-order mark", () => [writeBytes("utf16-nobom.json", Buffer.from("{}", "utf16le"))],
                (d) => `eks-irsa-lbc: ${path.join(d, "utf16-nobom.json")}: not UTF-8 JSON: byte 1 is 0x00, which JSON does not allow (a file with NUL bytes is likely UTF-16 without a byte-order mark); a JSON snapshot must be UTF-8 (save it as UTF-8)`],
            ["an empty path", () => [""], () => 'eks-irsa-lbc: check: FILE "" is an empty path; give a file, or - for standard input; usage: eks-irsa-lbc check [--json] FILE...'],
            ["an unknown option", () => ["--yaml", CLEAN], () => 'eks-irsa-lbc: check: unknown option "--yaml"; usage: eks-irsa-lbc check [--json] FILE...'],
            ["no file", () => ["--json"], () => "eks-irsa-lbc: check: no FILE given; usage: eks-irsa-lbc check [--json] FILE..."],
        ];
        function write(name: string, text: string): string {
            return writeBytes(name, Buffer.from(text));
        }
        function writeBytes(name: string, bytes: Buffer): string {
            const file = path.join(scratch, name);
            fs.writeFileSync(file, bytes);
            return file;
        }
        for (const [name, args, message] of cases) {
            it(name, () => {
                assert.deepEqual(check(...args()), { code: 2, stdout: "", stderr: message(scratch) + "\n" });
            });
        }
    });

    it("escapes control characters and bidi overrides from the snapshot in text output, never passing them to the terminal", () => {
        const file = path.join(scratch, "control.json");
        const principal = "arn:aws:iam::111122223333:role/x\u001b[31mred\nforged line\u202e\u0085";
        fs.writeFileSync(file, JSON.stringify({ trustPolicy: { Statement: [{ Effect: "Allow", Principal: { Federated: principal }, Action: "sts:AssumeRoleWithWebIdentity" }] } }));
        const run = check(file);
        assert.equal(run.code, 1);
        assert.doesNotMatch(run.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
        const escaped = "arn:aws:iam::111122223333:role/x\\u001b[31mred\\nforged line\\u202e\\u0085";
        assert.ok(run.stdout.startsWith(`${file}: chain BROKEN at trust-document-invalid: Federated principal "${escaped}" is a role ARN, not an identity provider; IAM refuses it\n`), run.stdout);
        assert.equal(run.stdout.split("\n").length, 7);
        // JSON output carries the value itself, escaped by JSON.
        assert.equal(JSON.parse(check("--json", file).stdout)[0].findings[0].message, `Federated principal "${principal}" is a role ARN, not an identity provider; IAM refuses it`);
    });

    it("reads a snapshot from standard input for -, beside files", () => {
        const run = checkWithInput(fs.readFileSync(ONE_WARNING, "utf8"), "--json", CLEAN, "-");
        assert.equal(run.code, 1, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), [expectedAnalysis(CLEAN), { ...expectedAnalysis(ONE_WARNING), file: "(stdin)" }]);
        assert.deepEqual(checkWithInput("{}", "-", "-"), { code: 2, stdout: "", stderr: 'eks-irsa-lbc: check: "-" (standard input) given more than once; usage: eks-irsa-lbc check [--json] FILE...\n' });
        assert.deepEqual(checkWithInput("[", "-"), { code: 2, stdout: "", stderr: "eks-irsa-lbc: (stdin): invalid JSON: Unexpected end of JSON input\n" });
    });

    it("accepts a file that starts with a UTF-8 byte-order mark", () => {
        const file = path.join(scratch, "bom.json");
        fs.writeFileSync(file, "\ufeff" + fs.readFileSync(CLEAN, "utf8"));
        const run = check("--json", file);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), [{ ...expectedAnalysis(CLEAN), file }]);
    });

    it("changes nothing it reads", () => {
        const copy = path.join(scratch, "copy.json");
        fs.copyFileSync(ONE_WARNING, copy);
        const before = { text: fs.readFileSync(copy, "utf8"), mtime: fs.statSync(copy).mtimeMs };
        const entries = fs.readdirSync(scratch).sort();
        check(copy);
        check("--json", copy);
        assert.deepEqual({ text: fs.readFileSync(copy, "utf8"), mtime: fs.statSync(copy).mtimeMs }, before);
        assert.deepEqual(fs.readdirSync(scratch).sort(), entries);
    });

    it("runs through npm run check", () => {
        const npm = spawnSync("npm", ["run", "--silent", "check", "--", "--json", CLEAN], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, PATH: `${path.join(REPO_ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}` } });
        assert.equal(npm.status, 0, npm.stderr);
        assert.deepEqual(JSON.parse(npm.stdout), [expectedAnalysis(CLEAN)]);
    });
});
