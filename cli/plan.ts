/**
 * `eks-irsa-lbc plan [--stack NAME] [--json] [--cwd DIR] [--verbose] [--policy-pack-config FILE]`:
 * runs the Pulumi program offline under mocks (plan/run.ts), then the policy step (chain verdicts
 * and the policy pack, plan/policy-step.ts), and prints what `pulumi up` would create. Exit 0 on
 * success, 2 for a user mistake (flag, stack, config, input the components reject), 1 when the
 * program fails or a mandatory policy fails; never a stack trace unless asked for (--verbose, DEBUG).
 */
import type { PolicyPackSession } from "../plan/analyzer-client";
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
    // The pack is a second Node process that needs about as long to load as the program: start it
    // first, before this process loads the SDK, gRPC and protobuf, so that it loads beside them
    // (the plan then takes about one load, not two). If the input is then refused, it is stopped.
    const packProcess = await import("../plan/pack-process");
    const pack = packProcess.spawnPolicyPack(packProcess.PROJECT_POLICY_PACK, 60_000);
    // Loaded only now: `--help` and flag mistakes should not pay for loading the Pulumi SDK.
    const { findProjectDir } = await import("../plan/project-file");
    const { PlanInputError } = await import("../plan/plan-input-error");
    let configured: Promise<PolicyPackSession> | undefined;
    // What was under way when something failed, for the one-line report.
    let step = "the offline run";
    try {
        const { runPlan, PlanProgramError } = await import("../plan/run");
        const policy = await import("../plan/policy-step");
        const configure = (accepted: { stack: string; project: string }) => {
            // The handshake (`GetAnalyzerInfo`, `Configure`, `ConfigureStack`) needs the stack, not
            // the resources: start it as soon as the pack's port is read (the program's loading is
            // synchronous, so that is when the program waits for something, or after it).
            configured = policy.configurePlanPolicies({ ...accepted, configFile: flags.policyPackConfig, started: pack.ready });
        };
        let plan: Awaited<ReturnType<typeof runPlan>>;
        try {
            plan = await runPlan({
                projectDir: findProjectDir(flags.cwd ?? process.cwd()), stack: flags.stack, onInputAccepted: configure,
                // While the program runs, the pack must not keep this process alive: a program with
                // nothing left to run would otherwise wait beside it forever (run.ts notices it).
                onProgramRunning: (running) => pack.holdEventLoop(!running),
            });
        } catch (err) {
            if (err instanceof PlanProgramError) throw new ReportedFailure(err.message, err.original);
            throw err;
        }
        step = "the policy step";
        const report = await policy.runPlanPolicies({
            resources: plan.resources, stack: plan.stack, project: plan.project, configFile: flags.policyPackConfig, started: pack.ready, configured,
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
        const message = err instanceof ReportedFailure ? err.message : `${step} failed: ${firstLine(err)}`;
        process.stderr.write(`eks-irsa-lbc: plan: ${message}\n`);
        const original = err instanceof ReportedFailure ? err.original : err;
        if ((flags.verbose || process.env.DEBUG) && original instanceof Error && original.stack) {
            process.stderr.write(original.stack + "\n");
        }
        return 1;
    } finally {
        // Stops the pack whatever happened, also before it printed its port (a refused config), and
        // closes the channel when the plan failed before the policy step could (closing twice is harmless).
        await configured?.then((session) => session.close(), () => undefined);
        await pack.stop();
    }
}

/** The program's own failure, with its message already written for the user. */
class ReportedFailure extends Error {
    constructor(message: string, readonly original: unknown) {
        super(message);
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
