/**
 * The `eks-irsa-lbc` command line: `check` judges wiring snapshots, `plan` runs the Pulumi program
 * offline under mocks. Each command module exports `run(argv): Promise<number>` (the exit code);
 * user mistakes are reported as one line and exit 2, never a stack trace.
 */
import { UsageError } from "./usage-error";

const USAGE = [
    "usage: eks-irsa-lbc <command> [options]",
    "",
    "commands:",
    "  check [--json] FILE...          judge IRSA wiring snapshots (exit 0 clean, 1 findings, 2 bad input)",
    "  plan [--stack NAME] [--json]    run the Pulumi program offline under mocks and show what `pulumi up` would create",
].join("\n");

export async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case "check":
                return await (await import("./check")).run(rest);
            case "plan":
                return await (await import("./plan")).run(rest);
            case undefined:
            case "-h":
            case "--help":
            case "help":
                process.stdout.write(USAGE + "\n");
                return command === undefined ? 2 : 0;
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
