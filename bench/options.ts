/**
 * The command lines of the bench scripts (`npm run bench` = bench/run.ts, and bench/plan.ts,
 * bench/core.ts, bench/pack-load.ts run alone), in one place so that they behave alike:
 *
 * - every option takes its value as the next argument (`--runs 7`); integers are digits only
 *   (no sign, no spaces, no "0x10", "1e1", "5.5" or "Infinity");
 * - a bad option stops the script before it measures or writes anything: exit 2 and one line on
 *   stderr naming the option, the value as JSON.stringify quotes it, and what is allowed;
 * - `--help` prints the usage and exits 0;
 * - on Node older than 22 each script says how to run it on the project's pinned Node and exits 2
 *   (bench/node-guard.ts, imported first by every script, before any module that needs Node 22).
 *
 * The one rule on runs: `npm run bench`, whose figures are recorded in bench/results.md, takes at
 * least 5 measured runs after a warm-up; the scripts run alone take 1 or more, fewer than 5 being
 * for profiling only.
 *
 * This module loads nothing but `fs` and `path`, so that the version check works on any Node.
 *
 * Why not Node's `util.parseArgs`: it would save only the ~20-line loop in parseOptions. Values
 * still need checking (digits-only integers, sections, directories), and its errors would need
 * rewording to name the value and what is allowed. A CLI library (commander, yargs) would add a
 * dependency to scripts the product never ships.
 */
import * as fs from "fs";
import * as path from "path";

/** The oldest Node the bench runs on (package.json's engines); `npm ci` installs Node 24. */
export const MINIMUM_NODE_MAJOR = 22;
/** Where `npm ci` puts the project's pinned Node. */
export const PINNED_NODE = "node_modules/.bin/node";
/** The snapshots the core's 5x budget is judged on (the issue's 10,000). */
export const CORE_SNAPSHOTS = 10_000;
/** The fewest measured runs whose figures `npm run bench` records. */
export const RECORDED_MINIMUM_RUNS = 5;

/** A bad command line: the message names the option, the value and what is allowed. */
export class OptionError extends Error {}
/** `--help` or `-h`. */
export class HelpRequested extends Error {}

interface Described {
    /** One line for the usage. */
    help: string;
}
export interface IntegerOption extends Described {
    kind: "integer";
    min: number;
    default: number;
    /** Why the minimum, shown with it. */
    why?: string;
}
export interface ListOption<E extends string = string> extends Described {
    kind: "list";
    /** What one entry is called ("section"). */
    item: string;
    allowed: readonly E[];
    default: readonly E[];
}
export interface TextOption extends Described {
    kind: "text";
    placeholder: string;
    /** What is allowed, as the error says it. */
    allowed: string;
    check: (value: string) => boolean;
}
export interface FlagOption extends Described {
    kind: "flag";
}
export type OptionSpec = IntegerOption | ListOption | TextOption | FlagOption;
/** Options by name without the leading "--". */
export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<S> = S extends IntegerOption ? number
    : S extends ListOption<infer E> ? E[]
    : S extends FlagOption ? boolean
    : string | undefined;
export type OptionValues<T extends OptionSpecs> = { -readonly [K in keyof T]: ValueOf<T[K]> };

export function integer(spec: Omit<IntegerOption, "kind">): IntegerOption {
    return { kind: "integer", ...spec };
}
export function list<E extends string>(spec: Omit<ListOption<E>, "kind">): ListOption<E> {
    return { kind: "list", ...spec };
}
export function text(spec: Omit<TextOption, "kind">): TextOption {
    return { kind: "text", ...spec };
}
export function flag(help: string): FlagOption {
    return { kind: "flag", help };
}

/** What an option accepts, as the messages say it. */
export function allowedValues(spec: OptionSpec): string {
    switch (spec.kind) {
        case "integer": return `an integer >= ${spec.min}${spec.why ? ` (${spec.why})` : ""}`;
        case "list": return `one or more of ${spec.allowed.join(", ")}, comma-separated`;
        case "text": return spec.allowed;
        case "flag": return "no value";
    }
}

function placeholder(spec: OptionSpec): string {
    switch (spec.kind) {
        case "integer": return " N";
        case "list": return ` ${spec.allowed.join(",")}`;
        case "text": return ` ${spec.placeholder}`;
        case "flag": return "";
    }
}

/** "--runs N, --warmups N": the options as the unknown-option message lists them. */
export function synopsis(specs: OptionSpecs): string {
    return Object.entries(specs).map(([name, spec]) => `--${name}${placeholder(spec)}`).join(", ");
}

const q = JSON.stringify;

function defaultOf(spec: OptionSpec): unknown {
    switch (spec.kind) {
        case "integer": return spec.default;
        case "list": return [...spec.default];
        case "text": return undefined;
        case "flag": return false;
    }
}

function valueOf(option: string, spec: IntegerOption | ListOption | TextOption, value: string): unknown {
    const refuse = (why = allowedValues(spec)) => new OptionError(`${option} ${q(value)} is not allowed: ${why}`);
    switch (spec.kind) {
        case "integer": {
            if (!/^[0-9]+$/.test(value)) throw refuse();
            const number = Number(value);
            if (!Number.isSafeInteger(number)) throw refuse(`${allowedValues(spec)}, at most ${Number.MAX_SAFE_INTEGER}`);
            if (number < spec.min) throw refuse();
            return number;
        }
        case "list": {
            const entries = value.split(",");
            const bad = entries.find((entry) => !spec.allowed.includes(entry));
            if (bad !== undefined) throw refuse(`${q(bad)} is not a ${spec.item}; ${allowedValues(spec)}`);
            return [...new Set(entries)];
        }
        case "text":
            if (!spec.check(value)) throw refuse();
            return value;
    }
}

/**
 * The options given in `argv`, the defaults for the others. Throws OptionError for an unknown
 * option, a missing value (the end of the line, or another "--option" in its place) or a value
 * not allowed, and HelpRequested for `--help` or `-h`. A repeated option keeps its last value.
 */
export function parseOptions<T extends OptionSpecs>(specs: T, argv: readonly string[]): OptionValues<T> {
    const values: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(specs)) values[name] = defaultOf(spec);
    for (let i = 0; i < argv.length; i++) {
        const option = argv[i];
        if (option === "--help" || option === "-h") throw new HelpRequested();
        const name = option.startsWith("--") ? option.slice(2) : "";
        const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
        if (!spec) throw new OptionError(`unknown option ${q(option)}; allowed: ${synopsis(specs)}`);
        if (spec.kind === "flag") {
            values[name] = true;
            continue;
        }
        const value = argv[i + 1];
        if (value === undefined || value.startsWith("--")) throw new OptionError(`${option} needs a value: ${allowedValues(spec)}`);
        i++;
        values[name] = valueOf(option, spec, value);
    }
    return values as OptionValues<T>;
}

// ---------------------------------------------------------------------------------------------
// The four scripts

export interface BenchScript<T extends OptionSpecs = OptionSpecs> {
    /** The prefix of its messages. */
    name: string;
    /** Its file in dist/bench, without ".js". */
    file: string;
    /** How to run it, as the usage shows it. */
    command: string;
    /** What it does, one line. */
    about: string;
    options: T;
    /** Said after the options in the usage. */
    notes?: string[];
}

const runs = (fallback: number) => integer({
    min: 1, default: fallback,
    help: `measured runs (default ${fallback}); fewer than ${RECORDED_MINIMUM_RUNS} for profiling only, \`npm run bench\` takes ${RECORDED_MINIMUM_RUNS} or more`,
});
const warmups = integer({ min: 1, default: 1, help: "warm-up rounds before the measured ones (default 1)" });

export const SECTIONS = ["processes", "core", "pack"] as const;
export type Section = typeof SECTIONS[number];

export const BENCH = {
    name: "bench",
    file: "run",
    command: "npm run bench --",
    about: "plan vs. CDK synth vs. the floor, the analysis core, the policy pack; figures appended to bench/results.md",
    options: {
        runs: integer({
            min: RECORDED_MINIMUM_RUNS, default: RECORDED_MINIMUM_RUNS, why: `at least ${RECORDED_MINIMUM_RUNS} runs after a warm-up`,
            help: `measured runs of every command (default ${RECORDED_MINIMUM_RUNS})`,
        }),
        warmups,
        only: list({ item: "section", allowed: SECTIONS, default: SECTIONS, help: "the sections to run (default all)" }),
        "no-record": flag("print the figures only, do not append them to bench/results.md"),
    },
} satisfies BenchScript;

function isDirectory(value: string): boolean {
    return value !== "" && fs.statSync(value, { throwIfNoEntry: false })?.isDirectory() === true;
}

export const PLAN = {
    name: "bench/plan",
    file: "plan",
    command: `${PINNED_NODE} dist/bench/plan.js`,
    about: "the offline plan vs. its floor (a process that only loads the four @pulumi SDKs)",
    options: {
        runs: runs(7),
        warmups,
        cwd: text({ placeholder: "DIR", allowed: "an existing directory", check: isDirectory, help: "the Pulumi project to plan (default this one)" }),
        stack: text({
            placeholder: "NAME", allowed: "a stack name (letters, digits, -, _ and ., optionally org/ or org/project/ in front)",
            check: (value) => /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/.test(value), help: "the stack to plan (default: the plan's own choice)",
        }),
    },
} satisfies BenchScript;

export const CORE = {
    name: "bench/core",
    file: "core",
    command: `${PINNED_NODE} dist/bench/core.js`,
    about: "the analysis core over generated snapshots vs. JSON.parse of the same documents",
    options: {
        snapshots: integer({ min: 1, default: CORE_SNAPSHOTS, help: `snapshots to generate and judge (default ${CORE_SNAPSHOTS}; the budget is judged on that many only)` }),
    },
} satisfies BenchScript;

export const PACK_LOAD = {
    name: "bench/pack-load",
    file: "pack-load",
    command: `${PINNED_NODE} dist/bench/pack-load.js`,
    about: "the policy pack over a generated stack of IRSA chains, through the Analyzer protocol, layer by layer",
    options: {
        chains: integer({ min: 1, default: 1000, help: "IRSA chains in the generated stack, 6 resources each (default 1000)" }),
        runs: runs(5),
        warmups,
    },
} satisfies BenchScript;

export const SCRIPTS: readonly BenchScript[] = [BENCH, PLAN, CORE, PACK_LOAD];

export function usage(script: BenchScript): string {
    const entries = Object.entries(script.options).map(([name, spec]) => [`--${name}${placeholder(spec)}`, spec] as const);
    const width = Math.max(...entries.map(([left]) => left.length));
    return [
        `usage: ${script.command} ${entries.map(([left]) => `[${left}]`).join(" ")}`,
        `${script.about}.`,
        ...entries.map(([left, spec]) => `  ${left.padEnd(width)}  ${spec.help}${spec.kind === "flag" ? "" : `; ${allowedValues(spec)}`}`),
        ...(script.notes ?? []),
    ].join("\n") + "\n";
}

export type CommandLine<T extends OptionSpecs> =
    | { options: OptionValues<T> }
    | { exitCode: 0 | 2; stdout?: string; stderr?: string };

/** The options, or what to print and the exit code (2 for a bad option, 0 for `--help`). */
export function readCommandLine<T extends OptionSpecs>(script: BenchScript<T>, argv: readonly string[]): CommandLine<T> {
    try {
        return { options: parseOptions(script.options, argv) };
    } catch (err) {
        if (err instanceof HelpRequested) return { exitCode: 0, stdout: usage(script) };
        if (err instanceof OptionError) return { exitCode: 2, stderr: `${script.name}: ${err.message}\n` };
        throw err;
    }
}

/** The options of `script` from the process's command line; on a bad option or `--help` it exits. */
export function commandLine<T extends OptionSpecs>(script: BenchScript<T>, argv: readonly string[] = process.argv.slice(2)): OptionValues<T> {
    const read = readCommandLine(script, argv);
    if ("options" in read) return read.options;
    // Written synchronously: the process exits right after.
    if (read.stdout) fs.writeSync(1, read.stdout);
    if (read.stderr) fs.writeSync(2, read.stderr);
    process.exit(read.exitCode);
}

// ---------------------------------------------------------------------------------------------
// The Node version

/** The script whose file `entry` is (dist/bench/<file>.js), if it is one of the four. */
export function scriptOf(entry: string | undefined): BenchScript | undefined {
    if (!entry) return undefined;
    const file = path.basename(entry, ".js");
    return SCRIPTS.find((script) => script.file === file);
}

/** How to run the script on the pinned Node. */
function runItWith(script: BenchScript): string {
    const direct = `${PINNED_NODE} dist/bench/${script.file}.js`;
    return script === BENCH ? `npm run bench (or ${direct})` : `${direct} (or npm run bench)`;
}

/** The line to stop with when `version` (process.version) is older than MINIMUM_NODE_MAJOR. */
export function nodeTooOld(version: string, script: BenchScript = BENCH): string | undefined {
    const major = Number(/^v?([0-9]+)\./.exec(version)?.[1]);
    if (major >= MINIMUM_NODE_MAJOR) return undefined;
    return `${script.name}: Node ${version} is too old: run it with the project's pinned Node, ${runItWith(script)}`;
}
