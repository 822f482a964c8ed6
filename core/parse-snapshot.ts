/**
 * Turns untrusted JSON into a WiringSnapshot, checking the type of every field the corpus README
 * defines. A misspelt field would otherwise be ignored and its rule would silently not fire, so
 * unknown fields are refused too. Every problem is collected and reported in one SnapshotError whose
 * message names each field path, its bad value and what is allowed.
 */
import { MAX_JSON_DEPTH, preview, tooDeepAt } from "./json-depth";
import { childPath } from "./path";
import type { WiringSnapshot } from "./snapshot";

const MAX_PROBLEMS_SHOWN = 5;

export class SnapshotError extends Error {
    /** One entry per bad field: `<path>: <problem>`. */
    readonly problems: readonly string[];
    constructor(problems: readonly string[], source?: string) {
        // One line a reader can take in: the first few problems, and how many more `problems` holds.
        const shown = problems.length > MAX_PROBLEMS_SHOWN ? [...problems.slice(0, MAX_PROBLEMS_SHOWN), `and ${problems.length - MAX_PROBLEMS_SHOWN} more`] : problems;
        super(`${source !== undefined ? `${source}: ` : ""}${shown.join("; ")}`);
        this.name = "SnapshotError";
        this.problems = problems;
    }
}

/**
 * Checks one value; `path` is built only when there is something to report (most snapshots are
 * valid, and building every path would cost more than checking).
 */
type Check = (value: unknown, path: () => string, problems: string[]) => void;

function show(value: unknown): string {
    return preview(value, 60);
}

function typeName(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "an array";
    if (typeof value === "number" && !Number.isFinite(value)) return "a number: the literal is beyond the range of a double";
    return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function bad(problems: string[], path: () => string, value: unknown, expected: string): void {
    problems.push(`${path()} is ${show(value)} (${typeName(value)}); expected ${expected}`);
}

const string: Check = (v, p, out) => { if (typeof v !== "string") bad(out, p, v, "a string"); };
const boolean: Check = (v, p, out) => { if (typeof v !== "boolean") bad(out, p, v, "true or false"); };
/** A closed set of strings the format (after the AWS API behind it) allows, spelled exactly. */
const oneOf = (...allowed: string[]): Check => (v, p, out) => {
    if (typeof v !== "string" || !allowed.includes(v)) bad(out, p, v, allowed.map((a) => JSON.stringify(a)).join(" or "));
};
const integerIn = (min: number, max: number): Check => (v, p, out) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) bad(out, p, v, `an integer from ${min} to ${max}`);
};
const anyObject: Check = (v, p, out) => { if (!isObject(v)) bad(out, p, v, "a JSON object"); };
/** Also allows `null`; a problem with the value itself (not with a field inside it) names both choices. */
const orNull = (check: Check, expected: string): Check => (v, p, out) => {
    if (v === null) return;
    const before = out.length;
    check(v, p, out);
    if (out.length === before) return;
    const own = `${p()} is `;
    for (let i = before; i < out.length; i++) {
        if (out[i].startsWith(own)) out[i] = `${own}${show(v)} (${typeName(v)}); expected ${expected}`;
    }
};
const arrayOf = (check: Check, expected: string): Check => (v, p, out) => {
    if (!Array.isArray(v)) { bad(out, p, v, `a list of ${expected}`); return; }
    v.forEach((item, i) => check(item, () => childPath(p(), i), out));
};
const stringMap: Check = (v, p, out) => {
    if (!isObject(v)) { bad(out, p, v, "an object of string values"); return; }
    for (const [key, value] of Object.entries(v)) string(value, () => childPath(p(), key), out);
};

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function shape(fields: Record<string, Check>, open = false): Check {
    const allowed = Object.keys(fields);
    return (v, p, out) => {
        if (!isObject(v)) { bad(out, p, v, `an object with fields ${allowed.join(", ")}`); return; }
        let unknown: string[] | undefined;
        let at = 0;
        for (const key in v) {
            const value = v[key];
            const check = Object.hasOwn(fields, key) ? fields[key] : undefined;
            if (check !== undefined) {
                if (value !== undefined) check(value, () => childPath(p(), key), out);
            } else if (!open) {
                if (unknown === undefined) { unknown = []; at = out.length; }
                unknown.push(key);
            }
        }
        // Where the first unknown key stood, so problems stay in the document's order.
        if (unknown !== undefined) out.splice(at, 0, notFields(unknown.map((key) => childPath(p(), key)), p(), allowed));
    };
}

/** One problem for all unknown keys of an object, so the list of allowed fields is given once. */
function notFields(paths: readonly string[], owner: string, allowed: readonly string[]): string {
    return paths.length === 1
        ? `${paths[0]} is not a field of ${owner}; allowed: ${allowed.join(", ")}`
        : `${paths.join(", ")} are not fields of ${owner}; allowed: ${allowed.join(", ")}`;
}

const SNAPSHOT_FIELDS: Record<string, Check> = {
    cluster: shape({ name: string, region: string, partition: string, accountId: string, oidcIssuer: string }),
    oidcProvider: orNull(shape({
        url: string,
        clientIdList: arrayOf(string, "strings"),
        thumbprintList: arrayOf(string, "strings"),
        accountId: string,
    }), "an object {url, clientIdList, thumbprintList?, accountId?} or null"),
    trustPolicy: anyObject,
    serviceAccount: shape({
        namespace: string,
        name: string,
        roleArnAnnotation: orNull(string, "a string or null"),
        audienceAnnotation: orNull(string, "a string or null"),
        exists: boolean,
    }),
    helmRelease: shape({ name: string, namespace: string }),
    helmValues: anyObject,
    controllerPolicy: anyObject,
    // EC2's InstanceMetadataOptions: HttpTokens optional|required, hop limit 1-64, endpoint enabled|disabled.
    nodeMetadataOptions: shape({ httpTokens: oneOf("required", "optional"), httpPutResponseHopLimit: integerIn(1, 64), httpEndpoint: oneOf("enabled", "disabled") }),
    subnets: arrayOf(shape({ id: string, az: string, public: boolean, tags: stringMap }), "subnet objects"),
    // The controller provisions only these; a CLB or a misspelt scheme would be judged as something else.
    loadBalancer: shape({ kind: oneOf("ALB", "NLB"), scheme: oneOf("internet-facing", "internal") }),
    creationOrder: arrayOf(string, "strings"),
    intendedSubjects: arrayOf(string, "strings"),
    podIdentityAssociation: orNull(shape({ namespace: string, serviceAccount: string, roleArn: string }, true), "an object or null"),
};

const SNAPSHOT_FIELD_NAMES = Object.keys(SNAPSHOT_FIELDS);

const CASE_FIELDS = new Set(["id", "kind", "source", "symptom", "cause", "stage", "input", "expected"]);
/** Keys that only a case file has. */
const CASE_MARKERS = ["id", "kind", "expected"];

/**
 * Validates `raw` as a wiring snapshot, or as a corpus case file (`{id, kind, ..., input}`), whose
 * `input` is the snapshot (paths then start with `input.`). `source` (a file name) prefixes the
 * error message.
 */
export function parseSnapshot(raw: unknown, source?: string): WiringSnapshot {
    const problems: string[] = [];
    if (!isObject(raw)) {
        throw new SnapshotError([`the document is ${show(raw)} (${typeName(raw)}); expected a JSON object (a wiring snapshot, or a case file with "input")`], source);
    }
    const isCase = "input" in raw && Object.keys(raw).every((key) => CASE_FIELDS.has(key));
    // A case file without its input would otherwise be refused key by key, each with the whole list
    // of snapshot fields; these keys are never snapshot fields, so the document is a case file.
    const caseKeys = CASE_MARKERS.filter((key) => key in raw);
    if (!("input" in raw) && caseKeys.length > 0) {
        throw new SnapshotError([`"input" is missing: the document is a case file (it has ${caseKeys.map((k) => `"${k}"`).join(", ")}); put the wiring snapshot under "input"`], source);
    }
    const snapshot = isCase ? raw.input : raw;
    const root = isCase ? "input" : "";
    if (!isObject(snapshot)) {
        throw new SnapshotError([`input is ${show(snapshot)} (${typeName(snapshot)}); expected a wiring snapshot object`], source);
    }
    // Before any check recurses: a few kilobytes of brackets would otherwise exhaust the stack.
    const deep = tooDeepAt(snapshot, root);
    if (deep !== undefined) {
        throw new SnapshotError([`${deep} is nested more than ${MAX_JSON_DEPTH} levels deep; no field of a wiring snapshot is (flatten or remove it)`], source);
    }
    const unknown: string[] = [];
    let at = 0;
    for (const key in snapshot) {
        const value = snapshot[key];
        // hasOwn: a key such as "constructor" must not find Object.prototype's members.
        const check = Object.hasOwn(SNAPSHOT_FIELDS, key) ? SNAPSHOT_FIELDS[key] : undefined;
        if (check === undefined) {
            if (unknown.length === 0) at = problems.length;
            unknown.push(childPath(root, key));
        } else if (value !== undefined) {
            check(value, () => childPath(root, key), problems);
        }
    }
    if (unknown.length > 0) problems.splice(at, 0, notFields(unknown, "a wiring snapshot", SNAPSHOT_FIELD_NAMES));
    if (problems.length > 0) throw new SnapshotError(problems, source);
    return snapshot as WiringSnapshot;
}
