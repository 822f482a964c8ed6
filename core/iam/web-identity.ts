/**
 * What STS does with an IRSA token once it has found the provider: build the request context
 * (`<issuer host/path>:sub`, `:aud`, the Federated principal = the provider's ARN in the role's
 * account) and evaluate the trust policy with IAM's semantics. When the answer is no, it says which
 * part of which statement refused, because "not authorized to perform sts:AssumeRoleWithWebIdentity"
 * never does. Usable on a trust document alone (the policy pack calls it that way).
 */
import { actionMatches, evaluatePolicy, type AuthorizationRequest, type Decision, type PolicyDecision, type StatementResult } from "./evaluate";
import { readPolicy, type DocumentProblem, type PolicyStatement } from "./policy-document";

export const WEB_IDENTITY_ACTION = "sts:AssumeRoleWithWebIdentity";
/** The audience EKS projects into IRSA tokens in every partition unless the account asks for another. */
export const DEFAULT_AUDIENCE = "sts.amazonaws.com";

/** The claims of the projected service-account token that STS looks at. */
export interface WebIdentityToken {
    /** `iss`, as the cluster reports it (with `https://`). */
    readonly issuer: string;
    /** `sub`: `system:serviceaccount:<namespace>:<name>`. */
    readonly subject: string;
    /** `aud`. */
    readonly audience: string;
}

/** The issuer as IAM writes it in provider ARNs and condition keys: without the scheme. */
export function issuerHostPath(issuer: string): string {
    return issuer.length > 8 && issuer.slice(0, 8).toLowerCase() === "https://" ? issuer.slice(8) : issuer;
}

export function oidcProviderArn(partition: string, accountId: string, issuer: string): string {
    return `arn:${partition}:iam::${accountId}:oidc-provider/${issuerHostPath(issuer)}`;
}

export function serviceAccountSubject(namespace: string, name: string): string {
    return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * Global keys present in every AssumeRoleWithWebIdentity request whose values depend on the moment
 * and the network path of the call, never on the wiring.
 */
export const UNKNOWABLE_REQUEST_KEYS: ReadonlySet<string> = new Set([
    "aws:sourceip", "aws:vpcsourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:currenttime", "aws:epochtime",
    "aws:securetransport", "aws:requestedregion", "aws:useragent", "aws:referer", "sts:rolesessionname",
    "aws:viaawsservice", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast",
]);

/** The request STS evaluates for this token against a role whose provider has `providerArn`. */
export function webIdentityRequest(token: WebIdentityToken, providerArn: string): AuthorizationRequest {
    const scope = issuerHostPath(token.issuer).toLowerCase();
    return {
        action: WEB_IDENTITY_ACTION,
        principal: { type: "Federated", id: providerArn },
        context: new Map<string, readonly string[]>([
            [`${scope}:sub`, [token.subject]],
            [`${scope}:aud`, [token.audience]],
            ["aws:federatedprovider", [providerArn]],
        ]),
        unknownKeys: UNKNOWABLE_REQUEST_KEYS,
    };
}

export interface WebIdentityVerdict {
    /** `invalid-document`: IAM would not have stored this trust policy at all. */
    readonly decision: Decision | "invalid-document";
    readonly problems: readonly DocumentProblem[];
    readonly evaluation?: PolicyDecision;
    /** Why STS refuses, naming the statement, the key and the values; empty when allowed. */
    readonly explanation: string;
    /** What to change so that it allows this token; empty when allowed. */
    readonly fix: string;
    /** Where the refusal sits in the document. */
    readonly path: string;
}

/**
 * STS's answer for `token` against `trustPolicy`. `providerArn` is the ARN of the provider STS finds
 * for the token's issuer in the role's account (see `oidcProviderArn`).
 */
export function evaluateWebIdentityTrust(trustPolicy: unknown, token: WebIdentityToken, providerArn: string, root = "trustPolicy"): WebIdentityVerdict {
    const read = readPolicy(trustPolicy, root, "trust");
    if (read.problems.length > 0) {
        return { decision: "invalid-document", problems: read.problems, explanation: read.problems[0].message, fix: read.problems[0].fix, path: read.problems[0].path };
    }
    return judgeStatements(read.statements, token, providerArn, root);
}

/** As `evaluateWebIdentityTrust`, for statements already read. */
export function judgeStatements(statements: readonly PolicyStatement[], token: WebIdentityToken, providerArn: string, root = "trustPolicy"): WebIdentityVerdict {
    const request = webIdentityRequest(token, providerArn);
    const evaluation = evaluatePolicy(statements, request);
    if (evaluation.decision === "allow") {
        return { decision: "allow", problems: [], evaluation, explanation: "", fix: "", path: evaluation.decidingStatement?.path ?? root };
    }
    const scope = issuerHostPath(token.issuer);
    if (evaluation.decision === "explicit-deny") {
        const deny = evaluation.decidingStatement as PolicyStatement;
        // A Deny that matches only because a key is missing from the request (IfExists, a negated
        // operator, ForAllValues:) is the usual surprise: name those keys.
        const vacuous = deny.conditions.filter((entry) => !request.context.has(entry.keyLower) && !request.unknownKeys?.has(entry.keyLower) && !entry.operator.base.presence);
        const because = vacuous.length > 0
            ? ` (${vacuous.map((e) => `${e.operatorName} on "${e.key}" holds because a web identity request carries no such key`).join("; ")})`
            : "";
        return {
            decision: "explicit-deny", problems: [], evaluation, path: deny.path,
            explanation: `${deny.path} is a Deny statement that matches this token${because}, and an explicit Deny overrides every Allow`,
            fix: `Remove or narrow the Deny statement at ${deny.path} so it does not match ${token.subject}.`,
        };
    }
    const relevant = evaluation.results.filter((r) => r.statement.effect === "Allow" && coversWebIdentity(r.statement));
    if (relevant.length === 0) {
        return {
            decision: "implicit-deny", problems: [], evaluation, path: `${root}.Statement`,
            explanation: `no Allow statement covers ${WEB_IDENTITY_ACTION}${describeOtherAllows(evaluation.results)}`,
            fix: `Add an Allow statement for ${WEB_IDENTITY_ACTION} with Principal {"Federated": "${providerArn}"} and StringEquals on "${scope}:sub" = "${token.subject}" and "${scope}:aud" = "${token.audience}".`,
        };
    }
    const reasons = relevant.map((r) => describeMiss(r, token, providerArn));
    return {
        decision: "implicit-deny", problems: [], evaluation, path: reasons[0].path,
        explanation: reasons.map((r) => r.explanation).join("; "),
        fix: reasons[0].fix,
    };
}

function coversWebIdentity(statement: PolicyStatement): boolean {
    return statement.actions !== undefined
        ? actionMatches(statement.actions, WEB_IDENTITY_ACTION)
        : statement.notActions !== undefined && !actionMatches(statement.notActions, WEB_IDENTITY_ACTION);
}

function describeOtherAllows(results: readonly StatementResult[]): string {
    const allows = results.filter((r) => r.statement.effect === "Allow");
    if (allows.length === 0) return " (the policy has no Allow statement)";
    const actions = [...new Set(allows.flatMap((r) => r.statement.actions ?? r.statement.notActions?.map((a) => `NotAction ${a}`) ?? []))];
    return ` (the Allow statements cover ${actions.join(", ")} only)`;
}

function describeMiss(result: StatementResult, token: WebIdentityToken, providerArn: string): { explanation: string; fix: string; path: string } {
    const statement = result.statement;
    const scope = issuerHostPath(token.issuer);
    const miss = result.miss;
    if (miss?.kind === "principal") {
        const named = statement.principal === undefined ? "its NotPrincipal excludes it" : `its principal ${JSON.stringify(statement.principal)} does not name`;
        return {
            path: `${statement.path}.${statement.principal === undefined ? "NotPrincipal" : "Principal"}`,
            explanation: `${statement.path}: ${named} the provider STS resolves for this token, ${providerArn}`,
            fix: `Set the Federated principal to "${providerArn}" (the OIDC provider of this cluster's issuer, in the role's account).`,
        };
    }
    if (miss?.kind === "condition") {
        const { entry, requestValues } = miss;
        const expected = entry.values.length === 1 ? JSON.stringify(entry.values[0]) : JSON.stringify(entry.values);
        const claim = entry.keyLower.startsWith(scope.toLowerCase() + ":") ? entry.keyLower.slice(scope.length + 1) : undefined;
        const actual = requestValues === undefined
            ? `the request has no key "${entry.key}" (it carries "${scope}:sub" and "${scope}:aud")`
            : `the token's value is ${JSON.stringify(requestValues.length === 1 ? requestValues[0] : requestValues)}`;
        let fix: string;
        if (requestValues === undefined) {
            fix = `Write the condition keys as "${scope}:sub" and "${scope}:aud" (the issuer's host and /id/ path, without https://).`;
        } else if (claim === "sub") {
            fix = `Trust exactly "${token.subject}" with StringEquals on "${scope}:sub", or run the pods as the account the role trusts.`;
        } else if (claim === "aud") {
            fix = `Require "${token.audience}" with StringEquals on "${scope}:aud" (the audience the token really carries).`;
        } else {
            fix = `Change the condition at ${entry.path} so that it holds for this token.`;
        }
        return { path: entry.path, explanation: `${entry.path}: ${entry.operatorName} ${expected} does not hold: ${actual}`, fix };
    }
    return { path: statement.path, explanation: `${statement.path} does not apply`, fix: `Review ${statement.path}.` };
}
