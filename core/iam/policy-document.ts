/**
 * An IAM policy document read into statements the evaluator can walk quickly, together with the
 * structural problems IAM would refuse at CreateRole. IAM JSON is loose (a single statement or a
 * list, a string or a list of strings, booleans as values); this is the one place that absorbs that
 * looseness, so nothing downstream has to.
 */
import { preview } from "../json-depth";
import { childPath } from "../path";
import { resolveOperator, type ResolvedOperator, BASE_OPERATOR_NAMES } from "./condition-operators";

/** `"*"`, or principal values per type as written (`AWS`, `Federated`, `Service`, `CanonicalUser`). */
export type PrincipalSpec = "*" | Readonly<Record<string, readonly string[]>>;

export interface ConditionEntry {
    /** The operator as written, e.g. `ForAnyValue:StringLike`. */
    readonly operatorName: string;
    readonly operator: ResolvedOperator;
    /** The key as written; IAM matches keys case-insensitively, hence `keyLower`. */
    readonly key: string;
    readonly keyLower: string;
    readonly values: readonly string[];
    readonly path: string;
}

/** Paths are needed only for findings, which are rare: built on first use, not for every key read. */
class Entry implements ConditionEntry {
    readonly keyLower: string;
    private cachedPath?: string;
    constructor(
        readonly operatorName: string,
        readonly operator: ResolvedOperator,
        readonly key: string,
        readonly values: readonly string[],
        private readonly operatorPath: string,
    ) {
        this.keyLower = key.toLowerCase();
    }
    get path(): string {
        return (this.cachedPath ??= childPath(this.operatorPath, this.key));
    }
}

export interface PolicyStatement {
    readonly index: number;
    readonly path: string;
    readonly sid?: string;
    readonly effect: "Allow" | "Deny";
    readonly principal?: PrincipalSpec;
    readonly notPrincipal?: PrincipalSpec;
    readonly actions?: readonly string[];
    readonly notActions?: readonly string[];
    readonly conditions: readonly ConditionEntry[];
}

export interface DocumentProblem {
    readonly rule: "trust-document-malformed";
    readonly path: string;
    readonly message: string;
    readonly fix: string;
}

export interface ReadPolicy {
    /** Statements IAM could evaluate; a statement with a problem is left out. */
    readonly statements: readonly PolicyStatement[];
    readonly problems: readonly DocumentProblem[];
    /**
     * Every condition entry of every statement, those left out included, so that key-level checks
     * need not enumerate the condition objects again (their keys are unique per cluster, and every
     * enumeration of such an object is slow the first time).
     */
    readonly conditionEntries: readonly ConditionEntry[];
}

const PRINCIPAL_TYPES = new Set(["AWS", "Federated", "Service", "CanonicalUser"]);
/** The policy language versions IAM accepts; any other Version makes the document invalid. */
const POLICY_VERSIONS = new Set(["2012-10-17", "2008-10-17"]);
/** The elements of a policy and of a statement in IAM's grammar; IAM refuses any other, it never ignores one. */
const POLICY_ELEMENTS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_ELEMENTS = new Set(["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
/** `*`, or `<service>:<action>` with one colon (the action part may hold * and ?). */
const ACTION = /^(\*|[A-Za-z0-9-]+:[^:\s]*)$/;
/** IAM (identity-based and role trust policies) allows only ASCII letters and digits in a Sid. */
const SID = /^[0-9A-Za-z]*$/;
/**
 * ACLSizePerRole: IAM counts a role trust policy's characters, whitespace excluded, against 2,048 by
 * default (an account can have the quota raised); a larger document is refused with LimitExceeded.
 */
export const TRUST_POLICY_DEFAULT_SIZE_LIMIT = 2048;

/** The characters IAM counts against the size quota: the document without whitespace; `undefined` if it cannot be serialised. */
function countedSize(document: unknown): number | undefined {
    try {
        const text = JSON.stringify(document);
        return text === undefined ? undefined : text.replace(/\s+/g, "").length;
    } catch {
        return undefined;
    }
}

/**
 * Room left for JSON escapes when `plainLength` says a document is small: only a document whose
 * strings hold more than 256 quotes and backslashes (or about 50 control characters) can pass the
 * quota with a plain length this far under it.
 */
const ESCAPE_ALLOWANCE = 256;

/**
 * The compact JSON length of `value` with no string escaped, counting whitespace inside strings:
 * IAM's count is at most this plus what escapes add. About a tenth of the cost of `JSON.stringify`,
 * which is what made checking every trust policy's size cost half as much as parsing it; only a
 * document near the limit is then serialised to be counted exactly. Stops once past `budget`.
 */
function plainLength(value: unknown, budget: number, depth = 0): number {
    if (typeof value === "string") return value.length + 2;
    if (typeof value === "number") return String(value).length;
    if (typeof value !== "object" || value === null) return 5;
    // Deeper than any policy: let the exact count decide (or fail) rather than recurse further.
    if (depth > 64) return Infinity;
    let length = 1;
    if (Array.isArray(value)) {
        for (const item of value) {
            length += 1 + plainLength(item, budget - length, depth + 1);
            if (length > budget) break;
        }
        return length;
    }
    for (const key in value) {
        length += key.length + 4 + plainLength((value as Record<string, unknown>)[key], budget - length, depth + 1);
        if (length > budget) break;
    }
    return length;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Bounded: a document handed to the core directly (not through parseSnapshot) may nest without limit. */
function show(value: unknown): string {
    return preview(value, 120);
}

/**
 * Reads a policy as a role trust policy. `kind: "trust"` adds IAM's trust-policy rules (a principal
 * is required, `Resource` is prohibited); `"permissions"` the reverse.
 */
export function readPolicy(document: unknown, root: string, kind: "trust" | "permissions" = "trust"): ReadPolicy {
    const problems: DocumentProblem[] = [];
    const statements: PolicyStatement[] = [];
    const conditionEntries: ConditionEntry[] = [];
    const problem = (path: string, message: string, fix: string) =>
        problems.push({ rule: "trust-document-malformed", path, message, fix });

    if (!isObject(document)) {
        problem(root, `${root} is ${show(document)}, not a policy document object`, "Give the role a JSON policy object with a Statement list.");
        return { statements, problems, conditionEntries };
    }
    // Problems of the document as a whole: IAM refuses it, but its statements stay readable.
    const grammar: DocumentProblem[] = [];
    const refuse = (path: string, message: string, fix: string) =>
        grammar.push({ rule: "trust-document-malformed", path, message, fix });
    const version = document.Version;
    if (version !== undefined && (typeof version !== "string" || !POLICY_VERSIONS.has(version))) {
        const at = childPath(root, "Version");
        refuse(at, `${at} is ${show(version)}; IAM accepts only "2012-10-17" or "2008-10-17" and refuses the document`, 'Set Version to "2012-10-17".');
    }
    for (const key of Object.keys(document)) {
        if (POLICY_ELEMENTS.has(key)) continue;
        const at = childPath(root, key);
        refuse(at, `${at} is not an element of an IAM policy (allowed: ${[...POLICY_ELEMENTS].join(", ")}); IAM refuses the document rather than ignore it`,
            `Remove "${key}" or spell the element as IAM does${/^statements?$/i.test(key) && key !== "Statement" ? ' ("Statement")' : ""}.`);
    }
    if (kind === "trust") {
        const limit = TRUST_POLICY_DEFAULT_SIZE_LIMIT - ESCAPE_ALLOWANCE;
        const size = plainLength(document, limit) <= limit ? undefined : countedSize(document);
        if (size !== undefined && size > TRUST_POLICY_DEFAULT_SIZE_LIMIT) {
            refuse(root, `${root} is ${size} characters long without whitespace, more than the ${TRUST_POLICY_DEFAULT_SIZE_LIMIT} of IAM's default ACLSizePerRole quota; IAM refuses it (LimitExceeded: Cannot exceed quota for ACLSizePerRole) unless the account's quota was raised`,
                "Split the subjects over several roles, trust a namespace pattern only where that is acceptable, or request a higher ACLSizePerRole quota for the account.");
        }
    }
    const sids = new Map<string, string>();
    const raw = document.Statement;
    const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    const statementRoot = childPath(root, "Statement");
    if (raw === undefined || list.length === 0) {
        problem(statementRoot, `${statementRoot} is missing or empty: IAM refuses a policy without statements`, "Add at least one statement.");
    }
    list.forEach((item, index) => {
        const path = Array.isArray(raw) ? childPath(statementRoot, index) : statementRoot;
        const before = problems.length;
        if (!isObject(item)) {
            problem(path, `${path} is ${show(item)}, not a statement object`, "Write each statement as a JSON object.");
            return;
        }
        for (const key of Object.keys(item)) {
            if (STATEMENT_ELEMENTS.has(key)) continue;
            const at = childPath(path, key);
            const meant = [...STATEMENT_ELEMENTS].find((e) => e.toLowerCase() === key.toLowerCase().replace(/s$/, "") || e.toLowerCase() === key.toLowerCase());
            refuse(at, `${at} is not an element of a policy statement (allowed: ${[...STATEMENT_ELEMENTS].join(", ")}); IAM refuses the document rather than ignore it`,
                meant !== undefined ? `Rename "${key}" to "${meant}".` : `Remove "${key}".`);
        }
        const sid = item.Sid;
        if (sid !== undefined) {
            const at = childPath(path, "Sid");
            if (typeof sid !== "string" || !SID.test(sid)) {
                refuse(at, `${at} is ${show(sid)}; IAM allows only ASCII letters and digits in a Sid (Statement IDs must be alpha-numeric) and refuses the document`,
                    typeof sid === "string" ? `Write the Sid as "${sid.replace(/[^0-9A-Za-z]/g, "")}" or drop it.` : "Write the Sid as a string of letters and digits, or drop it.");
            } else if (sid !== "") {
                const first = sids.get(sid);
                if (first !== undefined) {
                    refuse(at, `${at} repeats the Sid "${sid}" of ${first}; IAM requires the Statement Ids of a policy to be unique and refuses the document`,
                        `Give each statement its own Sid (e.g. "${sid}${index}") or drop the Sids.`);
                } else {
                    sids.set(sid, path);
                }
            }
        }
        const effect = item.Effect;
        if (effect !== "Allow" && effect !== "Deny") {
            problem(childPath(path, "Effect"), `${childPath(path, "Effect")} is ${show(effect)}; IAM allows only "Allow" or "Deny"`, 'Set Effect to "Allow" or "Deny" (exact spelling).');
        }
        const principal = readPrincipal(item.Principal, childPath(path, "Principal"), problem);
        const notPrincipal = readPrincipal(item.NotPrincipal, childPath(path, "NotPrincipal"), problem);
        if (kind === "trust") {
            // IAM refuses NotPrincipal in a role trust policy whatever the Effect (CreateRole and
            // UpdateAssumeRolePolicy fail with MalformedPolicyDocument), so such a role never exists.
            if (item.NotPrincipal !== undefined) {
                const at = childPath(path, "NotPrincipal");
                problem(at, `${at} is ${show(item.NotPrincipal)}; IAM does not allow NotPrincipal in a role trust policy (with ${show(effect)} or any Effect) and refuses the document`,
                    effect === "Deny"
                        ? 'Remove the statement, or write it with "Principal": "*" and a condition such as ArnNotEquals on "aws:PrincipalArn" for the principals to exempt.'
                        : 'Name who may assume the role in "Principal", e.g. {"Federated": "<OIDC provider ARN>"}.');
            } else if (item.Principal === undefined) {
                problem(path, `${path} has no Principal; IAM requires one in every statement of a trust policy`, "Name who may assume the role in Principal.");
            }
            for (const field of ["Resource", "NotResource"]) {
                if (item[field] !== undefined) {
                    problem(childPath(path, field), `${childPath(path, field)} is present; IAM prohibits ${field} in a trust policy`, `Remove ${field}: a trust policy's resource is the role itself.`);
                }
            }
        }
        const actions = readStrings(item.Action, childPath(path, "Action"), problem);
        const notActions = readStrings(item.NotAction, childPath(path, "NotAction"), problem);
        for (const [field, list] of [["Action", actions], ["NotAction", notActions]] as const) {
            list?.forEach((action, i) => {
                if (ACTION.test(action)) return;
                const at = Array.isArray(item[field]) ? childPath(childPath(path, field), i) : childPath(path, field);
                const colons = action.split(":").length - 1;
                refuse(at, colons === 0
                    ? `${at} is ${show(action)}, an action without its service prefix; IAM refuses the document (Actions/Conditions must be prefaced by a vendor)`
                    : `${at} is ${show(action)}; an action is <service>:<action> with exactly one colon, and IAM refuses the document`,
                    colons === 0 && /^AssumeRole/i.test(action) ? `Write "sts:${action}".` : 'Write the action as "<service>:<action>", e.g. "sts:AssumeRoleWithWebIdentity".');
            });
        }
        if ((item.Action === undefined) === (item.NotAction === undefined)) {
            problem(path, `${path} must have exactly one of Action or NotAction`, 'Name the action, e.g. "sts:AssumeRoleWithWebIdentity".');
        }
        const conditions = readConditions(item.Condition, `${path}.Condition`, problem);
        for (const entry of conditions) conditionEntries.push(entry);
        if (problems.length > before) return;
        statements.push({
            index,
            path,
            sid: typeof item.Sid === "string" ? item.Sid : undefined,
            effect: effect as "Allow" | "Deny",
            principal,
            notPrincipal,
            actions,
            notActions,
            conditions,
        });
    });
    for (const p of grammar) problems.push(p);
    return { statements, problems, conditionEntries };
}

type Report = (path: string, message: string, fix: string) => void;

function readStrings(value: unknown, path: string, problem: Report): string[] | undefined {
    if (value === undefined) return undefined;
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0 || !list.every((v) => typeof v === "string")) {
        problem(path, `${path} is ${show(value)}; expected a string or a non-empty list of strings`, "Write each entry as a JSON string.");
        return undefined;
    }
    return list as string[];
}

function readPrincipal(value: unknown, path: string, problem: Report): PrincipalSpec | undefined {
    if (value === undefined) return undefined;
    if (value === "*") return "*";
    if (!isObject(value)) {
        problem(path, `${path} is ${show(value)}; expected "*" or an object keyed by AWS, Federated, Service or CanonicalUser`, 'Write e.g. {"Federated": "<OIDC provider ARN>"}.');
        return undefined;
    }
    const spec: Record<string, readonly string[]> = {};
    for (const [type, entries] of Object.entries(value)) {
        if (!PRINCIPAL_TYPES.has(type)) {
            problem(childPath(path, type), `${path} has principal type ${show(type)}; allowed: AWS, Federated, Service, CanonicalUser`, "Use one of the principal types IAM knows (case-sensitive).");
            continue;
        }
        const list = readStrings(entries, childPath(path, type), problem);
        if (list !== undefined) spec[type] = list;
    }
    return spec;
}

function readConditions(value: unknown, path: string, problem: Report): ConditionEntry[] {
    if (value === undefined) return [];
    if (!isObject(value)) {
        problem(path, `${path} is ${show(value)}; expected an object of operators`, 'Write e.g. {"StringEquals": {"<key>": "<value>"}}.');
        return [];
    }
    const entries: ConditionEntry[] = [];
    for (const [operatorName, block] of Object.entries(value)) {
        const operatorPath = childPath(path, operatorName);
        const operator = resolveOperator(operatorName);
        if (operator === undefined) {
            problem(operatorPath, `condition operator ${show(operatorName)} is not one IAM knows; allowed: ${BASE_OPERATOR_NAMES.join(", ")}, with an optional ForAnyValue:/ForAllValues: prefix or IfExists suffix`, "Use an IAM condition operator, spelled exactly.");
            continue;
        }
        if (!isObject(block)) {
            problem(operatorPath, `${operatorPath} is ${show(block)}; expected an object of condition keys`, 'Write e.g. {"<key>": "<value>"}.');
            continue;
        }
        for (const [key, raw] of Object.entries(block)) {
            if (typeof raw === "string") {
                entries.push(new Entry(operatorName, operator, key, [raw], operatorPath));
                continue;
            }
            const list = Array.isArray(raw) ? raw : [raw];
            if (list.length === 0 || !list.every((v) => typeof v === "string" || typeof v === "boolean" || typeof v === "number")) {
                const keyPath = childPath(operatorPath, key);
                problem(keyPath, `${keyPath} is ${show(raw)}; expected a string or a non-empty list of strings`, "Write condition values as strings.");
                continue;
            }
            entries.push(new Entry(operatorName, operator, key, list.map((v) => String(v)), operatorPath));
        }
    }
    return entries;
}
