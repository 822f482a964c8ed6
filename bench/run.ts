/**
 * `npm run bench`: the project's figures against its peer and its floor, in one run.
 *
 *  1. `plan` of the dev stack (policy pack over gRPC included) vs. synthesizing the equivalent AWS
 *     CDK app (`eks.Cluster` + `albController`, same controller, Kubernetes version and region).
 *  2. `plan` vs. the floor: a Node process that only loads the four `@pulumi/*` SDKs.
 *  3. The analysis core over 10,000 generated snapshots vs. `JSON.parse` of the same documents.
 *  4. The policy pack over a generated stack of 1,000 IRSA chains (6,002 resources) through the
 *     Analyzer protocol, layer by layer: the same requests through a bare gRPC server, through
 *     @pulumi/policy with one no-op policy and with this pack's policies hollowed out.
 *
 * Sections 1 and 2 are one alternating series of processes (plan, CDK, floor, ...), so that the
 * machine's changing load falls on every command alike. Figures go to stdout and are appended to
 * bench/results.md with the date, commit, machine and load.
 *
 *   npm run bench [-- --runs N] [--warmups N] [--only processes,core,pack] [--no-record]
 *
 * The options are bench/options.ts's BENCH: at least 5 runs after a warm-up; a bad option stops
 * the bench (exit 2, one line) before anything is measured or written.
 */
// First: on Node older than 22 this stops with one line, before anything else is loaded.
import "./node-guard";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BENCH, commandLine, CORE_SNAPSHOTS, type OptionValues } from "./options";
import { formatStats, measureAlternating, statsOf, summarize, type Command, type Sample, type Stats } from "./measure";
import { measurePackLoad, type PackLoadResult, type PackRun } from "./pack-load";

const ROOT = path.resolve(__dirname, "..", "..");
const CDK_DIR = path.join(ROOT, "bench", "cdk");
const RESULTS = path.join(ROOT, "bench", "results.md");

const TARGETS = {
    planOverCdk: 1 / 3,
    planOverFloor: 2,
    coreOverJsonParse: 5,
    packResourcesPerSecond: 2000,
};

type Options = OptionValues<typeof BENCH.options>;


class BenchError extends Error {}

// ---------------------------------------------------------------------------------------------
// Preflight

/** The files the bench runs; the Node version was checked by ./node-guard. */
function requireBuilt(): void {
    for (const [file, what] of [
        ["dist/cli/main.js", "the CLI"],
        ["dist/policy-pack/index.js", "the policy pack"],
        ["Pulumi.yaml", "the Pulumi project"],
    ]) {
        if (!fs.existsSync(path.join(ROOT, file))) {
            throw new BenchError(`${file} is missing (${what}): run \`npm ci\` (or \`npm run build\`) in ${ROOT} first`);
        }
    }
}

/** The pins of bench/cdk/package.json that node_modules does not hold at exactly that version. */
function missingCdkPins(): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(CDK_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    return Object.entries(pkg.dependencies).filter(([name, version]) => {
        const installed = path.join(CDK_DIR, "node_modules", name, "package.json");
        return !fs.existsSync(installed) || (JSON.parse(fs.readFileSync(installed, "utf8")) as { version: string }).version !== version;
    }).map(([name, version]) => `${name}@${version}`);
}

/**
 * Installs bench/cdk's own dependencies when they are missing or differ from its pins (first run,
 * or after a pin changed); the product's install never does.
 */
function ensureCdkInstalled(): void {
    const missing = missingCdkPins();
    if (missing.length === 0) return;
    log(`installing the CDK peer's dependencies into ${path.relative(ROOT, CDK_DIR)}/node_modules (${missing.join(", ")}) ...`);
    // Under `npm run`, npm_execpath is npm's own script: run it on this (pinned) Node.
    const npmCli = process.env.npm_execpath;
    const [file, args] = npmCli && /npm-cli\.js$/.test(npmCli)
        ? [process.execPath, [npmCli]]
        : ["npm", []];
    const result = spawnSync(file, [...args, "ci", "--prefix", CDK_DIR, "--no-audit", "--no-fund"], {
        // npm's own report ("added 6 packages in 10s") goes to stderr with the bench's progress:
        // stdout carries the figures only.
        stdio: ["ignore", 2, 2],
    });
    if (result.status !== 0) {
        throw new BenchError(`\`npm ci --prefix bench/cdk\` failed (${result.error?.message ?? `exit ${result.status}`}): ` +
            "the CDK comparison needs aws-cdk-lib from the npm registry; run that command yourself to see why");
    }
}

interface DevStack {
    region: string;
    kubernetesVersion: string;
    controllerVersion: string;
    chartVersion: string;
    clusterName: string;
    nodeInstanceType?: string;
    nodeCount?: number;
    resources: number;
    policyPack: string;
}

const PLAN_ARGS = ["plan", "--stack", "dev"];

/**
 * What the dev stack deploys, read from the plan itself (so the CDK app always gets the same
 * controller, chart, Kubernetes version and region as the stack, whatever the config says).
 */
function readDevStack(): DevStack {
    const run = spawnSync(process.execPath, [path.join(ROOT, "bin", "eks-irsa-lbc.js"), ...PLAN_ARGS, "--json"], {
        cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024,
    });
    if (run.status !== 0) {
        throw new BenchError(`\`eks-irsa-lbc ${PLAN_ARGS.join(" ")} --json\` failed (exit ${run.status}): ${(run.stderr || "").trim().slice(-1500)}`);
    }
    const plan = JSON.parse(run.stdout) as {
        standIns?: { region?: string };
        resources?: { type: string; inputs: Record<string, any>; outputs: Record<string, any> }[];
        policy?: { pack?: { name?: string; version?: string; policies?: unknown[] }; violations?: unknown[] };
    };
    const resources = plan.resources ?? [];
    const cluster = resources.find((r) => r.type === "eks:index:Cluster");
    const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "aws-load-balancer-controller");
    const problems: string[] = [];
    if (!plan.standIns?.region) problems.push("no region (standIns.region)");
    if (!cluster) problems.push("no eks:index:Cluster resource");
    if (!release) problems.push("no kubernetes:helm.sh/v3:Release of chart aws-load-balancer-controller");
    const kubernetesVersion = String(cluster?.inputs.version ?? cluster?.outputs.version ?? "");
    if (cluster && !/^1\.\d+$/.test(kubernetesVersion)) problems.push(`Kubernetes version ${JSON.stringify(kubernetesVersion)} on the cluster`);
    const controllerVersion = String(release?.inputs.values?.image?.tag ?? "");
    if (release && !controllerVersion) problems.push("no values.image.tag on the controller release");
    const nodeGroup = resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
    if (problems.length > 0) {
        throw new BenchError(`cannot tell from the dev stack's plan what to build with CDK: ${problems.join("; ")}`);
    }
    return {
        region: plan.standIns!.region!,
        kubernetesVersion,
        controllerVersion,
        chartVersion: String(release!.inputs.version),
        clusterName: String(release!.inputs.values?.clusterName ?? cluster!.inputs.name ?? "dev"),
        nodeInstanceType: nodeGroup?.inputs.instanceTypes?.[0],
        nodeCount: nodeGroup?.inputs.scalingConfig?.desiredSize,
        resources: resources.length,
        policyPack: plan.policy?.pack
            ? `${plan.policy.pack.name}@${plan.policy.pack.version} (${plan.policy.pack.policies?.length ?? "?"} policies, ${plan.policy.violations?.length ?? 0} violations)`
            : "not run by plan",
    };
}

/** The layer package must be the one of the stack's Kubernetes minor; bench/cdk pins exactly one. */
function checkKubectlLayer(stack: DevStack): void {
    const minor = stack.kubernetesVersion.split(".")[1];
    const wanted = `@aws-cdk/lambda-layer-kubectl-v${minor}`;
    const pkg = JSON.parse(fs.readFileSync(path.join(CDK_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    if (!pkg.dependencies[wanted]) {
        const pinned = Object.keys(pkg.dependencies).filter((d) => d.startsWith("@aws-cdk/lambda-layer-kubectl-"));
        throw new BenchError(`the dev stack runs Kubernetes ${stack.kubernetesVersion} but bench/cdk pins ${pinned.join(", ") || "no kubectl layer"}: ` +
            `pin ${wanted} (exact version, see \`npm view ${wanted} version\`) in bench/cdk/package.json instead, run \`npm install --prefix bench/cdk\`, and commit the lock file`);
    }
}

// ---------------------------------------------------------------------------------------------
// Sections 1 and 2: processes

interface ProcessResults {
    stack: DevStack;
    samples: Map<string, Sample[]>;
    cdkSummary: string;
    load: Stats;
}

const LABELS = {
    plan: "plan (dev stack + policy pack)",
    cdk: "CDK synth (app.synth, as shipped)",
    cdkCompileCache: "CDK synth + compile cache",
    cdkFastest: "CDK synth + compile cache, CDK_VALIDATION=false",
    floor: "floor (load the 4 @pulumi SDKs)",
    floorCompileCache: "floor + compile cache",
};

/** A plain Node process: no compile cache even if the caller's shell has one. */
function withoutCompileCache(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env = { ...process.env, ...extra };
    delete env.NODE_COMPILE_CACHE;
    return env;
}

async function measureProcesses(options: Options): Promise<ProcessResults> {
    const stack = readDevStack();
    checkKubectlLayer(stack);
    log(`dev stack: ${stack.resources} resources, region ${stack.region}, Kubernetes ${stack.kubernetesVersion}, ` +
        `controller ${stack.controllerVersion} (chart ${stack.chartVersion}), policy pack ${stack.policyPack}`);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-bench-"));
    // The controller's IAM policy for CDK: CDK ships policies only up to the versions it names,
    // so a newer controller is pinned with AlbControllerVersion.of() plus the project's document.
    const policyFile = path.join(scratch, "controller-policy.json");
    const { controllerPolicyDocument } = await import("../core/controller-policy");
    const { partitionOfRegion } = await import("../core/partition");
    fs.writeFileSync(policyFile, JSON.stringify(controllerPolicyDocument(stack.controllerVersion, partitionOfRegion(stack.region)!)));
    const cdkArgs = (outdir: string) => [
        process.execPath, path.join(CDK_DIR, "app.js"), "--outdir", outdir,
        "--kubernetes-version", stack.kubernetesVersion, "--region", stack.region,
        "--controller-version", stack.controllerVersion, "--chart-version", stack.chartVersion,
        "--policy", policyFile, "--cluster-name", stack.clusterName,
        ...(stack.nodeInstanceType ? ["--node-instance-type", stack.nodeInstanceType] : []),
        ...(stack.nodeCount ? ["--node-count", String(stack.nodeCount)] : []),
    ];
    // The plan turns on Node's compile cache itself (plan/compile-cache.ts), in its default place
    // unless NODE_COMPILE_CACHE says otherwise. The floor as the issue defines it is plain Node; the
    // floor and CDK with a cache of their own are shown for reference.
    const compileCache = path.join(scratch, "compile-cache");
    const commands: Command[] = [
        { label: LABELS.plan, argv: [process.execPath, path.join(ROOT, "bin", "eks-irsa-lbc.js"), ...PLAN_ARGS], cwd: ROOT },
        // The outdir is kept between runs, as `cdk synth` keeps cdk.out: assets already staged are
        // not copied again, which is CDK's faster case.
        { label: LABELS.cdk, argv: cdkArgs(path.join(scratch, "cdk.out")), cwd: CDK_DIR, captureStdout: true, env: withoutCompileCache() },
        { label: LABELS.floor, argv: [process.execPath, path.join(ROOT, "bench", "floor.js")], cwd: ROOT, env: withoutCompileCache() },
        // The same help the plan gives itself (Node's compile cache), then also without CDK's
        // built-in template validation (on by default in aws-cdk-lib 2.276, most of its synth time).
        {
            label: LABELS.cdkCompileCache, argv: cdkArgs(path.join(scratch, "cdk.out-cached")), cwd: CDK_DIR,
            env: { ...process.env, NODE_COMPILE_CACHE: compileCache },
        },
        {
            label: LABELS.cdkFastest, argv: cdkArgs(path.join(scratch, "cdk.out-fastest")), cwd: CDK_DIR,
            env: { ...process.env, CDK_VALIDATION: "false", NODE_COMPILE_CACHE: compileCache },
        },
        {
            label: LABELS.floorCompileCache, argv: [process.execPath, path.join(ROOT, "bench", "floor.js")], cwd: ROOT,
            env: { ...process.env, NODE_COMPILE_CACHE: compileCache },
        },
    ];
    const loads: number[] = [];
    try {
        log(`sections 1-2: ${options.warmups} warm-up round(s), then ${options.runs} rounds of: ${commands.map((c) => c.label).join(" | ")}`);
        const samples = await measureAlternating(commands, {
            warmups: options.warmups,
            runs: options.runs,
            onSample: (command, run, sample) => {
                loads.push(os.loadavg()[0]);
                log(`  #${run + 1} ${command.label}: ${sample.wallMs.toFixed(0)} ms, ${kib(sample.treeRssKiB)} (${sample.processes} Node process${sample.processes === 1 ? "" : "es"})`);
            },
        });
        const cdkSummary = samples.get(LABELS.cdk)![0].stdout.trim();
        return { stack, samples, cdkSummary, load: summarize(loads) };
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

// ---------------------------------------------------------------------------------------------
// Section 3: the core (bench/core.ts belongs to the core's engineers; it is run, not duplicated)

interface CoreResults {
    /** The core script's output of its first measured run. */
    output: string;
    /** Per run (each a separate process): the core's own time (judge − parse) / JSON.parse. */
    coreRatios: number[];
    /** Per run: (JSON.parse + validate + analyze) / JSON.parse. */
    endToEndRatios: number[];
    note?: string;
}

/**
 * Runs the core's own benchmark (bench/core.ts) `runs` times as separate processes; each prints
 * the median of its rounds, the spread across processes is what this adds.
 */
function measureCore(options: Options): CoreResults {
    const script = path.join(ROOT, "dist", "bench", "core.js");
    const results: CoreResults = { output: "", coreRatios: [], endToEndRatios: [] };
    if (!fs.existsSync(script)) {
        return { ...results, note: "dist/bench/core.js is missing: the core's benchmark (bench/core.ts) has not been built or written yet" };
    }
    const args = ["--snapshots", String(CORE_SNAPSHOTS)];
    log(`section 3: node dist/bench/core.js ${args.join(" ")}, ${options.warmups} warm-up and ${options.runs} measured runs`);
    for (let i = 0; i < options.warmups + options.runs; i++) {
        const run = spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        if (run.status !== 0) {
            return { ...results, note: `dist/bench/core.js exited with ${run.status}: ${(run.stderr || "").trim().split("\n").slice(0, 3).join(" | ")}` };
        }
        const ratios = coreRatios(run.stdout);
        if (ratios.core === undefined && ratios.endToEnd === undefined) {
            return { ...results, output: run.stdout.trim(), note: "dist/bench/core.js printed no ratio to JSON.parse this bench can read" };
        }
        if (i < options.warmups) continue;
        if (!results.output) results.output = run.stdout.trim();
        if (ratios.core !== undefined) results.coreRatios.push(ratios.core);
        if (ratios.endToEnd !== undefined) results.endToEndRatios.push(ratios.endToEnd);
        log(`  #${i - options.warmups + 1} core / JSON.parse: ${ratios.core?.toFixed(2) ?? "n/a"}, end to end / JSON.parse: ${ratios.endToEnd?.toFixed(2) ?? "n/a"}`);
    }
    return results;
}

/**
 * The ratios bench/core.ts prints: "core / floor: 2.51x ...; end to end / floor: 3.51x", or an
 * older "ratio to the JSON.parse floor: 4.59x" (end to end).
 */
function coreRatios(output: string): { core?: number; endToEnd?: number } {
    const number = (pattern: RegExp): number | undefined => {
        const match = pattern.exec(output);
        return match ? Number(match[1]) : undefined;
    };
    return {
        core: number(/core \/ floor:\s*([0-9]+(?:\.[0-9]+)?)x/i),
        endToEnd: number(/end to end \/ floor:\s*([0-9]+(?:\.[0-9]+)?)x/i) ?? number(/ratio to the JSON\.parse floor:\s*([0-9]+(?:\.[0-9]+)?)x/i),
    };
}

// ---------------------------------------------------------------------------------------------
// Report

function kib(value: number | undefined): string {
    return value === undefined ? "n/a" : `${(value / 1024).toFixed(0)} MiB`;
}

function ratioOfMedians(samples: Map<string, Sample[]>, a: string, b: string): number {
    return statsOf(samples.get(a)!, "wallMs")!.median / statsOf(samples.get(b)!, "wallMs")!.median;
}

function verdict(ok: boolean): string {
    return ok ? "met" : "MISSED";
}

function machine(): string {
    const cpus = os.cpus();
    return `${cpus[0]?.model.trim() ?? "unknown CPU"} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
        `${os.type()} ${os.release()}, Node ${process.version}`;
}

function commit(): string {
    const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" });
    if (head.status !== 0) return "unknown (not a git checkout)";
    // bench/results.md itself does not count: after one recorded run it is always modified.
    const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench/results.md"], { cwd: ROOT, encoding: "utf8" });
    return head.stdout.trim() + (dirty.stdout.trim() ? " (with uncommitted changes)" : "");
}

function processTable(samples: Map<string, Sample[]>): string[] {
    const lines = [
        "| command | wall time, median (min–max) | IQR | CPU time of the process tree, median | peak RSS of the process tree, median (min–max) | Node processes |",
        "|---|---|---|---|---|---|",
    ];
    for (const [label, list] of samples) {
        const wall = statsOf(list, "wallMs")!;
        const cpu = statsOf(list, "treeCpuMs");
        lines.push(`| ${label} | ${formatStats(wall, "ms")} | ${wall.q1.toFixed(0)}–${wall.q3.toFixed(0)} ms | ${cpu ? `${cpu.median.toFixed(0)} ms` : "n/a"} | ` +
            `${formatStats(statsOf(list, "treeRssKiB"), "MiB", 1024)} | ${list[0].processes} |`);
    }
    return lines;
}

function report(options: Options, processes: ProcessResults | undefined, core: CoreResults | undefined, pack: PackLoadResult | undefined, loadAtStart: number[], loadAtEnd: number[]): string {
    const out: string[] = [];
    const now = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
    out.push(`## ${now}, commit ${commit()}`, "");
    out.push(`Machine: ${machine()}. Load average (1/5/15 min) at start ${loadAtStart.map((l) => l.toFixed(2)).join("/")}, ` +
        `at end ${loadAtEnd.map((l) => l.toFixed(2)).join("/")}` +
        (processes ? `; 1-min load during sections 1-2: median ${processes.load.median.toFixed(2)} (${processes.load.min.toFixed(2)}–${processes.load.max.toFixed(2)})` : "") +
        `. ${options.warmups} warm-up round(s), ${options.runs} measured runs of each command, alternating.`, "");

    if (processes) {
        const s = processes.samples;
        const { stack } = processes;
        out.push(`### 1–2. plan vs. CDK synth vs. floor`, "");
        out.push(`Dev stack: ${stack.resources} resources; region ${stack.region}, Kubernetes ${stack.kubernetesVersion}, controller ${stack.controllerVersion} (chart ${stack.chartVersion}); policy pack: ${stack.policyPack}.`);
        out.push(`CDK app: \`eks.Cluster\` + \`albController: AlbControllerVersion.of("${stack.controllerVersion}", "${stack.chartVersion}")\` with the project's policy document; synthesized: \`${processes.cdkSummary.slice(0, 400)}${processes.cdkSummary.length > 400 ? "…" : ""}\``, "");
        out.push(...processTable(s), "");
        const planCdk = ratioOfMedians(s, LABELS.plan, LABELS.cdk);
        const planCdkFastest = ratioOfMedians(s, LABELS.plan, LABELS.cdkFastest);
        const planCdkCached = ratioOfMedians(s, LABELS.plan, LABELS.cdkCompileCache);
        const planFloor = ratioOfMedians(s, LABELS.plan, LABELS.floor);
        const planCachedFloor = ratioOfMedians(s, LABELS.plan, LABELS.floorCompileCache);
        out.push(`- plan / CDK synth (wall, medians): **${planCdk.toFixed(2)}** (target ≤ ${TARGETS.planOverCdk.toFixed(2)}: ${verdict(planCdk <= TARGETS.planOverCdk)}); ` +
            `against CDK with the compile cache the plan also uses: ${planCdkCached.toFixed(2)} (${verdict(planCdkCached <= TARGETS.planOverCdk)}); ` +
            `against CDK at its fastest (compile cache, no template validation): ${planCdkFastest.toFixed(2)} (${verdict(planCdkFastest <= TARGETS.planOverCdk)})`);
        out.push(`- plan / floor (wall, medians): **${planFloor.toFixed(2)}** (target < ${TARGETS.planOverFloor}: ${verdict(planFloor < TARGETS.planOverFloor)}); ` +
            `the plan uses Node's compile cache; against the floor with the cache too: ${planCachedFloor.toFixed(2)} (${verdict(planCachedFloor < TARGETS.planOverFloor)})`);
        const cpu = (label: string) => statsOf(s.get(label)!, "treeCpuMs")?.median ?? NaN;
        out.push(`- CPU time (user + system of every process, less disturbed by other load than wall time), medians: plan / CDK synth ${(cpu(LABELS.plan) / cpu(LABELS.cdk)).toFixed(2)}, ` +
            `plan / CDK + compile cache ${(cpu(LABELS.plan) / cpu(LABELS.cdkCompileCache)).toFixed(2)}, plan / CDK at its fastest ${(cpu(LABELS.plan) / cpu(LABELS.cdkFastest)).toFixed(2)}, ` +
            `plan / floor ${(cpu(LABELS.plan) / cpu(LABELS.floor)).toFixed(2)}, plan / floor + compile cache ${(cpu(LABELS.plan) / cpu(LABELS.floorCompileCache)).toFixed(2)}`);
        const rss = (label: string) => statsOf(s.get(label)!, "treeRssKiB")?.median ?? NaN;
        out.push(`- peak memory, plan / CDK: ${(rss(LABELS.plan) / rss(LABELS.cdk)).toFixed(2)}; plan / floor: ${(rss(LABELS.plan) / rss(LABELS.floor)).toFixed(2)}`, "");
    }
    if (core) {
        out.push(`### 3. analysis core vs. JSON.parse`, "");
        if (core.note) out.push(`Not measured: ${core.note}.`, "");
        if (core.output) out.push("```", core.output, "```", "");
        const line = (name: string, values: number[]) => {
            const ratio = summarize(values);
            return `- ${name} over ${ratio.n} processes: **${ratio.median.toFixed(2)}** (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)}) ` +
                `(target ≤ ${TARGETS.coreOverJsonParse}: ${verdict(ratio.median <= TARGETS.coreOverJsonParse)})`;
        };
        if (core.coreRatios.length > 0) out.push(line("the core's own time / JSON.parse (the core script's measure)", core.coreRatios));
        if (core.endToEndRatios.length > 0) out.push(line("end to end (JSON.parse + validate + analyze) / JSON.parse", core.endToEndRatios));
        if (core.output) out.push("", "The output above is the first measured run's.", "");
    }
    if (pack) {
        out.push(`### 4. policy pack over the Analyzer protocol`, "");
        out.push(`Pack ${pack.packName} (${pack.policies} policies); generated stack of ${pack.bigResources} resources ` +
            `(1,000 chains, one per cluster: OIDC provider, Kubernetes provider, IRSA role, policy attachment, ServiceAccount, Helm release; the shared controller policy; the stack), ` +
            `${pack.faulty} chains broken on purpose (trust of any account in the namespace, wrong audience, chart creating its own account, provider without the STS audience, account not annotated). ` +
            `Each run starts a fresh pack process, sends \`Analyze\` for every resource (${pack.analyzeConcurrency} in flight) and one \`AnalyzeStack\`.`, "");
        const wall = summarize(pack.big.map((r) => r.wallMs));
        const smallWall = summarize(pack.small.map((r) => r.wallMs));
        out.push("| | median (min–max) |", "|---|---|");
        out.push(`| wall time, ${pack.bigResources} resources | ${formatStats(wall, "ms")} |`);
        out.push(`| wall time, ${pack.smallResources} resources (start-up and handshake) | ${formatStats(smallWall, "ms")} |`);
        out.push(`| resources/s, end to end (pack start-up included) | ${formatStats(pack.endToEnd, "/s")} |`);
        out.push(`| resources/s once the pack is up | ${formatStats(pack.marginal, "/s")} |`);
        out.push(`| wall time, ${pack.bigResources} resources through the no-op pack (protocol floor) | ${formatStats(summarize(pack.noop.map((r) => r.wallMs)), "ms")} |`);
        out.push(`| resources/s through the no-op pack, end to end | ${formatStats(pack.noopEndToEnd, "/s")} |`);
        out.push(`| violations reported per run | ${pack.big[0].violations} |`);
        out.push(`| peak RSS of the pack process | ${formatStats(pack.packRss, "MiB", 1024)} |`);
        out.push(`| CPU time of the pack process, ${pack.bigResources} resources (resources per CPU-second) | ${formatStats(pack.packCpu, "ms")}` +
            `${pack.packCpu ? ` (${(pack.bigResources / (pack.packCpu.median / 1000)).toFixed(0)}/s)` : ""} |`);
        out.push(`| CPU time of the no-op pack process, ${pack.bigResources} resources | ${formatStats(pack.noopCpu, "ms")} |`, "");
        out.push(...layerTable(pack), "");
        out.push(`- pack throughput, end to end: **${pack.endToEnd.median.toFixed(0)} resources/s** (target ≥ ${TARGETS.packResourcesPerSecond}: ${verdict(pack.endToEnd.median >= TARGETS.packResourcesPerSecond)}); ` +
            `once the pack is up: ${pack.marginal.median.toFixed(0)}/s (${verdict(pack.marginal.median >= TARGETS.packResourcesPerSecond)}); ` +
            `the no-op pack over the same protocol: ${pack.noopEndToEnd.median.toFixed(0)}/s, so the project's policies take ${(100 * (1 - pack.endToEnd.median / pack.noopEndToEnd.median)).toFixed(0)}% of the pack's time; ` +
            `@pulumi/policy serving this pack's policies with nothing in them: ${pack.hollowEndToEnd.median.toFixed(0)}/s; ` +
            `the bare gRPC transport with the same client: ${pack.transportEndToEnd.median.toFixed(0)}/s ` +
            `(${pack.transportEndToEnd.median >= TARGETS.packResourcesPerSecond ? "above" : "below"} the target before any protobuf decoding or policy runs)`, "");
    }
    return out.join("\n");
}

/**
 * Where the pack's time goes: the same requests through the bare gRPC server, through
 * @pulumi/policy with one no-op policy, through @pulumi/policy with this pack's policies hollowed
 * out (the server decodes properties once per policy of a resource's type, answers NotApplicable for
 * the others and gives each stack policy its own copy of the stack), and through the project's pack;
 * each layer's share is what it adds over the row above, as a part of the pack's own time (wall and
 * the server's CPU, per round, median over rounds). The last row's share is the project's own code.
 */
function layerTable(pack: PackLoadResult): string[] {
    const layers = [
        { label: "gRPC transport alone (bare @grpc/grpc-js server, identity (de)serializers, empty answers)", runs: pack.transport, rate: pack.transportEndToEnd, cpu: pack.transportCpu },
        { label: "@pulumi/policy with one no-op policy (bench/noop-pack)", runs: pack.noop, rate: pack.noopEndToEnd, cpu: pack.noopCpu },
        { label: `@pulumi/policy with this pack's ${pack.policies} policies, bodies that return at once (bench/hollow-pack)`, runs: pack.hollow, rate: pack.hollowEndToEnd, cpu: pack.hollowCpu },
        { label: `this project's pack (${pack.policies} policies)`, runs: pack.big, rate: pack.endToEnd, cpu: pack.packCpu },
    ];
    // Paired by round (the kinds alternate within a round), so that the machine's drifting load falls
    // on both sides of each difference; the median of the rounds' shares is printed.
    const share = (i: number, value: (r: PackRun) => number | undefined) => {
        const shares: number[] = [];
        pack.big.forEach((packRun, round) => {
            const total = value(packRun);
            const own = value(layers[i].runs[round]);
            const below = i === 0 ? 0 : value(layers[i - 1].runs[round]);
            if (total !== undefined && own !== undefined && below !== undefined && total > 0) shares.push((100 * (own - below)) / total);
        });
        return shares.length > 0 ? `${summarize(shares).median.toFixed(0)}%` : "n/a";
    };
    const lines = [
        `Layer by layer: the same ${pack.bigResources} resources through the same client. A layer's share is what it adds to the row above, as a part of the pack's time, ` +
            "wall (start-up included) and CPU of the server process, computed per round (the kinds alternate within a round) and given as the median over rounds; the last row's share is the project's own code.", "",
        "| layer | wall time | resources/s, end to end | CPU time of the server process | CPU per resource | share of the pack's wall time | share of the pack's CPU time |",
        "|---|---|---|---|---|---|---|",
    ];
    layers.forEach((layer, i) => {
        const perResource = layer.cpu ? `${((layer.cpu.median * 1000) / pack.bigResources).toFixed(0)} µs` : "n/a";
        lines.push(`| ${layer.label} | ${formatStats(summarize(layer.runs.map((r) => r.wallMs)), "ms")} | ${formatStats(layer.rate, "/s")} | ` +
            `${formatStats(layer.cpu, "ms")} | ${perResource} | ${share(i, (r) => r.wallMs)} | ${share(i, (r) => r.packCpuMs)} |`);
    });
    return lines;
}

// ---------------------------------------------------------------------------------------------

function log(message: string): void {
    process.stderr.write(`bench: ${message}\n`);
}

async function main(argv: string[]): Promise<number> {
    const options: Options = commandLine(BENCH, argv);
    requireBuilt();
    const loadAtStart = os.loadavg();
    let processes: ProcessResults | undefined;
    let core: CoreResults | undefined;
    let pack: PackLoadResult | undefined;
    if (options.only.includes("processes")) {
        ensureCdkInstalled();
        processes = await measureProcesses(options);
    }
    if (options.only.includes("core")) {
        core = measureCore(options);
    }
    if (options.only.includes("pack")) {
        log(`section 4: policy pack, ${options.warmups} warm-up round(s), then ${options.runs} rounds of (the full stack, one chain, the full stack through the no-op pack, the hollow pack, the bare gRPC server)`);
        pack = await measurePackLoad({
            runs: options.runs,
            warmups: options.warmups,
            onRun: (kind, run, r) => log(`  #${run + 1} ${kind}: ${r.resources} resources in ${r.wallMs.toFixed(0)} ms, ${r.violations} violations, pack ${kib(r.packRssKiB)}`),
        });
    }
    const text = report(options, processes, core, pack, loadAtStart, os.loadavg());
    process.stdout.write("\n" + text + "\n");
    if (!options["no-record"]) {
        if (!fs.existsSync(RESULTS)) {
            fs.writeFileSync(RESULTS, "# Benchmark results\n\nAppended by `npm run bench`, newest last. See README.md, \"Benchmarks\", for what is measured.\n\n");
        }
        fs.appendFileSync(RESULTS, text + "\n");
        log(`appended to ${path.relative(ROOT, RESULTS)}`);
    }
    return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    if (err instanceof BenchError) {
        process.stderr.write(`bench: ${err.message}\n`);
        process.exitCode = 2;
    } else {
        process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
        process.exitCode = 1;
    }
});
