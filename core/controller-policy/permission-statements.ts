/**
 * A user's permissions policy read leniently into statements, and the two questions the gap check
 * asks of them: does a statement cover an action (IAM's `*`/`?` wildcards, case-insensitive), and
 * can it reach the partition's resources. IAM JSON is loose (one statement or a list, a string or a list); a
 * statement IAM could not have accepted grants nothing here and is otherwise skipped, because
 * judging malformed documents is the trust-document rules' job, not this one's.
 */
import type { PolicyDocument } from "../snapshot";
import { hasWildcard, wildcardMatch } from "../iam/wildcard";

export interface PermissionStatement {
    readonly effect: "Allow" | "Deny";
    readonly actions?: readonly string[];
    readonly notActions?: readonly string[];
    readonly resources?: readonly string[];
    readonly notResources?: readonly string[];
    /** Action (or NotAction) entries split once for fast lookups: lower-cased literals and wildcard patterns. */
    readonly actionLiterals: ReadonlySet<string>;
    readonly actionPatterns: readonly string[];
    /** Operator → key → values, as written; `undefined` when the statement has none. */
    readonly condition?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

function strings(value: unknown): string[] | undefined {
    if (value === undefined) return undefined;
    const list = Array.isArray(value) ? value : [value];
    return list.every((entry) => typeof entry === "string") ? (list as string[]) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readCondition(value: unknown): PermissionStatement["condition"] | null {
    if (value === undefined) return undefined;
    if (!isObject(value)) return null;
    const condition: Record<string, Record<string, string[]>> = {};
    for (const [operator, block] of Object.entries(value)) {
        if (!isObject(block)) return null;
        condition[operator] = {};
        for (const [key, raw] of Object.entries(block)) {
            const list = Array.isArray(raw) ? raw : [raw];
            if (!list.every((entry) => ["string", "boolean", "number"].includes(typeof entry))) return null;
            condition[operator][key] = list.map(String);
        }
    }
    return condition;
}

export function readPermissionStatements(policy: PolicyDocument | undefined): PermissionStatement[] {
    if (!isObject(policy)) return [];
    const raw = policy.Statement;
    const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    const statements: PermissionStatement[] = [];
    for (const item of list) {
        if (!isObject(item) || (item.Effect !== "Allow" && item.Effect !== "Deny")) continue;
        const actions = strings(item.Action);
        const notActions = strings(item.NotAction);
        const resources = strings(item.Resource);
        const notResources = strings(item.NotResource);
        const condition = readCondition(item.Condition);
        // IAM requires exactly one of Action/NotAction and of Resource/NotResource.
        if ((actions === undefined) === (notActions === undefined)) continue;
        if ((resources === undefined) === (notResources === undefined)) continue;
        if (condition === null) continue;
        const entries = (actions ?? notActions!).map((entry) => entry.toLowerCase());
        statements.push({
            effect: item.Effect,
            actions,
            notActions,
            resources,
            notResources,
            condition,
            actionLiterals: new Set(entries.filter((entry) => !hasWildcard(entry))),
            actionPatterns: entries.filter(hasWildcard),
        });
    }
    return statements;
}

/** Whether the statement's Action (or NotAction) covers `action`; IAM compares actions case-insensitively. */
export function coversAction(statement: PermissionStatement, action: string): boolean {
    const lower = action.toLowerCase();
    const listed = statement.actionLiterals.has(lower) || statement.actionPatterns.some((pattern) => wildcardMatch(pattern, lower));
    return statement.actions !== undefined ? listed : !listed;
}

/**
 * Whether the statement can apply to some resource in `partition`: a Resource of `*`, or an ARN
 * pattern whose partition field admits it. A policy copied from another partition's documentation
 * names resources the controller never touches.
 */
export function reachesPartition(statement: PermissionStatement, partition: string): boolean {
    if (statement.resources === undefined) {
        return true;
    }
    return statement.resources.some((pattern) => {
        if (pattern === "*") return true;
        const fields = pattern.split(":");
        return fields.length >= 2 && wildcardMatch(fields[0], "arn") && wildcardMatch(fields[1], partition);
    });
}

/** Whether the statement applies to every resource (`*`, `arn:*:*:...`), so a Deny with it is absolute. */
export function coversEveryResource(statement: PermissionStatement): boolean {
    if (statement.resources === undefined) return false;
    return statement.resources.some((pattern) => pattern === "*" || /^arn(:\*)+$/.test(pattern) || /^\*(:\*)*$/.test(pattern));
}
