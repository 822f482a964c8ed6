#!/usr/bin/env node
// Where the time went, from a `node --cpu-prof` profile: self time by package and by function.
// Used to explain the bench's figures (README, "Benchmarks"); DevTools shows the same profile as a
// flame chart, this prints the two lists that answer "which code is it" in a terminal.
//
//   node_modules/.bin/node --cpu-prof --cpu-prof-dir=/tmp/prof bin/eks-irsa-lbc.js plan > /dev/null
//   node bench/cpu-profile-summary.js /tmp/prof/*.cpuprofile
//
// A process that is killed by a signal writes no profile: to profile the policy pack, which the
// plan stops with SIGTERM, preload a file with `process.on("SIGTERM", () => process.exit(0))`.
"use strict";
const fs = require("fs");

function summarize(file, top) {
    const profile = JSON.parse(fs.readFileSync(file, "utf8"));
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const selfMicros = new Map();
    profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) || 0) + (profile.timeDeltas[i] || 0)));
    const byPackage = {};
    const byFunction = {};
    let total = 0;
    for (const [id, micros] of selfMicros) {
        const frame = nodes.get(id).callFrame;
        const url = frame.url.replace(/^file:\/\//, "");
        const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
        // Node's own work (module compiling, fs) has no package: name it by its function.
        const owner = pkg ? pkg[1] : url === "" || url.startsWith("node:") ? frame.functionName || "(native)" : url;
        byPackage[owner] = (byPackage[owner] || 0) + micros;
        const fn = `${frame.functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${frame.lineNumber + 1}`;
        byFunction[fn] = (byFunction[fn] || 0) + micros;
        total += micros;
    }
    const list = (table) => Object.entries(table).sort((a, b) => b[1] - a[1]).slice(0, top)
        .map(([name, micros]) => `${(micros / 1000).toFixed(0).padStart(7)} ms  ${(100 * micros / total).toFixed(1).padStart(5)}%  ${name}`).join("\n");
    return `${file}: ${(total / 1000).toFixed(0)} ms sampled\n-- self time by package --\n${list(byPackage)}\n-- self time by function --\n${list(byFunction)}\n`;
}

const files = process.argv.slice(2);
if (files.length === 0) {
    process.stderr.write("usage: node bench/cpu-profile-summary.js FILE.cpuprofile...\n");
    process.exit(2);
}
for (const file of files) {
    process.stdout.write(summarize(file, 15) + "\n");
}
