/**
 * Runs commands as separate processes, alternating them (A B C A B C ...) after a warm-up so that
 * drift in the machine's load hits every command alike, and records each run's wall time and peak
 * memory. Wall time is `process.hrtime` from spawn to exit. Peak memory (and CPU time) come from the
 * processes themselves: `peak-rss.js` is preloaded through NODE_OPTIONS and each Node process in the
 * command's tree writes its own rusage at exit, which works wherever Node does (no `/usr/bin/time`).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface Command {
    /** Short name used in the tables. */
    label: string;
    /** Executable and arguments. */
    argv: string[];
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    /** Keep stdout (the CDK app prints a summary); otherwise it goes to /dev/null. */
    captureStdout?: boolean;
    /** Exit codes that count as success; default [0]. */
    okExitCodes?: number[];
    /** Runs before every run, outside the timing (e.g. reset an output directory). */
    before?: () => void;
}

export interface Sample {
    wallMs: number;
    /** maxRSS of the spawned process itself, KiB; undefined when it did not report. */
    mainRssKiB?: number;
    /** Sum of the peaks of every Node process in the tree, KiB: an upper bound of the tree's peak. */
    treeRssKiB?: number;
    /** CPU time (user + system) of the spawned process, ms. */
    mainCpuMs?: number;
    /** CPU time of every Node process in the tree, summed, ms. */
    treeCpuMs?: number;
    /** How many Node processes reported. */
    processes: number;
    exitCode: number;
    stdout: string;
}

export interface Stats {
    n: number;
    median: number;
    min: number;
    max: number;
    q1: number;
    q3: number;
}

const PEAK_RSS_PRELOAD = path.resolve(__dirname, "..", "..", "bench", "peak-rss.js");

/** Runs `command` once and waits until it and everything holding its output have finished. */
export async function runOnce(command: Command): Promise<Sample> {
    if (!fs.existsSync(PEAK_RSS_PRELOAD)) {
        throw new Error(`${PEAK_RSS_PRELOAD} is missing: the bench measures peak memory with it; restore it from git`);
    }
    command.before?.();
    const rssDir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-rss-"));
    try {
        const baseEnv = command.env ?? process.env;
        const env: NodeJS.ProcessEnv = {
            ...baseEnv,
            EKS_IRSA_LBC_BENCH_RSS_DIR: rssDir,
            NODE_OPTIONS: `${baseEnv.NODE_OPTIONS ?? ""} --require ${JSON.stringify(PEAK_RSS_PRELOAD)}`.trim(),
        };
        const [file, ...args] = command.argv;
        const started = process.hrtime.bigint();
        const child = spawn(file, args, {
            cwd: command.cwd,
            env,
            stdio: ["ignore", command.captureStdout ? "pipe" : "ignore", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout?.setEncoding("utf8").on("data", (chunk: string) => { stdout += chunk; });
        child.stderr!.setEncoding("utf8").on("data", (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
        const exitCode = await new Promise<number>((resolve, reject) => {
            child.once("error", (err) => reject(new Error(`${command.label}: cannot start ${file}: ${err.message}`)));
            child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
        });
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        // Descendants that still hold the output pipes (a policy pack not yet gone) get a moment to
        // finish and write their memory record; the time they take is not part of the command's.
        await new Promise<void>((resolve) => {
            if (child.stdout?.readableEnded !== false && child.stderr!.readableEnded) {
                resolve();
                return;
            }
            const timer = setTimeout(resolve, 5000);
            child.once("close", () => { clearTimeout(timer); resolve(); });
        });
        const ok = command.okExitCodes ?? [0];
        if (!ok.includes(exitCode)) {
            throw new Error(`${command.label} exited with ${exitCode} (expected ${ok.join(" or ")}): ${command.argv.join(" ")}\n` +
                `--- last of its stderr ---\n${stderr.trim() || "(empty)"}`);
        }
        const records = fs.readdirSync(rssDir)
            .map((entry) => JSON.parse(fs.readFileSync(path.join(rssDir, entry), "utf8")) as { pid: number; maxRssKiB: number; cpuMs?: number });
        const main = records.find((record) => record.pid === child.pid);
        return {
            wallMs,
            mainRssKiB: main?.maxRssKiB,
            treeRssKiB: records.length > 0 ? records.reduce((sum, record) => sum + record.maxRssKiB, 0) : undefined,
            mainCpuMs: main?.cpuMs,
            treeCpuMs: records.length > 0 ? records.reduce((sum, record) => sum + (record.cpuMs ?? 0), 0) : undefined,
            processes: records.length,
            exitCode,
            stdout,
        };
    } finally {
        fs.rmSync(rssDir, { recursive: true, force: true });
    }
}

export interface AlternatingOptions {
    /** Discarded runs of each command first (load files into the page cache, JIT npm, ...). */
    warmups: number;
    /** Measured runs of each command. */
    runs: number;
    /** Called after every measured run, e.g. to show progress. */
    onSample?: (command: Command, run: number, sample: Sample) => void;
}

/** Warm-up runs, then `runs` rounds of every command in turn. Samples per label. */
export async function measureAlternating(commands: Command[], options: AlternatingOptions): Promise<Map<string, Sample[]>> {
    const samples = new Map<string, Sample[]>(commands.map((command) => [command.label, []]));
    for (let i = 0; i < options.warmups; i++) {
        for (const command of commands) {
            await runOnce(command);
        }
    }
    for (let run = 0; run < options.runs; run++) {
        for (const command of commands) {
            const sample = await runOnce(command);
            samples.get(command.label)!.push(sample);
            options.onSample?.(command, run, sample);
        }
    }
    return samples;
}

/** Median, min, max and quartiles (linear interpolation between order statistics). */
export function summarize(values: number[]): Stats {
    if (values.length === 0) {
        throw new Error("summarize: no values");
    }
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number): number => {
        const position = (sorted.length - 1) * q;
        const low = Math.floor(position);
        const high = Math.ceil(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    };
    return { n: sorted.length, median: at(0.5), min: sorted[0], max: sorted[sorted.length - 1], q1: at(0.25), q3: at(0.75) };
}

/** Stats of one field over the samples, skipping runs where it is unknown. */
export function statsOf(samples: Sample[], field: "wallMs" | "mainRssKiB" | "treeRssKiB" | "mainCpuMs" | "treeCpuMs"): Stats | undefined {
    const values = samples.map((sample) => sample[field]).filter((value): value is number => typeof value === "number");
    return values.length > 0 ? summarize(values) : undefined;
}

/** "1234 ms (1100–1400)" style: median, then min–max. */
export function formatStats(stats: Stats | undefined, unit: string, scale = 1, digits = 0): string {
    if (!stats) {
        return "n/a";
    }
    const f = (value: number): string => (value / scale).toFixed(digits);
    return `${f(stats.median)} ${unit} (${f(stats.min)}–${f(stats.max)})`;
}
