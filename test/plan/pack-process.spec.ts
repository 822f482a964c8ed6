/**
 * The policy pack process the plan starts (plan/pack-process.ts) and its watchdog
 * (plan/pack-watchdog.ts): the pack ends with the process that started it, however that process
 * ends, and the watchdog changes nothing else about the process it is preloaded into.
 */
import * as assert from "assert";
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { PACK_WATCHDOG, PROJECT_POLICY_PACK, meaningfulLine, spawnPolicyPack } from "../../plan/pack-process";

const PACK_PROCESS_MODULE = path.resolve(__dirname, "..", "..", "plan", "pack-process.js");

/**
 * Whether `pid` still runs. A process that has exited but is not yet reaped by whoever adopted it
 * (a zombie) still answers `kill(pid, 0)`; it runs nothing any more, so on Linux it counts as gone.
 */
function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
        throw err;
    }
    if (!fs.existsSync("/proc/self/stat")) return true; // no /proc: kill(pid, 0) is all there is
    try {
        // /proc/<pid>/stat: "<pid> (<comm>) <state> ..."; comm may hold spaces or parentheses.
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch {
        return false; // reaped between the two looks
    }
}

async function waitUntilGone(pid: number, withinMs: number): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
        if (!isRunning(pid)) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return !isRunning(pid);
}

/** The first line `child` prints on stdout, or a rejection with its stderr if it exits first. */
function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => reject(new Error(`no line within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        child.stderr!.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
        child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
            stdout += chunk;
            if (stdout.includes("\n")) {
                clearTimeout(timer);
                resolve(stdout.slice(0, stdout.indexOf("\n")));
            }
        });
        child.once("exit", (code, signal) => {
            clearTimeout(timer);
            reject(new Error(`exited (${signal ?? code}) before a line; stderr: ${stderr}`));
        });
    });
}

/** Runs `node --require <watchdog> -e <script>` to its end: exit status and output, or null after `timeoutMs`. */
function runWithWatchdog(script: string, stdin: "pipe" | "ignore", timeoutMs: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string } | null> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["--require", PACK_WATCHDOG, "-e", script], { stdio: [stdin, "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout!.setEncoding("utf8").on("data", (chunk: string) => { stdout += chunk; });
        child.stderr!.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            resolve(null);
        }, timeoutMs);
        // The stdin pipe, when there is one, stays open (this process never closes it) until the child is done.
        child.once("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr });
        });
    });
}

describe("the policy pack process", function () {
    this.timeout(30_000);

    it("exits within 5 s when the process that started it is killed with SIGKILL, with NODE_OPTIONS preloads still loaded", async () => {
        // The parent is a separate Node process (this one must survive), started as the bench starts
        // the plan: with a preload in NODE_OPTIONS, which the pack inherits beside the watchdog. The
        // preload leaves a file named after each process's pid, so the pack's file proves it ran.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-pack-"));
        const preload = path.join(dir, "preload.js");
        fs.writeFileSync(preload, `require("fs").writeFileSync(require("path").join(${JSON.stringify(dir)}, String(process.pid) + ".pid"), "");\n`);
        const script = [
            `const p = require(${JSON.stringify(PACK_PROCESS_MODULE)});`,
            "const pack = p.spawnPolicyPack(p.PROJECT_POLICY_PACK, 20000);",
            "pack.ready.then((running) => process.stdout.write(`${pack.pid} ${running.port}\\n`), (err) => { process.stderr.write(String(err)); process.exit(3); });",
        ].join("\n");
        const parent = spawn(process.execPath, ["-e", script], {
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(preload)}`.trim() },
        });
        let packPid: number | undefined;
        try {
            const [pidText, portText] = (await firstLine(parent, 20_000)).split(" ");
            packPid = Number(pidText);
            assert.ok(Number.isInteger(packPid) && packPid > 0 && Number(portText) > 0, `"${pidText} ${portText}" is a pid and a port`);
            assert.strictEqual(isRunning(packPid), true);
            assert.strictEqual(fs.existsSync(path.join(dir, `${packPid}.pid`)), true, "the NODE_OPTIONS preload ran in the pack");

            const parentGone = new Promise((resolve) => parent.once("exit", resolve));
            parent.kill("SIGKILL");
            await parentGone;
            assert.strictEqual(await waitUntilGone(packPid, 5_000), true, `pack ${packPid} still runs 5 s after its parent was killed`);
        } finally {
            if (parent.exitCode === null && parent.signalCode === null) parent.kill("SIGKILL");
            // A failed run must not leave the pack behind for the rest of the suite.
            if (packPid !== undefined && isRunning(packPid)) process.kill(packPid, "SIGKILL");
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("serves on the port it printed while its starter lives, and stop() ends it", async () => {
        const pack = spawnPolicyPack(PROJECT_POLICY_PACK, 20_000);
        const pid = pack.pid;
        assert.ok(pid !== undefined);
        try {
            const running = await pack.ready;
            // Still there a while after it printed its port: the watchdog ends it only when stdin ends.
            await new Promise((resolve) => setTimeout(resolve, 300));
            assert.strictEqual(isRunning(pid), true);
            await new Promise<void>((resolve, reject) => {
                const socket = net.connect(running.port, "127.0.0.1", () => {
                    socket.end();
                    resolve();
                });
                socket.once("error", reject);
            });
            await running.stop();
            assert.strictEqual(isRunning(pid), false);
        } finally {
            await pack.stop();
        }
    });
});

describe("the policy pack process and the event loop", function () {
    this.timeout(30_000);

    it("let go of (holdEventLoop(false)), keeps no starter alive, and still ends when the starter ends", async () => {
        const script = [
            `const p = require(${JSON.stringify(PACK_PROCESS_MODULE)});`,
            "const pack = p.spawnPolicyPack(p.PROJECT_POLICY_PACK, 20000);",
            "pack.ready.then(() => { process.stdout.write(`${pack.pid}\\n`); pack.holdEventLoop(false); }, (err) => { process.stderr.write(String(err)); process.exit(3); });",
        ].join("\n");
        const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
        const exited = new Promise<[number | null, string | null]>((resolve) => parent.once("exit", (code, signal) => resolve([code, signal])));
        let packPid: number | undefined;
        try {
            packPid = Number(await firstLine(parent, 20_000));
            assert.ok(Number.isInteger(packPid) && packPid > 0);
            const outcome = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("still running"), 10_000))]);
            assert.deepStrictEqual(outcome, [0, null], "the starter ends by itself once it let go of the pack");
            assert.strictEqual(await waitUntilGone(packPid, 5_000), true, `pack ${packPid} still runs 5 s after its starter ended`);
        } finally {
            if (parent.exitCode === null && parent.signalCode === null) parent.kill("SIGKILL");
            if (packPid !== undefined && isRunning(packPid)) process.kill(packPid, "SIGKILL");
        }
    });

    it("let go of, stop() still ends it and waits for its end", async () => {
        const pack = spawnPolicyPack(PROJECT_POLICY_PACK, 20_000);
        const pid = pack.pid!;
        try {
            await pack.ready;
            pack.holdEventLoop(false);
            await pack.stop();
            assert.strictEqual(isRunning(pid), false);
        } finally {
            await pack.stop();
        }
    });
});

describe("a policy pack that cannot start", function () {
    this.timeout(30_000);

    it("is reported with the line that says what went wrong, not the tail of the stack trace", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-nopack-"));
        const entry = path.join(dir, "dist", "index.js");
        try {
            const pack = spawnPolicyPack({ packDir: dir, entry }, 20_000);
            await assert.rejects(pack.ready, {
                message: `policy pack ${entry} (cwd ${dir}) exited (code 1) before printing its port: Error: Cannot find module '${entry}'`,
            });
            await pack.stop();
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("shows the first error line of its stderr, else the last non-empty line", () => {
        assert.deepStrictEqual([
            meaningfulLine("/x/index.js:3\n  throw new TypeError('bad');\n  ^\n\nTypeError: bad\n    at Object.<anonymous> (/x/index.js:3:9) {\n  code: 'X'\n}\n\nNode.js v24.0.0\n"),
            meaningfulLine("node:internal/modules/esm/x\nError [ERR_REQUIRE_ESM]: require() of ES Module /x.mjs not supported.\n"),
            meaningfulLine("starting\nlistening failed: port in use\n\n"),
            meaningfulLine(""),
        ], [
            "TypeError: bad",
            "Error [ERR_REQUIRE_ESM]: require() of ES Module /x.mjs not supported.",
            "listening failed: port in use",
            "",
        ]);
    });
});

describe("the pack watchdog", function () {
    this.timeout(30_000);

    it("keeps no process alive by itself and prints nothing: a script ends on its own while its stdin pipe stays open", async () => {
        const result = await runWithWatchdog("setTimeout(() => process.stdout.write('done\\n'), 50)", "pipe", 10_000);
        assert.deepStrictEqual(result, { code: 0, signal: null, stdout: "done\n", stderr: "" });
    });

    it("leaves a process whose stdin is not a pipe alone (/dev/null ends at once, but says nothing about the parent)", async () => {
        const result = await runWithWatchdog("setTimeout(() => process.stdout.write('still running\\n'), 200)", "ignore", 10_000);
        assert.deepStrictEqual(result, { code: 0, signal: null, stdout: "still running\n", stderr: "" });
    });
});
