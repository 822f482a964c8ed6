/**
 * The offline plan: runs the project's compiled Pulumi program for one stack under Pulumi's mock
 * runtime, with deterministic cloud stand-ins, and records what `pulumi up` would create. This is
 * the seam between running and showing: renderers and the policy-pack client take its result.
 *
 * Mocks are process-global in the Pulumi SDK, so a process can run one plan; the CLI runs one
 * plan per process and tests spawn the CLI.
 */
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { Partition, partitionOfRegion } from "../core/partition";
import { PlanInputError } from "./plan-input-error";
import { readProjectFile } from "./project-file";
import type { RecordedResource } from "./recorded-resource";
import { RecordableMonitor, ResourceRecorder } from "./resource-recorder";
import { AWS_REGION_PROBLEM_PREFIX, REGION_EXAMPLES, defaultStack, resolveStackConfig } from "./stack-config";
import { cloudStandIns, DEFAULT_STAND_IN_ACCOUNT_ID } from "./stand-ins";

export interface PlanOptions {
    /** The directory holding `Pulumi.yaml`. */
    projectDir: string;
    /** @default `dev` when it exists, else the only stack there is */
    stack?: string;
    /**
     * Called once the stack and its config are accepted, just before the SDK and the program load:
     * the CLI configures the policy pack for the stack here, so that the handshake starts as soon as
     * the pack's port is read (during the program where the program waits for anything).
     */
    onInputAccepted?: (accepted: { stack: string; project: string }) => void;
    /**
     * Called with `true` just before the program loads and with `false` once it has finished
     * (however it finished): the CLI lets go of the policy pack's handles in between, so that a
     * program with nothing left to run is noticed (see `runProgram`).
     */
    onProgramRunning?: (running: boolean) => void;
    /** @default the project's cloud stand-ins (`./stand-ins`) */
    standIns?: (opts: { region: string; stack: string; project: string; accountId: string }) => pulumi.runtime.Mocks;
}

export interface PlanResult {
    project: string;
    stack: string;
    projectDir: string;
    /** The compiled program that ran. */
    program: string;
    /** Every config key the program saw, as resolved from the stack file and project defaults. */
    config: Record<string, unknown>;
    region: string;
    partition: Partition;
    /** The account the stand-ins pretend to be. */
    accountId: string;
    /** In registration order; the stack resource first. */
    resources: RecordedResource[];
    /** The stack's outputs, secrets shown as `[secret]`. */
    outputs: Record<string, unknown>;
}

/** The program failed for a reason that is not the user's config (a bug, a missing stand-in). */
export class PlanProgramError extends Error {
    constructor(message: string, readonly original: unknown) {
        super(message);
        this.name = "PlanProgramError";
    }
}

export async function runPlan(opts: PlanOptions): Promise<PlanResult> {
    const project = readProjectFile(opts.projectDir);
    const stack = opts.stack ?? defaultStack(project);
    const config = resolveStackConfig(project, stack, providerNamespaces(project.dir), { deferIgnoredAwsRegion: true });
    // An ignored aws:region, when it is the stack file's only problem: the program still runs, so
    // that the problems it finds in its input are listed with it (one run shows every problem).
    const pending = config.awsRegionProblem === undefined ? [] : [config.awsRegionProblem];
    // The project's own `region` key wins: a program that declares one builds its provider from it.
    const regionKey = [`${project.name}:region`, "aws:region"].find((key) => key in config.values);
    if (regionKey === undefined) {
        throw new PlanInputError(`invalid stack config "${stack}": no region: set ${project.name}:region or aws:region in Pulumi.${stack}.yaml or ${project.fileName}`);
    }
    const region = String(config.values[regionKey]);
    const partition = partitionOfRegion(region);
    if (partition === undefined) {
        const problem = `${regionKey} ${JSON.stringify(region)} is not a known AWS region (e.g. ${REGION_EXAMPLES.join(", ")})`;
        throw new PlanInputError(`invalid stack config "${stack}": ${[problem, ...pending].join("; ")}`);
    }
    const program = resolveProgram(project.main);
    const accountId = DEFAULT_STAND_IN_ACCOUNT_ID;
    const standIns = (opts.standIns ?? cloudStandIns)({ region, stack, project: project.name, accountId });

    opts.onInputAccepted?.({ stack, project: project.name });
    // Loaded only once the input is known to be good: a config mistake is reported without paying for the SDK.
    // A program run under mocks never serializes a closure nor runs the CLI, so the SDK's `typescript`,
    // `normalize-package-data` and `execa` wait until used.
    await import("../startup/lazy-modules");
    const pulumi = await import("@pulumi/pulumi");
    pulumi.runtime.setAllConfig(config.runtimeValues, config.secretKeys);
    await pulumi.runtime.setMocks(standIns, project.name, stack, false);
    const recorder = new ResourceRecorder();
    recorder.attach(pulumi.runtime.getMonitor() as unknown as RecordableMonitor);

    const failure = await runProgram(pulumi, program, project.dir, opts.onProgramRunning);
    if (failure !== undefined) {
        throw classifyFailure(failure, stack, pending);
    }
    if (pending.length > 0) {
        throw new PlanInputError(`invalid stack config "${stack}": ${pending.join("; ")}`);
    }
    return {
        project: project.name,
        stack,
        projectDir: project.dir,
        program,
        config: config.values,
        region,
        partition,
        accountId,
        resources: recorder.resources(),
        outputs: recorder.outputs(),
    };
}

/**
 * Runs the program the way Pulumi's Node.js host does (its exports become the stack's outputs)
 * and waits for every registration to settle. Returns the first error, wherever it surfaced: a
 * throw at load time, a rejected `apply`, a failed registration or an error the SDK logged.
 */
async function runProgram(pulumi: typeof import("@pulumi/pulumi"), program: string, projectDir: string,
    onProgramRunning: ((running: boolean) => void) | undefined): Promise<unknown> {
    let failure: unknown;
    const remember = (err: unknown) => { failure ??= err; };
    const previousCwd = process.cwd();
    const previousLog = console.log;
    const previousInfo = console.info;
    // stdout belongs to the plan (and must stay one JSON document under --json); the program's prints go to stderr.
    console.log = console.info = (...args: unknown[]) => console.error(...args);
    process.on("unhandledRejection", remember);
    process.on("uncaughtException", remember);
    const errorsLoggedBefore = loggedErrorCount();
    // A program whose exported promise (or an apply, or a registration waiting on one) never
    // settles, and that holds no timer or socket, leaves the event loop empty: Node then emits
    // "beforeExit". Pulumi's own host fails the run then; so does the plan, rather than wait forever.
    let onEmptyLoop = () => undefined as void;
    const neverFinished = new Promise<void>((resolve) => { onEmptyLoop = resolve; }).then(() => {
        failure ??= new ProgramNeverFinishedError();
    });
    try {
        process.chdir(projectDir);
        process.once("beforeExit", onEmptyLoop);
        onProgramRunning?.(true);
        const ran = (async () => {
            await pulumi.runtime.runInPulumiStack(async () => {
                const exported = require(program);
                return typeof exported === "function" ? await exported() : exported;
            }).catch(remember);
            await pulumi.runtime.disconnect().catch(remember);
        })();
        await Promise.race([ran, neverFinished]);
        if (failure instanceof ProgramNeverFinishedError) {
            return failure;
        }
        // Rejections are reported on a later turn of the event loop; give them that turn.
        await new Promise((resolve) => setImmediate(resolve));
        const errorsLogged = loggedErrorCount() - errorsLoggedBefore;
        if (failure === undefined && errorsLogged > 0) {
            failure = new Error(`the program logged ${errorsLogged} error(s) (shown above)`);
        }
    } finally {
        onProgramRunning?.(false);
        process.off("beforeExit", onEmptyLoop);
        process.chdir(previousCwd);
        process.off("unhandledRejection", remember);
        process.off("uncaughtException", remember);
        console.log = previousLog;
        console.info = previousInfo;
    }
    return failure;
}

/** The program's run could not go on: nothing was left to run, and it had not finished. */
class ProgramNeverFinishedError extends Error {
    constructor() {
        super("the program never finished: its exported promise or an apply never settled, and nothing was left to run");
        this.name = "ProgramNeverFinishedError";
    }
}

/**
 * Input validation by the components, or by the program of its own stack config, is the user's
 * mistake (exit 2); anything else is not. `pending` are the plan's own config problems that waited
 * for the program: listed first, and the program's own report of the same aws:region dropped.
 */
function classifyFailure(failure: unknown, stack: string, pending: readonly string[]): Error {
    for (let err: unknown = failure; err instanceof Error; err = err.cause) {
        const problems = (err as { problems?: unknown }).problems;
        if ((err.name === "InvalidArgumentsError" || err.name === "InvalidStackConfigError") && Array.isArray(problems)) {
            const own = pending.length === 0 ? problems : problems.filter((p) => !String(p).startsWith(AWS_REGION_PROBLEM_PREFIX));
            return new PlanInputError(`invalid stack config "${stack}": ${[...pending, ...own].join("; ")}`);
        }
        if (err instanceof PlanInputError) {
            return err;
        }
    }
    if (pending.length > 0) {
        // The config is wrong either way; the user fixes that first (exit 2).
        return new PlanInputError(`invalid stack config "${stack}": ${pending.join("; ")}`);
    }
    if (failure instanceof ProgramNeverFinishedError) {
        return new PlanProgramError(failure.message, failure);
    }
    const message = failure instanceof Error ? failure.message : String(failure);
    return new PlanProgramError(`the program failed: ${message.split("\n")[0]}`, failure);
}

/** Where Pulumi's Node.js host would find the program, refusing TypeScript (the plan never compiles). */
function resolveProgram(main: string): string {
    let program: string;
    try {
        program = require.resolve(main);
    } catch {
        throw new PlanInputError(`no compiled program at ${main}: run \`npm run build\` (or \`npm ci\`) first`);
    }
    if (program.endsWith(".ts")) {
        throw new PlanInputError(`the program ${program} is TypeScript: the offline plan runs compiled JavaScript; point main (Pulumi.yaml or package.json) at the compiled file`);
    }
    return program;
}

/** Provider config namespaces the project may set: one per `@pulumi/<name>` package it depends on (in any role). */
function providerNamespaces(projectDir: string): string[] {
    const namespaces = new Set(["pulumi"]);
    const packageFile = path.join(projectDir, "package.json");
    if (fs.existsSync(packageFile)) {
        const manifest = JSON.parse(fs.readFileSync(packageFile, "utf8")) as Record<string, Record<string, string> | undefined>;
        const declared = ["dependencies", "peerDependencies", "devDependencies"].flatMap((field) => Object.keys(manifest[field] ?? {}));
        for (const name of declared) {
            if (name.startsWith("@pulumi/") && name !== "@pulumi/policy") {
                namespaces.add(name.slice("@pulumi/".length));
            }
        }
    }
    return [...namespaces].sort();
}

function loggedErrorCount(): number {
    const store = (globalThis as { globalStore?: { logErrorCount?: number } }).globalStore;
    return store?.logErrorCount ?? 0;
}
