/**
 * bin/eks-irsa-lbc.js on a system Node older than 22 runs itself again on the project's pinned
 * Node. That launcher must not outlive its purpose: a signal sent to it reaches the real run (and,
 * through it, the policy pack), and it exits as the run did (128 + the signal's number when killed).
 */
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BIN, MINI_PROJECT, REPO_ROOT, copyProject, removeDir } from "../plan/cli-runner";

const SYSTEM_NODE = "/usr/bin/node";

function systemNodeVersion(): string {
    return spawnSync(SYSTEM_NODE, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim();
}

/** Why the launcher cannot be tested here, if it cannot. */
function skipReason(): string | undefined {
    if (!fs.existsSync("/proc/self/stat")) return "needs /proc to find the launcher's children";
    if (!fs.existsSync(SYSTEM_NODE)) return `needs a Node older than 22 at ${SYSTEM_NODE}, and there is none`;
    const version = systemNodeVersion();
    if (!(Number(version.split(".")[0]) < 22)) return `needs a Node older than 22 at ${SYSTEM_NODE}, and it is v${version}`;
    return undefined;
}

/** The state letter of /proc/<pid>/stat and the parent pid, or undefined when the process is gone. */
function stat(pid: number): { state: string; ppid: number } | undefined {
    try {
        const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
        return { state: fields[0], ppid: Number(fields[1]) };
    } catch {
        return undefined;
    }
}

/** A zombie has exited; it only waits to be reaped, so it counts as gone. */
function isRunning(pid: number): boolean {
    const s = stat(pid);
    return s !== undefined && s.state !== "Z";
}

function childrenOf(pid: number): number[] {
    return fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number).filter((candidate) => stat(candidate)?.ppid === pid);
}

async function poll<T>(what: () => T | undefined, withinMs: number): Promise<T | undefined> {
    const deadline = Date.now() + withinMs;
    for (;;) {
        const value = what();
        if (value !== undefined || Date.now() > deadline) return value;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

describe("bin/eks-irsa-lbc.js on a Node older than 22", function () {
    this.timeout(60_000);

    it("passes SIGTERM on to the plan it runs on the pinned Node, which stops the pack, and exits 143", async function () {
        const reason = skipReason();
        if (reason !== undefined) {
            this.test!.title += ` (skipped: ${reason})`;
            this.skip();
        }
        // A program that takes a minute: the plan and its pack are both up when the signal comes.
        const dir = copyProject(MINI_PROJECT, {
            "Pulumi.dev.yaml": "config:\n  mini:clusterName: demo\n",
            "program.js": "module.exports = new Promise((resolve) => setTimeout(resolve, 60000));\n",
        }, (project) => { project.main = "program.js"; });
        const launcher = spawn(SYSTEM_NODE, [BIN, "plan", "--cwd", dir], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        launcher.stderr!.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
        launcher.stdout!.resume();
        const exited = new Promise<[number | null, string | null]>((resolve) => launcher.once("exit", (code, signal) => resolve([code, signal])));
        const leftovers: number[] = [];
        try {
            const plan = await poll(() => childrenOf(launcher.pid!)[0], 20_000);
            assert.ok(plan !== undefined, `the launcher started no plan; stderr: ${stderr}`);
            leftovers.push(plan);
            const pack = await poll(() => childrenOf(plan).find((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("policy-pack")), 20_000);
            assert.ok(pack !== undefined, `the plan started no pack; stderr: ${stderr}`);
            leftovers.push(pack);

            launcher.kill("SIGTERM");
            assert.deepStrictEqual(await exited, [143, null]);
            await poll(() => (leftovers.some(isRunning) ? undefined : true), 5_000);
            assert.deepStrictEqual(leftovers.filter(isRunning), [], "the plan or its pack still runs 5 s after the launcher got SIGTERM");
            assert.strictEqual(stderr, `eks-irsa-lbc: this shell's Node is v${systemNodeVersion()} ` +
                `(22 or later is required); running on the project's pinned Node at ${path.join(REPO_ROOT, "node_modules", "node", "bin", "node")}\n`);
        } finally {
            if (launcher.exitCode === null && launcher.signalCode === null) launcher.kill("SIGKILL");
            for (const pid of leftovers) {
                if (isRunning(pid)) process.kill(pid, "SIGKILL");
            }
            removeDir(dir);
        }
    });
});
