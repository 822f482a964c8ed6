/**
 * The policy pack's process, apart from the Analyzer client: this module loads nothing but Node's
 * own, so the CLI can start the pack (which takes as long to load as the program) before it loads
 * the Pulumi SDK, gRPC and protobuf for itself.
 */
import * as childProcess from "child_process";
import * as path from "path";

/** The repository root, seen from `dist/plan/` (compiled) or `plan/` (ts-node). */
const REPO_ROOT = path.basename(path.resolve(__dirname, "..")) === "dist"
    ? path.resolve(__dirname, "..", "..")
    : path.resolve(__dirname, "..");

export interface PolicyPackLocation {
    /** Directory holding the pack's `package.json` and `PulumiPolicy.yaml`; the process runs here. */
    packDir: string;
    /** The compiled entry point that constructs the `PolicyPack`. */
    entry: string;
}

/** This project's pack: sources in `policy-pack/`, compiled to `dist/policy-pack/index.js`. */
export const PROJECT_POLICY_PACK: PolicyPackLocation = {
    packDir: path.join(REPO_ROOT, "policy-pack"),
    entry: path.join(REPO_ROOT, "dist", "policy-pack", "index.js"),
};

export interface RunningPack {
    port: number;
    stop(): Promise<void>;
}

/** A pack process being started: `ready` once it printed its port; `stop` at any time, before that too. */
export interface StartingPack {
    ready: Promise<RunningPack>;
    stop(): Promise<void>;
}

/** Starts the pack as the Pulumi CLI's policy host does and waits for the port on its first stdout line. */
export function startPolicyPackProcess(pack: PolicyPackLocation, timeoutMs: number): Promise<RunningPack> {
    return spawnPolicyPack(pack, timeoutMs).ready;
}

/** As `startPolicyPackProcess`, with a handle that can stop the pack before it is ready (a refused config). */
export function spawnPolicyPack(pack: PolicyPackLocation, timeoutMs: number): StartingPack {
    const child = childProcess.spawn(process.execPath, [pack.entry], {
        cwd: pack.packDir,
        stdio: ["ignore", "pipe", "pipe"],
        env: process.env,
    });
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    const stop = async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        await exited;
    };
    const ready = new Promise<RunningPack>((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        let settled = false;
        const fail = (why: string) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            void stop();
            const detail = stderr.trim().split("\n").slice(-5).join(" | ");
            reject(new Error(`policy pack ${pack.entry} (cwd ${pack.packDir}) ${why}${detail ? `: ${detail}` : ""}`));
        };
        const timer = setTimeout(() => fail(`printed no port within ${timeoutMs} ms`), timeoutMs);
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
            stdout += chunk;
            if (settled) return;
            const newline = stdout.indexOf("\n");
            if (newline < 0) return;
            const first = stdout.slice(0, newline).trim();
            const port = Number(first);
            if (!/^\d+$/.test(first) || port <= 0 || port > 65535) {
                fail(`printed ${JSON.stringify(first)} where its port was expected`);
                return;
            }
            settled = true;
            clearTimeout(timer);
            resolve({ port, stop });
        });
        child.once("error", (err) => fail(`could not start: ${err.message}`));
        child.once("exit", (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before printing its port`));
    });
    // A pack that cannot start is reported by whoever awaits `ready`, not as a stray rejection.
    ready.catch(() => undefined);
    return { ready, stop };
}
