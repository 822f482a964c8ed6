/**
 * IAM condition operators and their semantics, as the IAM documentation states them: value lists are
 * any-of (and none-of for the negated operators), an absent key makes a positive operator false and
 * a negated one true, `...IfExists` makes an absent key true, `Null` tests presence, and `*`/`?` are
 * wildcards only in the `Like` operators and in `Arn*` (where `ArnEquals` and `ArnLike` are the
 * same). Operator names are resolved once per distinct spelling and cached.
 */
import { wildcardMatch } from "./wildcard";

/** Compares one request value with one policy value. */
type ValueMatcher = (requestValue: string, policyValue: string) => boolean;

export interface BaseOperator {
    /** Canonical name, e.g. `StringLike`. */
    readonly name: string;
    /** `StringNotEquals` and friends: a value list is none-of, an absent key satisfies it. */
    readonly negated: boolean;
    /** `Null` is a presence test, not a value comparison. */
    readonly presence: boolean;
    /** The only operators in which `*` and `?` are wildcards. */
    readonly wildcards: boolean;
    /** The kind of value compared; only the `string` family ever carries service-account names. */
    readonly family: "string" | "arn" | "numeric" | "date" | "bool" | "binary" | "ip" | "null";
    readonly match: ValueMatcher;
}

export interface ResolvedOperator {
    readonly base: BaseOperator;
    readonly qualifier?: "ForAnyValue" | "ForAllValues";
    readonly ifExists: boolean;
}

const stringEquals: ValueMatcher = (a, b) => a === b;
const stringEqualsIgnoreCase: ValueMatcher = (a, b) => a.length === b.length && a.toLowerCase() === b.toLowerCase();
const stringLike: ValueMatcher = (a, b) => wildcardMatch(b, a);

/** ARNs compare segment by segment (six segments, the last keeps its colons), each a wildcard match. */
const arnLike: ValueMatcher = (a, b) => {
    const request = splitArn(a);
    const policy = splitArn(b);
    if (request === undefined || policy === undefined) return false;
    for (let i = 0; i < 6; i++) {
        if (!wildcardMatch(policy[i], request[i])) return false;
    }
    return true;
};

function splitArn(arn: string): string[] | undefined {
    const parts = arn.split(":");
    if (parts.length < 6) return undefined;
    return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

function numeric(compare: (a: number, b: number) => boolean): ValueMatcher {
    return (a, b) => {
        const x = Number(a);
        const y = Number(b);
        return a.trim() !== "" && b.trim() !== "" && !Number.isNaN(x) && !Number.isNaN(y) && compare(x, y);
    };
}

function date(compare: (a: number, b: number) => boolean): ValueMatcher {
    const toEpoch = (v: string): number => (/^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v));
    return (a, b) => {
        const x = toEpoch(a);
        const y = toEpoch(b);
        return !Number.isNaN(x) && !Number.isNaN(y) && compare(x, y);
    };
}

const bool: ValueMatcher = (a, b) => a.toLowerCase() === b.toLowerCase();

/** IPv4 CIDR containment; IPv6 compares literally (no IRSA request carries an address key). */
const ipAddress: ValueMatcher = (a, b) => {
    const [net, bitsText] = b.split("/");
    const ip = ipv4(a);
    const base = ipv4(net);
    if (ip === undefined || base === undefined) return a === b;
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return ((ip & mask) >>> 0) === ((base & mask) >>> 0);
};

function ipv4(text: string): number | undefined {
    const parts = text.split(".");
    if (parts.length !== 4) return undefined;
    let value = 0;
    for (const part of parts) {
        const n = Number(part);
        if (!/^\d{1,3}$/.test(part) || n > 255) return undefined;
        value = value * 256 + n;
    }
    return value;
}

type Family = BaseOperator["family"];
function op(name: string, family: Family, match: ValueMatcher, negated = false, wildcards = false): BaseOperator {
    return { name, family, match, negated, wildcards, presence: false };
}

const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const eq = (a: number, b: number) => a === b;

const BASE_OPERATORS: readonly BaseOperator[] = [
    op("StringEquals", "string", stringEquals),
    op("StringNotEquals", "string", stringEquals, true),
    op("StringEqualsIgnoreCase", "string", stringEqualsIgnoreCase),
    op("StringNotEqualsIgnoreCase", "string", stringEqualsIgnoreCase, true),
    op("StringLike", "string", stringLike, false, true),
    op("StringNotLike", "string", stringLike, true, true),
    op("NumericEquals", "numeric", numeric(eq)),
    op("NumericNotEquals", "numeric", numeric(eq), true),
    op("NumericLessThan", "numeric", numeric(lt)),
    op("NumericLessThanEquals", "numeric", numeric(le)),
    op("NumericGreaterThan", "numeric", numeric(gt)),
    op("NumericGreaterThanEquals", "numeric", numeric(ge)),
    op("DateEquals", "date", date(eq)),
    op("DateNotEquals", "date", date(eq), true),
    op("DateLessThan", "date", date(lt)),
    op("DateLessThanEquals", "date", date(le)),
    op("DateGreaterThan", "date", date(gt)),
    op("DateGreaterThanEquals", "date", date(ge)),
    op("Bool", "bool", bool),
    op("BinaryEquals", "binary", stringEquals),
    op("IpAddress", "ip", ipAddress),
    op("NotIpAddress", "ip", ipAddress, true),
    op("ArnEquals", "arn", arnLike, false, true),
    op("ArnNotEquals", "arn", arnLike, true, true),
    op("ArnLike", "arn", arnLike, false, true),
    op("ArnNotLike", "arn", arnLike, true, true),
    { name: "Null", family: "null", match: stringEquals, negated: false, wildcards: false, presence: true },
];

const BY_NAME = new Map(BASE_OPERATORS.map((base) => [base.name, base]));

/** Every operator IAM accepts, for messages. */
export const BASE_OPERATOR_NAMES: readonly string[] = BASE_OPERATORS.map((base) => base.name);

const resolved = new Map<string, ResolvedOperator | null>();

/**
 * `ForAnyValue:StringLike`, `StringEqualsIfExists`, ... → its parts; `undefined` when IAM would
 * reject the name (operator names are case-sensitive in IAM; `NullIfExists` does not exist).
 */
export function resolveOperator(name: string): ResolvedOperator | undefined {
    let hit = resolved.get(name);
    if (hit === undefined) {
        hit = parseOperator(name) ?? null;
        resolved.set(name, hit);
    }
    return hit ?? undefined;
}

function parseOperator(name: string): ResolvedOperator | undefined {
    let rest = name;
    let qualifier: ResolvedOperator["qualifier"];
    const colon = rest.indexOf(":");
    if (colon >= 0) {
        const prefix = rest.slice(0, colon);
        if (prefix !== "ForAnyValue" && prefix !== "ForAllValues") return undefined;
        qualifier = prefix;
        rest = rest.slice(colon + 1);
    }
    let ifExists = false;
    if (rest.endsWith("IfExists")) {
        ifExists = true;
        rest = rest.slice(0, -"IfExists".length);
    }
    const base = BY_NAME.get(rest);
    if (base === undefined) return undefined;
    if (base.presence && (ifExists || qualifier !== undefined)) return undefined;
    return { base, qualifier, ifExists };
}

/**
 * One condition entry (operator, key, policy values) against the request's values for that key
 * (`undefined`: the key is absent from the request context).
 */
export function conditionHolds(operator: ResolvedOperator, policyValues: readonly string[], requestValues: readonly string[] | undefined): boolean {
    const { base, qualifier, ifExists } = operator;
    const absent = requestValues === undefined || requestValues.length === 0;
    if (base.presence) {
        // "Null": "true" asks for an absent key, "false" for a present one; a list is any-of.
        return policyValues.some((v) => (v.toLowerCase() === "true") === absent);
    }
    if (absent) {
        if (ifExists) return true;
        if (qualifier === "ForAllValues") return true;
        if (qualifier === "ForAnyValue") return false;
        return base.negated;
    }
    const holdsFor = (value: string): boolean => {
        const anyMatch = policyValues.some((p) => base.match(value, p));
        return base.negated ? !anyMatch : anyMatch;
    };
    if (qualifier === "ForAllValues") return requestValues.every(holdsFor);
    if (qualifier === "ForAnyValue") return requestValues.some(holdsFor);
    // A single-valued key: the one request value decides; for several, any-of (none-of when negated).
    return base.negated ? requestValues.every(holdsFor) : requestValues.some(holdsFor);
}
