/**
 * `plan` end to end: the program runs under mocks in a child process, the policy pack runs as its
 * own process, and the results come back over the Analyzer protocol into the text and JSON output
 * and the exit code. Broken stacks are written into temp copies of a project, never into the repo.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { copyProject, removeDir, REPO_ROOT, runCli } from "../plan/cli-runner";

const HAND_WRITTEN = path.join(REPO_ROOT, "test", "policy-pack", "fixtures", "hand-written");
const BROKEN_STACK = [
    "config:",
    "  handwritten:trustedServiceAccount: aws-load-balancer-controller",
    "  handwritten:chartServiceAccount: lbc",
    "",
].join("\n");
const urn = (stack: string, type: string, name: string) => `urn:pulumi:${stack}::handwritten::pulumi:pulumi:Stack$${type}::${name}`;

describe("plan runs the policy pack over the Analyzer protocol", function () {
    this.timeout(120_000);
    let brokenDir: string;
    let configDir: string;

    before(() => {
        brokenDir = copyProject(HAND_WRITTEN, { "Pulumi.broken.yaml": BROKEN_STACK });
        configDir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-pack-config-"));
    });
    after(() => {
        removeDir(brokenDir);
        removeDir(configDir);
    });

    it("passes a correct hand-written stack and says so after the resource tree", () => {
        const run = runCli(["plan", "--cwd", HAND_WRITTEN], REPO_ROOT);
        assert.strictEqual(run.stderr, "");
        assert.strictEqual(run.status, 0);
        const policyPart = run.stdout.slice(run.stdout.indexOf("\nIRSA chain:\n") + 1);
        assert.match(policyPart, /^IRSA chain:\n  works   role lbc-role ↔ service account kube-system\/aws-load-balancer-controller: STS accepts/);
        assert.ok(policyPart.endsWith(
            "Policy pack eks-irsa-lbc@0.1.0 (10 policies, run as its own process over the Analyzer protocol: 5 resources analyzed, then the stack):\n" +
            "  no violations\n" +
            "No mandatory policy violation.\n"), policyPart);
    });

    it("fails a stack whose chart runs the controller as another account than the role trusts (exit 1, irsa-chain-intact)", () => {
        const run = runCli(["plan", "--cwd", brokenDir, "--stack", "broken", "--json"], REPO_ROOT);
        assert.strictEqual(run.stderr, "");
        assert.strictEqual(run.status, 1);
        const policy = JSON.parse(run.stdout).policy;
        assert.strictEqual(policy.mandatoryFailed, true);
        assert.deepStrictEqual(policy.chains.map((c: any) => [c.role, c.serviceAccount, c.verdict.status, c.verdict.link]), [
            ["lbc-role", "kube-system/aws-load-balancer-controller", "broken", "trust-policy-denies"],
        ]);
        assert.deepStrictEqual(policy.violations.map((v: any) => [v.policyName, v.policyPackName, v.enforcementLevel, v.urn, v.stage, /\[rule ([a-z-]+) at /.exec(v.message)?.[1]]), [
            ["irsa-chain-intact", "eks-irsa-lbc", "mandatory", urn("broken", "aws:iam/role:Role", "lbc-role"), "analyze-stack", "trust-policy-denies"],
            ["irsa-chain-intact", "eks-irsa-lbc", "mandatory", urn("broken", "kubernetes:helm.sh/v3:Release", "lbc-chart"), "analyze-stack", "helm-service-account-mismatch"],
        ]);
        assert.ok(policy.violations[0].message.includes(`the token's value is "system:serviceaccount:kube-system:lbc"`), policy.violations[0].message);
    });

    it("prints the failing policy on the resource at fault in text", () => {
        const run = runCli(["plan", "--cwd", brokenDir, "--stack", "broken"], REPO_ROOT);
        assert.strictEqual(run.status, 1);
        const lines = run.stdout.split("\n");
        assert.deepStrictEqual(lines.filter((l) => /^  (mandatory|advisory) /.test(l)), [
            "  mandatory irsa-chain-intact on aws:iam/role:Role lbc-role",
            "  mandatory irsa-chain-intact on kubernetes:helm.sh/v3:Release lbc-chart",
        ]);
        assert.strictEqual(lines.at(-2), "2 mandatory policy violations: `pulumi up --policy-pack policy-pack` would refuse to run.");
    });

    it("passes the configuration to the pack: the chain policy made advisory no longer fails the plan", () => {
        const file = path.join(configDir, "advisory.json");
        fs.writeFileSync(file, JSON.stringify({ "irsa-chain-intact": "advisory" }));
        const run = runCli(["plan", "--cwd", brokenDir, "--stack", "broken", "--json", "--policy-pack-config", file], REPO_ROOT);
        assert.strictEqual(run.status, 0);
        const policy = JSON.parse(run.stdout).policy;
        assert.deepStrictEqual(policy.violations.map((v: any) => [v.policyName, v.enforcementLevel]), [
            ["irsa-chain-intact", "advisory"],
            ["irsa-chain-intact", "advisory"],
        ]);
        assert.strictEqual(policy.mandatoryFailed, false);
    });

    it("refuses a policy configuration the pack's schema does not allow, in one line, exit 2", () => {
        const file = path.join(configDir, "bad.json");
        fs.writeFileSync(file, JSON.stringify({ "irsa-chain-intact": { serviceAccountsManagedInStack: "yes" }, "no-such-policy": "mandatory" }));
        const run = runCli(["plan", "--cwd", HAND_WRITTEN, "--policy-pack-config", file], REPO_ROOT);
        assert.deepStrictEqual({ status: run.status, stdout: run.stdout, stderr: run.stderr }, {
            status: 2,
            stdout: "",
            stderr: `eks-irsa-lbc: --policy-pack-config ${file}: policy config: unknown policy "no-such-policy" (allowed: all, irsa-chain-intact, irsa-wiring-least-privilege, irsa-role-trust-valid, irsa-role-trust-least-privilege, irsa-oidc-provider-client-ids, lbc-controller-policy-permissions, irsa-service-account-annotation, lbc-helm-release-values, lbc-helm-release-known-keys, node-instance-metadata-options); ` +
                `policy config "irsa-chain-intact.serviceAccountsManagedInStack": "yes" is not of type boolean\n`,
        });
    });

    it("passes this project's dev stack with no mandatory violation", () => {
        const run = runCli(["plan", "--json"], REPO_ROOT);
        assert.strictEqual(run.stderr, "");
        assert.strictEqual(run.status, 0);
        const policy = JSON.parse(run.stdout).policy;
        assert.deepStrictEqual(policy.violations.filter((v: any) => v.enforcementLevel === "mandatory"), []);
        assert.deepStrictEqual(policy.chains.map((c: any) => c.verdict.status), ["works"]);
    });
});
