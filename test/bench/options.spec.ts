/**
 * The bench scripts' command lines (bench/options.ts): every bad option is refused with one line
 * naming the option, the value as JSON.stringify quotes it and what is allowed (exit 2); defaults
 * and good values come through; `npm run bench` takes at least 5 runs, the scripts run alone 1 or
 * more. Then the scripts themselves: a bad option stops them before anything is written, and on
 * Node older than 22 they stop with one line before any module but the guard's is loaded.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
    BENCH, CORE, nodeTooOld, PACK_LOAD, parseOptions, PLAN, readCommandLine, scriptOf, usage,
    type BenchScript, type OptionSpecs,
} from "../../bench/options";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const DIST_BENCH = path.join(ROOT, "dist", "bench");

/** The line a script prints for `argv` (and asserts exit 2 and nothing on stdout). */
function refusal<T extends OptionSpecs>(script: BenchScript<T>, argv: string[]): string {
    const read = readCommandLine(script, argv);
    assert.ok(!("options" in read), `expected ${JSON.stringify(argv)} to be refused`);
    assert.strictEqual(read.exitCode, 2);
    assert.strictEqual(read.stdout, undefined);
    return read.stderr!;
}

describe("bench: the scripts' command lines (bench/options.ts)", function () {
    this.timeout(60_000);

    describe("defaults and good values", () => {
        it("npm run bench: 5 runs, 1 warm-up, every section, recorded", () => {
            assert.deepStrictEqual(parseOptions(BENCH.options, []), { runs: 5, warmups: 1, only: ["processes", "core", "pack"], "no-record": false });
        });

        it("npm run bench: good values, the last of a repeated option, sections once each", () => {
            assert.deepStrictEqual(
                parseOptions(BENCH.options, ["--runs", "7", "--warmups", "2", "--only", "pack,core,pack", "--no-record", "--runs", "05"]),
                { runs: 5, warmups: 2, only: ["pack", "core"], "no-record": true },
            );
        });

        it("bench/plan: 7 runs, 1 warm-up, no directory or stack of its own; then good values", () => {
            assert.deepStrictEqual(parseOptions(PLAN.options, []), { runs: 7, warmups: 1, cwd: undefined, stack: undefined });
            assert.deepStrictEqual(
                parseOptions(PLAN.options, ["--runs", "1", "--cwd", ROOT, "--stack", "acme/eks-irsa-lbc/dev.v2"]),
                { runs: 1, warmups: 1, cwd: ROOT, stack: "acme/eks-irsa-lbc/dev.v2" },
            );
        });

        it("bench/core: 10000 snapshots; then a good value", () => {
            assert.deepStrictEqual(parseOptions(CORE.options, []), { snapshots: 10000 });
            assert.deepStrictEqual(parseOptions(CORE.options, ["--snapshots", "250"]), { snapshots: 250 });
        });

        it("bench/pack-load: 1000 chains, 5 runs, 1 warm-up; then 1 run (fewer than 5 is allowed alone, for profiling)", () => {
            assert.deepStrictEqual(parseOptions(PACK_LOAD.options, []), { chains: 1000, runs: 5, warmups: 1 });
            assert.deepStrictEqual(parseOptions(PACK_LOAD.options, ["--chains", "20", "--runs", "1", "--warmups", "3"]), { chains: 20, runs: 1, warmups: 3 });
        });

        it("--help and -h: the usage on stdout, exit 0; the scripts run alone say that fewer than 5 runs is for profiling", () => {
            for (const argv of [["--help"], ["--runs", "7", "-h"]]) {
                assert.deepStrictEqual(readCommandLine(PACK_LOAD, argv), { exitCode: 0, stdout: usage(PACK_LOAD) });
            }
            assert.strictEqual(usage(PACK_LOAD), [
                "usage: node_modules/.bin/node dist/bench/pack-load.js [--chains N] [--runs N] [--warmups N]",
                "the policy pack over a generated stack of IRSA chains, through the Analyzer protocol, layer by layer.",
                "  --chains N   IRSA chains in the generated stack, 6 resources each (default 1000); an integer >= 1",
                "  --runs N     measured runs (default 5); fewer than 5 for profiling only, `npm run bench` takes 5 or more; an integer >= 1",
                "  --warmups N  warm-up rounds before the measured ones (default 1); an integer >= 1",
                "",
            ].join("\n"));
            assert.ok(usage(PLAN).includes("  --runs N      measured runs (default 7); fewer than 5 for profiling only, `npm run bench` takes 5 or more; an integer >= 1\n"));
            assert.ok(usage(BENCH).startsWith("usage: npm run bench -- [--runs N] [--warmups N] [--only processes,core,pack] [--no-record]\n"));
        });
    });

    describe("bad values: exit 2, one line naming the option, the value and what is allowed", () => {
        it("--runs of npm run bench: at least 5", () => {
            for (const value of ["abc", "4", "0", ""]) {
                assert.strictEqual(refusal(BENCH, ["--runs", value]),
                    `bench: --runs ${JSON.stringify(value)} is not allowed: an integer >= 5 (at least 5 runs after a warm-up)\n`);
            }
        });

        it("integers are digits only: no hex, exponent, spaces, fraction, sign or Infinity", () => {
            for (const value of ["0x10", "1e1", " 7 ", "5.5", "Infinity", "-1", "+7", "NaN"]) {
                assert.strictEqual(refusal(PACK_LOAD, ["--runs", value]),
                    `bench/pack-load: --runs ${JSON.stringify(value)} is not allowed: an integer >= 1\n`);
            }
        });

        it("an integer beyond what a double holds exactly", () => {
            assert.strictEqual(refusal(CORE, ["--snapshots", "99999999999999999999"]),
                'bench/core: --snapshots "99999999999999999999" is not allowed: an integer >= 1, at most 9007199254740991\n');
        });

        it("--warmups, --chains, --snapshots and --runs of the scripts run alone: at least 1", () => {
            assert.strictEqual(refusal(BENCH, ["--warmups", "-1"]), 'bench: --warmups "-1" is not allowed: an integer >= 1\n');
            assert.strictEqual(refusal(PLAN, ["--warmups", "0"]), 'bench/plan: --warmups "0" is not allowed: an integer >= 1\n');
            assert.strictEqual(refusal(PACK_LOAD, ["--chains", "0"]), 'bench/pack-load: --chains "0" is not allowed: an integer >= 1\n');
            assert.strictEqual(refusal(CORE, ["--snapshots", "0"]), 'bench/core: --snapshots "0" is not allowed: an integer >= 1\n');
            assert.strictEqual(refusal(PLAN, ["--runs", "0"]), 'bench/plan: --runs "0" is not allowed: an integer >= 1\n');
        });

        it("--only: empty and unknown sections are named, quoted, with the allowed ones; no trimming", () => {
            const allowed = "one or more of processes, core, pack, comma-separated";
            assert.strictEqual(refusal(BENCH, ["--only", ","]), `bench: --only "," is not allowed: "" is not a section; ${allowed}\n`);
            assert.strictEqual(refusal(BENCH, ["--only", "core,,pack"]), `bench: --only "core,,pack" is not allowed: "" is not a section; ${allowed}\n`);
            assert.strictEqual(refusal(BENCH, ["--only", ""]), `bench: --only "" is not allowed: "" is not a section; ${allowed}\n`);
            assert.strictEqual(refusal(BENCH, ["--only", "core, pack"]), `bench: --only "core, pack" is not allowed: " pack" is not a section; ${allowed}\n`);
            assert.strictEqual(refusal(BENCH, ["--only", "cdk"]), `bench: --only "cdk" is not allowed: "cdk" is not a section; ${allowed}\n`);
        });

        it("--cwd must be an existing directory, --stack a stack name", () => {
            const missing = path.join(ROOT, "no-such-directory");
            assert.strictEqual(refusal(PLAN, ["--cwd", missing]), `bench/plan: --cwd ${JSON.stringify(missing)} is not allowed: an existing directory\n`);
            assert.strictEqual(refusal(PLAN, ["--cwd", ""]), 'bench/plan: --cwd "" is not allowed: an existing directory\n');
            assert.strictEqual(refusal(PLAN, ["--cwd", path.join(ROOT, "package.json")]),
                `bench/plan: --cwd ${JSON.stringify(path.join(ROOT, "package.json"))} is not allowed: an existing directory\n`);
            for (const value of ["", "dev stack", "a/b/c/d"]) {
                assert.strictEqual(refusal(PLAN, ["--stack", value]),
                    `bench/plan: --stack ${JSON.stringify(value)} is not allowed: a stack name (letters, digits, -, _ and ., optionally org/ or org/project/ in front)\n`);
            }
        });
    });

    describe("unknown options and missing values", () => {
        it("an unknown option is named with the allowed ones, not taken for an option needing a value", () => {
            assert.strictEqual(refusal(PLAN, ["--bogus"]), 'bench/plan: unknown option "--bogus"; allowed: --runs N, --warmups N, --cwd DIR, --stack NAME\n');
            assert.strictEqual(refusal(CORE, ["--bogus"]), 'bench/core: unknown option "--bogus"; allowed: --snapshots N\n');
            assert.strictEqual(refusal(CORE, ["5000"]), 'bench/core: unknown option "5000"; allowed: --snapshots N\n');
            assert.strictEqual(refusal(PACK_LOAD, ["--runs=3"]), 'bench/pack-load: unknown option "--runs=3"; allowed: --chains N, --runs N, --warmups N\n');
            assert.strictEqual(refusal(BENCH, ["--"]), 'bench: unknown option "--"; allowed: --runs N, --warmups N, --only processes,core,pack, --no-record\n');
            assert.strictEqual(refusal(BENCH, ["--toString"]), 'bench: unknown option "--toString"; allowed: --runs N, --warmups N, --only processes,core,pack, --no-record\n');
        });

        it("a missing value: at the end of the line, or another option in its place", () => {
            assert.strictEqual(refusal(BENCH, ["--runs"]), "bench: --runs needs a value: an integer >= 5 (at least 5 runs after a warm-up)\n");
            assert.strictEqual(refusal(BENCH, ["--runs", "--no-record"]), "bench: --runs needs a value: an integer >= 5 (at least 5 runs after a warm-up)\n");
            assert.strictEqual(refusal(PACK_LOAD, ["--runs"]), "bench/pack-load: --runs needs a value: an integer >= 1\n");
            assert.strictEqual(refusal(BENCH, ["--only"]), "bench: --only needs a value: one or more of processes, core, pack, comma-separated\n");
            assert.strictEqual(refusal(PLAN, ["--cwd"]), "bench/plan: --cwd needs a value: an existing directory\n");
        });
    });

    describe("the Node version", () => {
        it("22 and later run; older Node gets one line saying how to run the script on the pinned Node", () => {
            assert.strictEqual(nodeTooOld("v22.0.0", PLAN), undefined);
            assert.strictEqual(nodeTooOld("v24.21.0", BENCH), undefined);
            assert.strictEqual(nodeTooOld("v20.20.2", PACK_LOAD),
                "bench/pack-load: Node v20.20.2 is too old: run it with the project's pinned Node, node_modules/.bin/node dist/bench/pack-load.js (or npm run bench)");
            assert.strictEqual(nodeTooOld("v18.19.0", BENCH),
                "bench: Node v18.19.0 is too old: run it with the project's pinned Node, npm run bench (or node_modules/.bin/node dist/bench/run.js)");
        });

        it("knows each script by its file", () => {
            assert.strictEqual(scriptOf(path.join(DIST_BENCH, "run.js")), BENCH);
            assert.strictEqual(scriptOf(path.join(DIST_BENCH, "plan.js")), PLAN);
            assert.strictEqual(scriptOf(path.join(DIST_BENCH, "core.js")), CORE);
            assert.strictEqual(scriptOf(path.join(DIST_BENCH, "pack-load.js")), PACK_LOAD);
            assert.strictEqual(scriptOf("/usr/lib/node_modules/mocha/bin/mocha.js"), undefined);
            assert.strictEqual(scriptOf(undefined), undefined);
        });
    });

    describe("the scripts themselves", () => {
        const scripts: [string, BenchScript, string][] = [
            ["run", BENCH, 'bench: unknown option "--bogus"; allowed: --runs N, --warmups N, --only processes,core,pack, --no-record\n'],
            ["plan", PLAN, 'bench/plan: unknown option "--bogus"; allowed: --runs N, --warmups N, --cwd DIR, --stack NAME\n'],
            ["core", CORE, 'bench/core: unknown option "--bogus"; allowed: --snapshots N\n'],
            ["pack-load", PACK_LOAD, 'bench/pack-load: unknown option "--bogus"; allowed: --chains N, --runs N, --warmups N\n'],
        ];

        for (const [file, script, bogus] of scripts) {
            it(`dist/bench/${file}.js: a bad option exits 2 with one line, nothing on stdout, bench/results.md untouched`, () => {
                const results = path.join(ROOT, "bench", "results.md");
                const before = fs.existsSync(results) ? fs.statSync(results).mtimeMs : undefined;
                const run = spawnSync(process.execPath, [path.join(DIST_BENCH, `${file}.js`), "--bogus"], { cwd: ROOT, encoding: "utf8" });
                assert.strictEqual(run.stderr, bogus);
                assert.strictEqual(run.stdout, "");
                assert.strictEqual(run.status, 2);
                assert.strictEqual(fs.existsSync(results) ? fs.statSync(results).mtimeMs : undefined, before);
            });

            it(`dist/bench/${file}.js on Node older than 22: one line, exit 2, before any module but the guard's is loaded`, () => {
                // This Node posing as v20: the guard reads process.version; the script's own name comes from argv[1].
                const entry = path.join(DIST_BENCH, `${file}.js`);
                const probe = [
                    "const fs = require('fs');",
                    "Object.defineProperty(process, 'version', { value: 'v20.20.2' });",
                    `process.argv[1] = ${JSON.stringify(entry)};`,
                    "process.on('exit', () => fs.writeSync(1, JSON.stringify(Object.keys(require.cache))));",
                    `require(${JSON.stringify(entry)});`,
                ].join("\n");
                const run = spawnSync(process.execPath, ["-e", probe], { cwd: ROOT, encoding: "utf8" });
                assert.strictEqual(run.stderr, nodeTooOld("v20.20.2", script) + "\n");
                assert.strictEqual(run.status, 2);
                const loaded = (JSON.parse(run.stdout) as string[]).map((file) => path.relative(DIST_BENCH, file)).sort();
                assert.deepStrictEqual(loaded, [`${file}.js`, "node-guard.js", "options.js"].sort());
            });
        }
    });
});
