/**
 * `eks-irsa-lbc` without a command, with `--help`, and with an unknown command: usage is output
 * only when asked for (stdout, exit 0); as the answer to a mistake it goes to stderr with exit 2.
 */
import * as assert from "assert";
import { MINI_PROJECT, runCli } from "../plan/cli-runner";

const USAGE = [
    "usage: eks-irsa-lbc <command> [options]",
    "",
    "commands:",
    "  check [--json] [--] FILE...",
    "      judge IRSA wiring snapshots (JSON files); exit 0 clean, 1 findings, 2 bad input",
    "      --json                     print one JSON document instead of text",
    "      --                         every later argument is a FILE, even one starting with \"-\"",
    "  plan [--stack NAME] [--json] [--cwd DIR] [--verbose] [--policy-pack-config FILE]",
    "      run the Pulumi program offline under mocks and show what `pulumi up` would create;",
    "      exit 0 planned, 1 the program or a mandatory policy failed, 2 bad flag, stack or config",
    "      --stack NAME, -s NAME      the stack whose Pulumi.<NAME>.yaml to use (default: dev, or the only stack)",
    "      --json                     print one JSON document instead of text",
    "      --cwd DIR                  the project directory (default: the nearest directory upwards with a Pulumi.yaml)",
    "      --verbose                  show the stack trace when the program fails",
    "      --policy-pack-config FILE  policy configuration for the policy pack, as for `pulumi preview`",
    "",
    "`eks-irsa-lbc <command> --help` prints one command's usage.",
    "",
].join("\n");

describe("eks-irsa-lbc: the command dispatcher", function () {
    this.timeout(60_000);

    for (const flag of ["--help", "-h", "help"]) {
        it(`prints the usage of every command and its options on stdout for ${flag}, exit 0`, () => {
            assert.deepStrictEqual(runCli([flag], MINI_PROJECT), { status: 0, stdout: USAGE, stderr: "" });
        });
    }

    it("refuses a missing command with exit 2, the usage on stderr and nothing on stdout", () => {
        assert.deepStrictEqual(runCli([], MINI_PROJECT), {
            status: 2,
            stdout: "",
            stderr: `eks-irsa-lbc: no command given: expected one of check, plan\n${USAGE}`,
        });
    });

    it("refuses an unknown command with exit 2 and one line on stderr", () => {
        assert.deepStrictEqual(runCli(["chek"], MINI_PROJECT), {
            status: 2,
            stdout: "",
            stderr: 'eks-irsa-lbc: unknown command "chek": expected one of check, plan\n',
        });
    });

    it("lists exactly the flags plan accepts (each one parses)", () => {
        // Every option the usage names for plan is one that plan's own parser knows: `--help` after
        // it still answers with plan's usage instead of an unknown-flag error.
        for (const args of [["--json"], ["--verbose"], ["--stack", "x"], ["-s", "x"], ["--cwd", "."], ["--policy-pack-config", "f"]]) {
            const run = runCli(["plan", ...args, "--help"], MINI_PROJECT);
            assert.deepStrictEqual([args, run.status, run.stderr], [args, 0, ""]);
        }
    });
});
