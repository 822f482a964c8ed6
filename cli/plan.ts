/**
 * `eks-irsa-lbc plan [--stack NAME] [--json] [--cwd DIR] [--verbose] [--policy-pack-config FILE]`:
 * runs the Pulumi program offline under mocks (plan/run.ts), then the policy step (chain verdicts
 * and the policy pack, plan/policy-step.ts), and prints what `pulumi up` would create. Exit 0 on
 * success, 2 for a user mistake (flag, stack, config, input the components reject), 1 when the
 * program fails or a mandatory policy fails; never a stack trace unless asked for (--verbose, DEBUG).
 */
import type { RunningPack } from "../plan/analyzer-client";
import { UsageError } from "./usage-error";

interface PlanFlags {
    stack?: string;
    json: boolean;
    cwd?: string;
    verbose: boolean;
    help: boolean;
    policyPackConfig?: string;
}

const PLAN_USAGE = [
    "usage: eks-irsa-lbc plan [--stack NAME] [--json] [--cwd DIR] [--verbose] [--policy-pack-config FILE]",
    "",
    "Runs the project's compiled Pulumi program under Pulumi's mock runtime with deterministic stand-ins",
    "for AWS (nothing is sent to AWS or Kubernetes) and prints what `pulumi up` would create.",
    "",
    "  --stack NAME   the stack whose Pulumi.<NAME>.yaml to use (default: dev, or the only stack)",
    "  --json         print one JSON document instead of text",
    "  --cwd DIR      the project directory (default: the nearest directory upwards with a Pulumi.yaml)",
    "  --verbose      show the stack trace when the program fails (also: DEBUG set)",
    "  --policy-pack-config FILE  policy configuration for the policy pack, as for `pulumi preview`",
    "",
    "The project's policy pack (policy-pack/) then runs as its own process over the Analyzer protocol.",
    "",
    "exit codes: 0 planned, 1 the program failed or a mandatory policy failed, 2 bad flag, stack or config",
].join("\n");

export async function run(argv: string[]): Promise<number> {
    const flags = parseFlags(argv);
    if (flags.help) {
        process.stdout.write(PLAN_USAGE + "\n");
        return 0;
    }
    (await import("../plan/compile-cache")).enableCompileCache();
    // Loaded only now: `--help` and flag mistakes should not pay for loading the Pulumi SDK.
    const { findProjectDir } = await import("../plan/project-file");
    const { PlanInputError } = await import("../plan/plan-input-error");
    const { runPlan, PlanProgramError } = await import("../plan/run");
    const analyzer = await import("../plan/analyzer-client");
    let packStarted: Promise<RunningPack> | undefined;
    const startPack = () => {
        // The pack is a second Node process that needs as long to load as the program: start it now,
        // let it load while the program runs (the plan then takes about one load, not two).
        packStarted = analyzer.startPolicyPackProcess(analyzer.PROJECT_POLICY_PACK, 60_000);
        // A failed start is reported when the policy step awaits it, not as a stray rejection.
        packStarted.catch(() => undefined);
    };
    // What was under way when something failed, for the one-line report.
    let step = "the offline run";
    try {
        const plan = await runPlan({ projectDir: findProjectDir(flags.cwd ?? process.cwd()), stack: flags.stack, onInputAccepted: startPack });
        step = "the policy step";
        const policy = await import("../plan/policy-step");
        const report = await policy.runPlanPolicies({
            resources: plan.resources, stack: plan.stack, project: plan.project, configFile: flags.policyPackConfig, started: packStarted,
        });
        if (flags.json) {
            const document = { ...(await import("../plan/render-json")).planDocument(plan), policy: policy.policyJson(report) };
            process.stdout.write(JSON.stringify(document, null, 2) + "\n");
        } else {
            process.stdout.write((await import("../plan/render-text")).renderText(plan) + "\n" + policy.renderPolicyText(report, plan.resources));
        }
        return report.pack.mandatoryFailed ? 1 : 0;
    } catch (err) {
        if (err instanceof PlanInputError) {
            throw new UsageError(err.message);
        }
        // The program failed, or a step could not run (e.g. the pack is not built): one line, the
        // trace only on request.
        const message = err instanceof PlanProgramError ? err.message : `${step} failed: ${firstLine(err)}`;
        process.stderr.write(`eks-irsa-lbc: plan: ${message}\n`);
        const original = err instanceof PlanProgramError ? err.original : err;
        if ((flags.verbose || process.env.DEBUG) && original instanceof Error && original.stack) {
            process.stderr.write(original.stack + "\n");
        }
        return 1;
    } finally {
        // Stops the pack when the plan failed before the policy step could (stopping twice is harmless).
        await packStarted?.then((pack) => pack.stop(), () => undefined);
    }
}

function firstLine(err: unknown): string {
    return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

function parseFlags(argv: string[]): PlanFlags {
    const flags: PlanFlags = { json: false, verbose: false, help: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [name, inlineValue] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        const value = (): string => {
            const v = inlineValue ?? argv[++i];
            if (v === undefined || v === "" || (inlineValue === undefined && v.startsWith("-"))) {
                throw new UsageError(`plan: ${name} needs a value`);
            }
            return v;
        };
        switch (name) {
            case "--stack":
            case "-s":
                flags.stack = value();
                break;
            case "--cwd":
                flags.cwd = value();
                break;
            case "--policy-pack-config":
                flags.policyPackConfig = value();
                break;
            case "--json":
            case "--verbose":
            case "--help":
            case "-h":
                if (inlineValue !== undefined) {
                    throw new UsageError(`plan: ${name} takes no value`);
                }
                if (name === "--json") flags.json = true;
                else if (name === "--verbose") flags.verbose = true;
                else flags.help = true;
                break;
            default:
                throw new UsageError(arg.startsWith("-")
                    ? `plan: unknown flag ${JSON.stringify(name)}: expected --stack NAME, --json, --cwd DIR, --verbose, --policy-pack-config FILE`
                    : `plan: unexpected argument ${JSON.stringify(arg)}: plan takes no positional arguments (use --stack NAME)`);
        }
    }
    return flags;
}
