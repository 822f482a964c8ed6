/**
 * The `eks-irsa-lbc` command line: `check` judges wiring snapshots, `plan` runs the Pulumi program
 * offline under mocks. Each command module exports `run(argv): Promise<number>` (the exit code);
 * user mistakes are reported as one line and exit 2, never a stack trace.
 */
import { UsageError } from "./usage-error";

// Every option each command accepts (cli/check.ts and cli/plan.ts parse them; keep this in step),
// so that `eks-irsa-lbc --help` alone tells a user what they can type.
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
].join("\n");

export async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case "check":
                return await (await import("./check")).run(rest);
            case "plan":
                return await (await import("./plan")).run(rest);
            case "-h":
            case "--help":
            case "help":
                process.stdout.write(USAGE + "\n");
                return 0;
            case undefined:
                // A mistake, not a request for help: the usage goes to stderr, so stdout stays empty
                // for a script that captured it.
                process.stderr.write(`eks-irsa-lbc: no command given: expected one of check, plan\n${USAGE}\n`);
                return 2;
            default:
                throw new UsageError(`unknown command ${JSON.stringify(command)}: expected one of check, plan`);
        }
    } catch (err) {
        if (err instanceof UsageError) {
            process.stderr.write(`eks-irsa-lbc: ${err.message}\n`);
            return 2;
        }
        throw err;
    }
}
