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
    /**
     * Whether the pack (its process, its pipes and its start-up timer) keeps this process's event
     * loop alive; it does until told otherwise. The plan lets go of it while the program runs, so
     * that a program left with nothing to run (a promise that never settles) empties the loop and
     * is noticed, instead of waiting forever beside the pack. The pipes stay open either way: the
     * pack still ends with this process (pack-watchdog.ts). `stop()` holds it again before waiting.
     */
    holdEventLoop(hold: boolean): void;
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
    let timer: NodeJS.Timeout | undefined;
    const holdEventLoop = (hold: boolean) => {
        // The pipes are net.Sockets, which have ref()/unref(); the stream types do not say so.
        for (const handle of [child, child.stdin, child.stdout, child.stderr, timer] as ({ ref?(): void; unref?(): void } | null | undefined)[]) {
            if (hold) handle?.ref?.();
            else handle?.unref?.();
        }
    };
    const stop = async () => {
        // Waiting for the exit needs the child's handle referenced, or the loop could end first.
        holdEventLoop(true);
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
            const detail = meaningfulLine(stderr);
            reject(new Error(`policy pack ${pack.entry} (cwd ${pack.packDir}) ${why}${detail ? `: ${detail}` : ""}`));
        };
        timer = setTimeout(() => fail(`printed no port within ${timeoutMs} ms`), timeoutMs);
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
    return { pid: child.pid, ready, stop, holdEventLoop };
}

/** An error line as Node prints it: `Error: ...`, `TypeError: ...`, `Error [ERR_REQUIRE_ESM]: ...`. */
const ERROR_LINE = /^(?:[A-Z][\w$]*)?(?:Error|Exception)(?: \[[\w.-]+\])?: /;

/**
 * The line of the pack's stderr that says what went wrong: the first that starts with an error
 * name (a crash prints the source line and a caret before it, and the error's properties and
 * Node's version after it), else the last non-empty one.
 */
export function meaningfulLine(stderr: string): string {
    const lines = stderr.split("\n").map((line) => line.trim()).filter((line) => line !== "");
    return lines.find((line) => ERROR_LINE.test(line)) ?? lines[lines.length - 1] ?? "";
}
