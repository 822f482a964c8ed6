/**
 * Every way a user can give the plan bad input ends the same way: exit 2, one line on stderr that
 * names the file, the key, the bad value and what is allowed, no stack trace, nothing on stdout.
 * A program that fails for other reasons exits 1 with one line (its stack only on request).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MINI_PROJECT, REPO_ROOT, copyProject, removeDir, runCli, snapshotDir } from "./cli-runner";

interface Case {
    title: string;
    /** Pulumi.dev.yaml (and other stack files) of the temp copy. */
    stackFiles: Record<string, string>;
    args?: string[];
    editProject?: (project: Record<string, unknown>) => void;
    /** The one line after "eks-irsa-lbc: "; `DIR` stands for the temp project dir. */
    message: string;
}

const CASES: Case[] = [
    {
        title: "a stack without a settings file, listing the stacks that exist",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n", "Pulumi.prod.yaml": "config: {}\n" },
        args: ["--stack", "staging"],
        message: 'stack "staging" not found: no Pulumi.staging.yaml in DIR; existing stacks: dev, prod',
    },
    {
        title: "a misspelt stack, with a suggestion",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n", "Pulumi.prod.yaml": "config: {}\n" },
        args: ["--stack", "prdo"],
        message: 'stack "prdo" not found: no Pulumi.prdo.yaml in DIR; existing stacks: dev, prod (did you mean "prod"?)',
    },
    {
        title: "a stack name that could escape the project dir",
        stackFiles: { "Pulumi.dev.yaml": "config: {}\n" },
        args: ["--stack", "../dev"],
        message: 'stack name "../dev" is invalid: use letters, digits, hyphens, underscores and periods',
    },
    {
        title: "an unknown key, with a suggestion and the declared keys",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n  mini:replica: 3\n" },
        message: 'invalid stack config "dev": Pulumi.dev.yaml: unknown key "mini:replica" (did you mean "mini:replicas"?); ' +
            "Pulumi.yaml declares clusterName, replicas, enableShield, subnetTags, licenseKey, failInApply",
    },
    {
        title: "an unknown namespace",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n  awz:region: us-east-1\n" },
        message: 'invalid stack config "dev": Pulumi.dev.yaml: unknown namespace "awz" in key "awz:region" (did you mean "aws:region"?); ' +
            "known namespaces: mini, aws, kubernetes, pulumi",
    },
    {
        title: "keys the project types without a default, left unset",
        stackFiles: { "Pulumi.dev.yaml": "config: {}\n" },
        editProject: (project) => { (project.config as Record<string, unknown>).vpcId = { type: "string" }; },
        message: 'invalid stack config "dev": Pulumi.dev.yaml: missing "mini:clusterName", "mini:vpcId": ' +
            "Pulumi.yaml types them without a default, so every stack must set them",
    },
    {
        title: "values of the wrong type, all reported at once",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: 42\n  mini:replicas: two\n  mini:enableShield: yes please\n  mini:subnetTags: [a, 3]\n" },
        message: 'invalid stack config "dev": Pulumi.dev.yaml: "mini:clusterName" must be a string, got number 42 (quote it in YAML); ' +
            'Pulumi.dev.yaml: "mini:replicas" must be an integer, got string "two"; ' +
            'Pulumi.dev.yaml: "mini:enableShield" must be a boolean (true or false), got string "yes please"; ' +
            'Pulumi.dev.yaml: "mini:subnetTags" item 1 must be a string, got number 3 (quote it in YAML)',
    },
    {
        title: "an encrypted value for a key that is not a string",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n  mini:replicas:\n    secure: v1:AAAABBBB\n" },
        message: 'invalid stack config "dev": Pulumi.dev.yaml: "mini:replicas" is encrypted (secure), which the offline plan cannot decrypt, ' +
            "and a placeholder is no integer: give planned stacks a plain value",
    },
    {
        title: "a secret key in plain text",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n  mini:licenseKey: abc123\n" },
        message: 'invalid stack config "dev": Pulumi.dev.yaml: "mini:licenseKey" is declared secret, so it must be encrypted: ' +
            "set it with `pulumi config set --secret`",
    },
    {
        title: "an unknown region",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n  aws:region: us-west-9\n" },
        message: 'invalid stack config "dev": aws:region "us-west-9" is not a known AWS region (e.g. us-west-2, eu-west-1, cn-north-1, us-gov-west-1)',
    },
    {
        title: "an unknown field in the stack file",
        stackFiles: { "Pulumi.dev.yaml": "confg:\n  mini:clusterName: demo\n" },
        message: 'invalid stack config "dev": Pulumi.dev.yaml: unknown field "confg" (allowed: config, secretsprovider, encryptedkey, encryptionsalt, environment); ' +
            'Pulumi.dev.yaml: missing "mini:clusterName": Pulumi.yaml types it without a default, so every stack must set it',
    },
    {
        title: "a stack file that is not YAML",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: [demo\n" },
        message: "Pulumi.dev.yaml: invalid YAML (line 3, column 1): unexpected end of the stream within a flow collection",
    },
    {
        title: "a project file with a type Pulumi does not have",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n" },
        editProject: (project) => { (project.config as Record<string, unknown>).replicas = { type: "number" }; },
        message: 'Pulumi.yaml: config key "replicas": type "number" is not one of string, integer, boolean, array',
    },
    {
        title: "a provider key with a default in the project file",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n" },
        editProject: (project) => { (project.config as Record<string, unknown>)["aws:region"] = { default: "us-east-1" }; },
        message: `Pulumi.yaml: config key "aws:region": is not the project's key, so it may not declare a default; use {value: ...}`,
    },
    {
        title: "a project file key with both a default and a value",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n" },
        editProject: (project) => { (project.config as Record<string, unknown>).zone = { default: "a", value: "b" }; },
        message: 'Pulumi.yaml: config key "zone": has both default and value; keep one',
    },
    {
        title: "input the program's own validation rejects",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n  mini:replicas: 0\n" },
        message: 'invalid stack config "dev": replicas: 0 is not allowed: at least 1',
    },
    {
        title: "a program that is not compiled",
        stackFiles: { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n" },
        editProject: (project) => { project.main = "dist/missing.js"; },
        message: "no compiled program at DIR/dist/missing.js: run `npm run build` (or `npm ci`) first",
    },
];

describe("plan refuses bad input with exit 2 and one line", function () {
    this.timeout(60_000);
    for (const testCase of CASES) {
        it(testCase.title, () => {
            const dir = copyProject(MINI_PROJECT, testCase.stackFiles, testCase.editProject);
            try {
                const before = snapshotDir(dir);
                const run = runCli(["plan", ...(testCase.args ?? [])], dir);
                assert.deepStrictEqual(run, { status: 2, stdout: "", stderr: `eks-irsa-lbc: ${testCase.message.replace(/DIR/g, dir)}\n` });
                assert.deepStrictEqual(snapshotDir(dir), before, "the plan wrote into the project");
            } finally {
                removeDir(dir);
            }
        });
    }

    it("outside any project", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-empty-"));
        try {
            assert.deepStrictEqual(runCli(["plan"], dir), {
                status: 2, stdout: "",
                stderr: `eks-irsa-lbc: no Pulumi.yaml in ${dir} or any directory above it: run the plan in the project or pass --cwd DIR\n`,
            });
        } finally {
            removeDir(dir);
        }
    });
});

describe("plan reports a failing program with exit 1 and one line", function () {
    this.timeout(60_000);
    let dir: string;
    before(() => { dir = copyProject(MINI_PROJECT, { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n  mini:failInApply: true\n" }); });
    after(() => removeDir(dir));

    const MESSAGE = "mini: planning cluster demo in us-west-2\n" +
        'eks-irsa-lbc: plan: the program failed: error serializing property "metadata": error serializing property "outputs": ' +
        'error serializing property "assumeRolePolicy": the fixture was asked to fail inside apply\n';

    it("without a stack trace by default", () => {
        assert.deepStrictEqual(runCli(["plan"], dir), { status: 1, stdout: "", stderr: MESSAGE });
    });

    it("with the stack trace under --verbose", () => {
        const run = runCli(["plan", "--verbose"], dir);
        assert.strictEqual(run.status, 1);
        assert.ok(run.stderr.startsWith(MESSAGE + "Error: "), run.stderr);
        assert.match(run.stderr, /\n {4}at .*program\.js:\d+:\d+/);
    });
});

describe("plan fails a program that never finishes with exit 1 and one line, and stops the pack", function () {
    this.timeout(60_000);
    const PULUMI = JSON.stringify(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"));
    const AWS = JSON.stringify(path.join(REPO_ROOT, "node_modules", "@pulumi", "aws"));
    const MESSAGE = "eks-irsa-lbc: plan: the program never finished: its exported promise or an apply never settled, and nothing was left to run\n";
    const programs: [string, string][] = [
        ["an exported promise that never settles and holds nothing", "module.exports = new Promise(() => {});\n"],
        ["a resource input that never settles", `const aws = require(${AWS});\nnew aws.iam.Role("r", { assumeRolePolicy: new Promise(() => {}) });\nexports.done = true;\n`],
        // The timer lets the pack print its port and the handshake run first: neither the idle
        // channel nor the pack may then keep the plan waiting.
        ["an apply that never settles, noticed once the pack is up", `const pulumi = require(${PULUMI});\nsetTimeout(() => undefined, 2000);\n` +
            "exports.value = pulumi.output(1).apply(() => new Promise(() => {}));\n"],
    ];
    for (const [title, program] of programs) {
        it(title, function () {
            if (!fs.existsSync("/proc/self/environ")) this.skip();
            const dir = copyProject(MINI_PROJECT, { "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n", "program.js": program },
                (project) => { project.main = "program.js"; });
            const tag = `${process.pid}-${Date.now()}`;
            try {
                assert.deepStrictEqual(runCli(["plan"], dir, { EKS_IRSA_LBC_TEST_TAG: tag }), { status: 1, stdout: "", stderr: MESSAGE });
                assert.deepStrictEqual(processesTagged(`EKS_IRSA_LBC_TEST_TAG=${tag}`), [], "the pack (or the plan) is still running");
            } finally {
                removeDir(dir);
            }
        });
    }
});

/** Processes whose environment holds `entry` (the plan's children inherit it). */
function processesTagged(entry: string): string[] {
    return fs.readdirSync("/proc").filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
        try {
            const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
            if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z") return false; // exited, not yet reaped
            return fs.readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(entry);
        } catch {
            return false; // gone meanwhile, or not ours to read
        }
    });
}
