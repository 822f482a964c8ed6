/**
 * The parent side of `mock-run`: runs a consumer's compiled program in its own Node process under
 * the mock runtime, with a stack's config, and returns what it registered. The reuse tests use it
 * for the installed tarball and for every example project.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { MockRunRequest, MockRunResult } from "./mock-run";

export interface RunProgramOptions {
    /** Absolute path of the compiled entry module. */
    readonly program: string;
    readonly project: string;
    readonly stack: string;
    /** The region the cloud stand-ins answer for. */
    readonly region: string;
    /** Stack config as `pulumi config` stores it: `<namespace>:<key>` to the value as a string. */
    readonly config?: Record<string, string>;
    /** Working directory of the program (Pulumi runs a program from its project directory). */
    readonly cwd?: string;
    /** Outputs of the stacks the program reads through `pulumi.StackReference`, by stack name. */
    readonly stackReferences?: Record<string, Record<string, unknown>>;
}

export function runProgramUnderMocks(opts: RunProgramOptions): MockRunResult {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-mock-run-"));
    try {
        const request: MockRunRequest = {
            program: opts.program,
            project: opts.project,
            stack: opts.stack,
            region: opts.region,
            output: path.join(work, "result.json"),
            stackReferences: opts.stackReferences,
        };
        fs.writeFileSync(path.join(work, "request.json"), JSON.stringify(request));
        const run = childProcess.spawnSync(process.execPath, [path.join(__dirname, "mock-run.js"), path.join(work, "request.json")], {
            cwd: opts.cwd ?? path.dirname(opts.program),
            encoding: "utf8",
            env: {
                ...process.env,
                PULUMI_CONFIG: JSON.stringify(opts.config ?? {}),
                PULUMI_NODEJS_PROJECT: opts.project,
                PULUMI_NODEJS_STACK: opts.stack,
            },
            timeout: 120_000,
        });
        if (run.status !== 0 || !fs.existsSync(request.output)) {
            throw new Error(`program ${opts.program} (stack ${opts.stack}) failed under mocks, exit ${run.status}:\n${run.stderr}${run.stdout}`);
        }
        return JSON.parse(fs.readFileSync(request.output, "utf8")) as MockRunResult;
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** `type::name` of every registration, sorted: the shape assertions compare whole lists of these. */
export function typeNames(result: MockRunResult): string[] {
    return result.resources.map((r) => `${r.type}::${r.name}`).sort();
}

/** The single registration with this type and name; throws (naming what exists) otherwise. */
export function registration(result: MockRunResult, type: string, name: string): MockRunResult["resources"][number] {
    const found = result.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected exactly one ${type} named ${name}, found ${found.length}; registered: ${typeNames(result).join(", ")}`);
    }
    return found[0];
}
