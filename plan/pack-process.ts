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

/**
 * Preloaded into every pack this module starts: the pack exits when its stdin pipe closes, i.e. when
 * the process that started it is gone, even one killed with SIGKILL (see pack-watchdog.ts). Always
 * the compiled file, beside the compiled pack, since `node --require` cannot load TypeScript.
 */
export const PACK_WATCHDOG = path.join(REPO_ROOT, "dist", "plan", "pack-watchdog.js");

export interface RunningPack {
    port: number;
    stop(): Promise<void>;
}

/** A pack process being started: `ready` once it printed its port; `stop` at any time, before that too. */
export interface StartingPack {
    /** The pack's process id; undefined when the process could not be started at all. */
    pid: number | undefined;
    ready: Promise<RunningPack>;
    stop(): Promise<void>;
}

/** Starts the pack as the Pulumi CLI's policy host does and waits for the port on its first stdout line. */
export function startPolicyPackProcess(pack: PolicyPackLocation, timeoutMs: number): Promise<RunningPack> {
    return spawnPolicyPack(pack, timeoutMs).ready;
}

/** As `startPolicyPackProcess`, with a handle that can stop the pack before it is ready (a refused config). */
export function spawnPolicyPack(pack: PolicyPackLocation, timeoutMs: number): StartingPack {
    // stdin is a pipe this process never writes to, only so that its end tells the pack (through
    // the preloaded watchdog) that this process is gone. The command-line `--require` adds to any
    // preloads in NODE_OPTIONS (the bench's peak-rss.js) rather than replacing them.
    const child = childProcess.spawn(process.execPath, ["--require", PACK_WATCHDOG, pack.entry], {
        cwd: pack.packDir,
        stdio: ["pipe", "pipe", "pipe"],
        env: process.env,
    });
    // Nothing is written to it; the pack exiting first must not surface as an unhandled EPIPE.
    child.stdin.on("error", () => undefined);
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
    return { pid: child.pid, ready, stop };
}
