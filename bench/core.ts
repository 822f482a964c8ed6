/**
 * How fast the analysis core judges wiring snapshots, against the floor of merely parsing them.
 * 10,000 snapshots are generated from the handed corpus and our own cases (every kind of fault and
 * every correct shape), each varied in account, OIDC id, region, names and versions so no two are
 * equal; then, on one core, the same JSON texts are (a) only JSON.parse'd and (b) JSON.parse'd,
 * validated and analysed. Prints the figures and the ratio b/a (the budget is 5x).
 * Run: `npx tsc -p . && node dist/bench/core.js [count]`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { analyze, parseSnapshot } from "../core";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const SOURCES = [path.resolve(REPO_ROOT, "..", "shared", "corpus", "cases"), path.resolve(REPO_ROOT, "test", "cases")];
const COUNT = Number(process.argv[2] ?? 10_000);
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

function time(run: () => void): number {
    const start = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - start) / 1e6;
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
    const parsed = documents.map((d) => parseSnapshot(JSON.parse(d)));
    const analyzeOnly = () => { for (const s of parsed) sink += analyze(s).findings.length; };

    // Warm-up: let the JIT and the wildcard cache settle before measuring.
    parseOnly(); judge(); analyzeOnly();
    const parseTimes: number[] = [];
    const judgeTimes: number[] = [];
    const analyzeTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
        parseTimes.push(time(parseOnly));
        judgeTimes.push(time(judge));
        analyzeTimes.push(time(analyzeOnly));
    }
    const parseMs = median(parseTimes);
    const judgeMs = median(judgeTimes);
    const analyzeMs = median(analyzeTimes);
    const perSecond = (ms: number) => Math.round((COUNT / ms) * 1000).toLocaleString("en-US");
    const findings = parsed.reduce((sum, s) => sum + analyze(s).findings.length, 0);
    const broken = parsed.filter((s) => analyze(s).chain.status === "broken").length;
    const ratio = judgeMs / parseMs;
    const lines = [
        `snapshots: ${COUNT.toLocaleString("en-US")} from ${templates.length} templates, ${(bytes / 1e6).toFixed(1)} MB of JSON (${broken} broken chains, ${findings} findings)`,
        `node ${process.version}, one core, median of ${ROUNDS} rounds`,
        `JSON.parse only:                ${parseMs.toFixed(1)} ms  (${perSecond(parseMs)} snapshots/s)`,
        `JSON.parse + validate + analyze: ${judgeMs.toFixed(1)} ms  (${perSecond(judgeMs)} snapshots/s)`,
        `analyze only (already parsed):  ${analyzeMs.toFixed(1)} ms  (${perSecond(analyzeMs)} snapshots/s)`,
        `ratio to the JSON.parse floor:  ${ratio.toFixed(2)}x (budget 5x: ${ratio <= 5 ? "within" : "EXCEEDED"})`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
    if (sink === -1) process.stdout.write("\n");
}

main();
