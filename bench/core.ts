/**
 * How fast the analysis core judges wiring snapshots, against the floor of merely parsing them.
 * 10,000 snapshots are generated from the handed corpus and our own cases (every kind of fault and
 * every correct shape), each varied in account, OIDC id, region, names and versions so no two are
 * equal; then, on one thread, the same JSON texts are (a) only JSON.parse'd and (b) JSON.parse'd,
 * validated and analysed. The core's own time is b - a; the budget is 5x the floor a. End to end
 * (b/a) is printed too. Pin it to one CPU with `taskset -c 0` to keep the garbage collector's
 * helper threads on the same core.
 * Run: `npx tsc -p . && node_modules/.bin/node dist/bench/core.js [--snapshots N]` (default 10000;
 * options in bench/options.ts, CORE); `npm run bench` runs it once per process with `--snapshots 10000`.
 */
// First: on Node older than 22 this stops with one line, before anything else is loaded.
import "./node-guard";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyze, parseSnapshot } from "../core";
import { commandLine, CORE, CORE_SNAPSHOTS } from "./options";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const SOURCES = [path.resolve(REPO_ROOT, "..", "shared", "corpus", "cases"), path.resolve(REPO_ROOT, "test", "cases")];
const COUNT = commandLine(CORE).snapshots;
const ROUNDS = 7;
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-2", "sa-east-1"];
const VERSIONS = ["v2.4.7", "v2.7.2", "v2.9.0", "v2.13.0", "v3.5.0"];

function inputs(): string[] {
    const texts: string[] = [];
    for (const dir of SOURCES) {
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
            const document = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { input: unknown };
            texts.push(JSON.stringify(document.input));
        }
    }
    return texts;
}

/** A distinct variant of a template: every id, name and region is replaced consistently. */
function variant(template: string, i: number): string {
    const oidcId = (i.toString(16).toUpperCase() + "0".repeat(32)).slice(0, 32);
    const account = String(100000000000 + i * 7919).slice(0, 12);
    const region = REGIONS[i % REGIONS.length];
    let text = template
        .replaceAll("EXAMPLED539D4633E53DE1B71EXAMPLE", oidcId)
        .replaceAll("111122223333", account)
        .replaceAll("aws-load-balancer-controller\"", `aws-load-balancer-controller-${i % 13}"`)
        .replaceAll(":demo", `:demo-${i % 101}`);
    if (!text.includes("cn-north") && !text.includes("us-gov")) text = text.replace(/(us|eu|ap)-[a-z]+-\d/g, region);
    if (i % 3 === 0) text = text.replace(/"tag":"v\d+\.\d+\.\d+"/, `"tag":"${VERSIONS[i % VERSIONS.length]}"`);
    return text;
}

/**
 * CPU milliseconds (user + system, all threads of the process) spent in `run`: on a machine shared
 * with other work, wall time measures the neighbours as much as the code.
 */
function time(run: () => void): number {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
    const templates = inputs();
    const documents = Array.from({ length: COUNT }, (_, i) => variant(templates[i % templates.length], i));
    const bytes = documents.reduce((sum, d) => sum + d.length, 0);
    let sink = 0;
    const parseOnly = () => { for (const d of documents) sink += Object.keys(JSON.parse(d) as object).length; };
    const judge = () => { for (const d of documents) sink += analyze(parseSnapshot(JSON.parse(d))).findings.length; };

    // Warm-up: let the JIT and the caches settle before measuring. Floor and judge alternate so that
    // load from other processes hits both alike.
    parseOnly();
    judge();
    const parseTimes: number[] = [];
    const judgeTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
        parseTimes.push(time(parseOnly));
        judgeTimes.push(time(judge));
    }
    // Only now keep 10,000 parsed snapshots alive: retained during the runs above, they would make
    // every major GC of the judge run (which allocates more) mark them, a cost of the bench, not of the core.
    const parsed = documents.map((d) => parseSnapshot(JSON.parse(d)));
    const analyzeOnly = () => { for (const s of parsed) sink += analyze(s).findings.length; };
    analyzeOnly();
    const analyzeTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) analyzeTimes.push(time(analyzeOnly));

    const parseMs = median(parseTimes);
    const judgeMs = median(judgeTimes);
    const analyzeMs = median(analyzeTimes);
    const perSecond = (ms: number) => Math.round((COUNT / ms) * 1000).toLocaleString("en-US");
    const analyses = parsed.map((s) => analyze(s));
    const findings = analyses.reduce((sum, a) => sum + a.findings.length, 0);
    const broken = analyses.filter((a) => a.chain.status === "broken").length;
    // The core's own time is what judging adds to parsing; end to end includes the parse itself.
    const coreMs = judgeMs - parseMs;
    const coreRatio = coreMs / parseMs;
    const endToEndRatio = judgeMs / parseMs;
    const lines = [
        `snapshots: ${COUNT.toLocaleString("en-US")} from ${templates.length} templates, ${(bytes / 1e6).toFixed(1)} MB of JSON (${broken} broken chains, ${findings} findings)`,
        `node ${process.version}, one thread, CPU time, median of ${ROUNDS} alternating rounds`,
        `JSON.parse only (the floor):           ${parseMs.toFixed(1)} ms  (${perSecond(parseMs)} snapshots/s)`,
        `JSON.parse + validate + analyze:       ${judgeMs.toFixed(1)} ms  (${perSecond(judgeMs)} snapshots/s)`,
        `the core's own time (the difference):  ${coreMs.toFixed(1)} ms  (${perSecond(coreMs)} snapshots/s)`,
        `analyze only, on snapshots seen before: ${analyzeMs.toFixed(1)} ms  (${perSecond(analyzeMs)} snapshots/s)`,
        // The budget is set for CORE_SNAPSHOTS snapshots; on a few hundred, fixed costs (first calls,
        // the rule tables) weigh far more against JSON.parse, so no verdict is given there.
        `core / floor: ${coreRatio.toFixed(2)}x (${COUNT === CORE_SNAPSHOTS ? `budget 5x: ${coreRatio <= 5 ? "within" : "EXCEEDED"}` : `no verdict: the 5x budget is for ${CORE_SNAPSHOTS.toLocaleString("en-US")} snapshots`}); end to end / floor: ${endToEndRatio.toFixed(2)}x`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
    if (sink === -1) process.stdout.write("\n");
}

main();
