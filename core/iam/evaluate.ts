/**
 * IAM's decision for one request against one policy, with IAM's real order: every statement is
 * examined, an applicable `Deny` wins, otherwise an applicable `Allow` allows, otherwise the request
 * is implicitly denied. A statement applies when its principal (or NotPrincipal), its action (or
 * NotAction) and every condition entry match. For each statement that does not apply, the first
 * reason is kept, so that a refusal can say which link of the statement failed.
 */
import { conditionHolds } from "./condition-operators";
import type { ConditionEntry, PolicyStatement, PrincipalSpec } from "./policy-document";
import { wildcardMatch } from "./wildcard";

export interface RequestPrincipal {
    readonly type: "AWS" | "Federated" | "Service";
    readonly id: string;
}

export interface AuthorizationRequest {
    readonly action: string;
    readonly principal: RequestPrincipal;
    /** Request context keys, lower-cased (IAM matches key names case-insensitively). */
    readonly context: ReadonlyMap<string, readonly string[]>;
    /**
     * Keys the real request carries but whose values cannot be known offline (the caller's IP, the
     * time, TLS), lower-cased. A condition on them is given the benefit of the doubt: it holds in an
     * Allow and does not hold in a Deny, so an unknowable value never makes a working chain look broken.
     */
    readonly unknownKeys?: ReadonlySet<string>;
}

export type StatementMiss =
    | { readonly kind: "principal" }
    | { readonly kind: "action" }
    | { readonly kind: "condition"; readonly entry: ConditionEntry; readonly requestValues?: readonly string[] };

export interface StatementResult {
    readonly statement: PolicyStatement;
    readonly applies: boolean;
    readonly miss?: StatementMiss;
}

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

export interface PolicyDecision {
    readonly decision: Decision;
    /** The statement that decided: the matching Deny, or the first matching Allow. */
    readonly decidingStatement?: PolicyStatement;
    readonly results: readonly StatementResult[];
}

export function principalMatches(spec: PrincipalSpec, principal: RequestPrincipal): boolean {
    if (spec === "*") return true;
    // {"AWS": "*"} is documented as equivalent to "*": it names every principal.
    if (spec.AWS?.includes("*")) return true;
    const values = spec[principal.type];
    if (values === undefined) return false;
    if (principal.type === "Service") {
        const id = principal.id.toLowerCase();
        return values.some((v) => v === "*" || v.toLowerCase() === id);
    }
    return values.some((v) => v === "*" || v === principal.id);
}

export function actionMatches(patterns: readonly string[], action: string): boolean {
    return patterns.some((pattern) => wildcardMatch(pattern, action, true));
}

function firstFailingCondition(statement: PolicyStatement, request: AuthorizationRequest): StatementMiss | undefined {
    const { context, unknownKeys } = request;
    for (const entry of statement.conditions) {
        if (unknownKeys?.has(entry.keyLower)) {
            if (statement.effect === "Allow") continue;
            return { kind: "condition", entry };
        }
        const requestValues = context.get(entry.keyLower);
        if (!conditionHolds(entry.operator, entry.values, requestValues)) {
            return { kind: "condition", entry, requestValues };
        }
    }
    return undefined;
}

export function evaluateStatement(statement: PolicyStatement, request: AuthorizationRequest): StatementResult {
    const principalOk = statement.principal !== undefined
        ? principalMatches(statement.principal, request.principal)
        : statement.notPrincipal !== undefined && !principalMatches(statement.notPrincipal, request.principal);
    if (!principalOk) return { statement, applies: false, miss: { kind: "principal" } };
    const actionOk = statement.actions !== undefined
        ? actionMatches(statement.actions, request.action)
        : statement.notActions !== undefined && !actionMatches(statement.notActions, request.action);
    if (!actionOk) return { statement, applies: false, miss: { kind: "action" } };
    const miss = firstFailingCondition(statement, request);
    return miss === undefined ? { statement, applies: true } : { statement, applies: false, miss };
}

export function evaluatePolicy(statements: readonly PolicyStatement[], request: AuthorizationRequest): PolicyDecision {
    const results = statements.map((statement) => evaluateStatement(statement, request));
    const deny = results.find((r) => r.applies && r.statement.effect === "Deny");
    if (deny !== undefined) return { decision: "explicit-deny", decidingStatement: deny.statement, results };
    const allow = results.find((r) => r.applies && r.statement.effect === "Allow");
    if (allow !== undefined) return { decision: "allow", decidingStatement: allow.statement, results };
    return { decision: "implicit-deny", results };
}
