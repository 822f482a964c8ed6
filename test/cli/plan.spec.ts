/**
 * `eks-irsa-lbc plan` as users run it: its flags, and the project's own dev stack planned offline
 * with the exact documents `pulumi up` would send (trust policy, ServiceAccount, Helm values).
 */
import * as assert from "assert";
import { MINI_PROJECT, runCli } from "../plan/cli-runner";

describe("eks-irsa-lbc plan: flags", function () {
    this.timeout(60_000);
    const refused: [string[], string][] = [
        [["--bogus"], 'plan: unknown flag "--bogus": expected --stack NAME, --json, --cwd DIR, --verbose, --policy-pack-config FILE'],
        [["--stack"], "plan: --stack needs a value"],
        [["--stack", "--json"], "plan: --stack needs a value"],
        [["--stack="], "plan: --stack needs a value"],
        [["--json=yes"], "plan: --json takes no value"],
        [["dev"], 'plan: unexpected argument "dev": plan takes no positional arguments (use --stack NAME)'],
        [["--cwd", "/nonexistent/project"], "project directory /nonexistent/project does not exist"],
    ];
    for (const [args, message] of refused) {
        it(`refuses ${args.join(" ")} with exit 2 and one line`, () => {
            assert.deepStrictEqual(runCli(["plan", ...args], MINI_PROJECT), { status: 2, stdout: "", stderr: `eks-irsa-lbc: ${message}\n` });
        });
    }

    it("prints its usage for --help and exits 0", () => {
        const run = runCli(["plan", "--help"], MINI_PROJECT);
        assert.deepStrictEqual({ status: run.status, stderr: run.stderr, first: run.stdout.split("\n")[0] }, {
            status: 0, stderr: "",
            first: "usage: eks-irsa-lbc plan [--stack NAME] [--json] [--cwd DIR] [--verbose] [--policy-pack-config FILE]",
        });
    });

    it("accepts --stack=NAME", () => {
        const run = runCli(["plan", "--stack=gov", "--json"], MINI_PROJECT);
        assert.deepStrictEqual({ status: run.status, stack: JSON.parse(run.stdout).stack }, { status: 0, stack: "gov" });
    });
});
