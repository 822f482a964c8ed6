/**
 * The offline plan against its floor: `node bin/eks-irsa-lbc.js plan` (what `npm run plan` runs,
 * without npm's own start-up) vs. a Node process that only loads the four `@pulumi/*` SDKs the
 * program imports (bench/floor.js). No plan can beat its SDKs' load, so the ratio says what the
 * plan itself costs. The target: at most 2x the floor's wall time, and a peak under 400 MB.
 *
 *   node_modules/.bin/node dist/bench/plan.js [--runs N] [--warmups N] [--cwd DIR] [--stack NAME]
 *
 * Options in bench/options.ts (PLAN): --runs 1 or more, default 7 (fewer than 5 for profiling
 * only); a bad option stops it with exit 2 and one line.
 *
 * The commands alternate (plan, floor, floor with the compile cache, ...) after the warm-up, so that
 * the machine's changing load falls on all alike. The plan turns on Node's compile cache
 * (plan/compile-cache.ts); the floor as defined does not, so the floor with the cache is printed
 * beside it for reference. Figures go to stdout; nothing is written but Node's compile cache.
 */
// First: on Node older than 22 this stops with one line, before anything else is loaded.
import "./node-guard";
import * as os from "os";
import * as path from "path";
import { commandLine, PLAN } from "./options";
import { formatStats, measureAlternating, statsOf, type Command, type Stats } from "./measure";

const ROOT = path.resolve(__dirname, "..", "..");
const TARGET_RATIO = 2;
const TARGET_PEAK_MIB = 400;

async function main(): Promise<void> {
    const given = commandLine(PLAN);
    const options = { ...given, cwd: path.resolve(given.cwd ?? ROOT) };
    const node = process.execPath;
    const commands: Command[] = [
        {
            label: "plan",
            argv: [node, path.join(ROOT, "bin", "eks-irsa-lbc.js"), "plan", "--cwd", options.cwd, ...(options.stack ? ["--stack", options.stack] : [])],
        },
        { label: "floor", argv: [node, path.join(ROOT, "bench", "floor.js")], cwd: ROOT, env: withoutCompileCache() },
        // For reference only: the plan uses Node's compile cache (plan/compile-cache.ts); this is the floor with it too.
        { label: "floor-cached", argv: [node, path.join(ROOT, "bench", "floor.js")], cwd: ROOT, env: { ...process.env, NODE_COMPILE_CACHE: compileCacheDir() } },
    ];
    const [cpu] = os.cpus();
    process.stdout.write(`plan vs. floor: ${options.warmups} warm-up and ${options.runs} measured runs each, alternating\n`);
    process.stdout.write(`machine: ${os.cpus().length} x ${cpu?.model ?? "unknown CPU"}, Node ${process.version}, ` +
        `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
    const samples = await measureAlternating(commands, {
        warmups: options.warmups,
        runs: options.runs,
        onSample: (command, run, sample) => process.stderr.write(`  run ${run + 1} ${command.label}: ${sample.wallMs.toFixed(0)} ms\n`),
    });
    const plan = samples.get("plan")!;
    const floor = samples.get("floor")!;
    const planWall = statsOf(plan, "wallMs")!;
    const floorWall = statsOf(floor, "wallMs")!;
    const planTree = statsOf(plan, "treeRssKiB");
    const cachedWall = statsOf(samples.get("floor-cached")!, "wallMs")!;
    const ratio = planWall.median / floorWall.median;
    const peakMiB = planTree ? planTree.max / 1024 : undefined;

    const rows: [string, string][] = [
        ["wall time, median (min-max)", ""],
        ["  plan", `${formatStats(planWall, "ms")}, IQR ${spread(planWall)} ms`],
        ["  floor (load the four SDKs)", `${formatStats(floorWall, "ms")}, IQR ${spread(floorWall)} ms`],
        ["  floor with the compile cache", `${formatStats(cachedWall, "ms")}, IQR ${spread(cachedWall)} ms`],
        ["peak RSS, median (min-max)", ""],
        ["  plan process", formatStats(statsOf(plan, "mainRssKiB"), "MiB", 1024)],
        ["  plan + policy-pack process", formatStats(planTree, "MiB", 1024)],
        ["  floor", formatStats(statsOf(floor, "mainRssKiB"), "MiB", 1024)],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    process.stdout.write(rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n") + "\n");
    process.stdout.write(`ratio plan / floor (medians): ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? "met" : "NOT met"}\n`);
    process.stdout.write(`for reference, plan / floor with the compile cache: ${(planWall.median / cachedWall.median).toFixed(2)}\n`);
    process.stdout.write(peakMiB === undefined
        ? "peak of plan + pack: unknown (no process reported its memory)\n"
        : `highest peak of plan + pack: ${peakMiB.toFixed(0)} MiB (target < ${TARGET_PEAK_MIB}): ${peakMiB < TARGET_PEAK_MIB ? "met" : "NOT met"}\n`);
}

/** The floor as the issue defines it: plain Node, no compile cache even if the caller's shell has one. */
function withoutCompileCache(): NodeJS.ProcessEnv {
    const env = { ...process.env };
    delete env.NODE_COMPILE_CACHE;
    return env;
}

/** Where the plan's compile cache lives (see plan/compile-cache.ts), so the reference floor shares it. */
function compileCacheDir(): string {
    return process.env.NODE_COMPILE_CACHE ?? path.join(os.tmpdir(), "node-compile-cache");
}

/** Interquartile range, to show how much the runs disagree without the outliers. */
function spread(stats: Stats): string {
    return (stats.q3 - stats.q1).toFixed(0);
}

main().catch((err: Error) => {
    process.stderr.write(`${PLAN.name}: ${err.message}\n`);
    process.exitCode = 1;
});
