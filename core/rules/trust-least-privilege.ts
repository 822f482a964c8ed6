/**
 * Trust policies that work but trust too much: no exact `sub`, `aud` not pinned, a wildcard
 * principal, wildcards where they are literal, conditions that fail open. Each web-identity Allow
 * statement that can admit the cluster's tokens must by itself admit only the exact service accounts
 * meant, from one provider; what it admits is judged with IAM's semantics (all entries on a key must
 * hold), so a pattern beside an exact entry widens nothing. A statement for another identity provider
 * (Cognito, GitHub Actions, SAML, another cluster's issuer) never admits the pod's token and is not
 * judged by the sub/aud rules.
 * Statements for other principals (a self-assume statement, the Pod Identity service principal) are
 * judged only by the principal-wildcard rule, which accepts a wildcard pinned by aws:PrincipalArn.
 */
import type { Finding } from "../analysis";
import { conditionHolds } from "../iam/condition-operators";
import { actionMatches } from "../iam/evaluate";
import type { ConditionEntry, PolicyStatement } from "../iam/policy-document";
import { issuerHostPath, UNKNOWABLE_REQUEST_KEYS, WEB_IDENTITY_ACTION } from "../iam/web-identity";
import { hasWildcard } from "../iam/wildcard";
import type { Wiring } from "../wiring";
import { finding } from "./finding";

const OIDC_PROVIDER_ARN = /^arn:[^:]*:iam::[^:]*:oidc-provider\/(.+)$/;
/** Keys that pin a wildcard principal to exact principals. */
const PRINCIPAL_PINNING_KEYS = new Set(["aws:principalarn", "aws:federatedprovider"]);

function isWildcardPrincipal(statement: PolicyStatement): boolean {
    if (statement.notPrincipal !== undefined) return true;
    const p = statement.principal;
    if (p === undefined) return false;
    if (p === "*") return true;
    return Object.values(p).some((values) => values.includes("*"));
}

function federatedPrincipals(statement: PolicyStatement): readonly string[] {
    return statement.principal !== undefined && statement.principal !== "*" ? statement.principal.Federated ?? [] : [];
}

/**
 * The issuer scopes (host/path, as written) of the OIDC providers a statement names; a wildcard
 * principal names the cluster's provider too.
 */
function providerScopes(statement: PolicyStatement, clusterScope: string | undefined, wildcard: boolean): string[] {
    const scopes = federatedPrincipals(statement).map((arn) => OIDC_PROVIDER_ARN.exec(arn)?.[1] ?? arn).filter((s) => s !== "*");
    if (clusterScope !== undefined && wildcard && !scopes.some((s) => s.toLowerCase() === clusterScope.toLowerCase())) scopes.push(clusterScope);
    return scopes;
}

/**
 * Whether the statement's principal can be the provider STS resolves for the pod's token: a wildcard
 * principal, or a Federated principal for the cluster's issuer (any account: a provider in the wrong
 * account is the provider rules' fault, not a reason to stop judging the statement). A statement
 * for another identity provider (Cognito, GitHub Actions, SAML, Google, another cluster's issuer)
 * never admits the pod's token, so the IRSA rules on sub and aud say nothing about it. Without a
 * known issuer every OIDC provider could be the cluster's, unless its sub conditions admit no
 * service account at all.
 */
function clusterScopeIndex(statement: PolicyStatement, scopes: readonly string[], scopesLower: readonly string[], clusterScope: string | undefined, wildcard: boolean): number | undefined {
    if (clusterScope !== undefined) {
        const at = scopes.indexOf(clusterScope);
        if (at >= 0) return at;
        const lower = scopesLower.indexOf(clusterScope.toLowerCase());
        return lower >= 0 ? lower : undefined;
    }
    return wildcard || (federatedPrincipals(statement).some((arn) => OIDC_PROVIDER_ARN.test(arn)) && subMayBeServiceAccount(statement)) ? -1 : undefined;
}

const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

/**
 * Whether every positive string condition on a `:sub` key could hold for some service account's
 * subject (`system:serviceaccount:<namespace>:<name>`). When it cannot (GitHub Actions' `repo:...`,
 * a Cognito identity id), no Kubernetes token can ever match the statement, whichever issuer it names:
 * this tells another identity provider's statement apart when the cluster's issuer is not known.
 */
function subMayBeServiceAccount(statement: PolicyStatement): boolean {
    for (const entry of statement.conditions) {
        const base = entry.operator.base;
        if (base.negated || base.presence || base.family !== "string" || !entry.keyLower.endsWith(":sub")) continue;
        const fits = entry.values.some((value) => {
            const text = base.name === "StringEqualsIgnoreCase" ? value.toLowerCase() : value;
            if (!base.wildcards || !hasWildcard(text)) return text.startsWith(SERVICE_ACCOUNT_PREFIX);
            const literal = text.slice(0, text.search(/[*?]/));
            return literal.startsWith(SERVICE_ACCOUNT_PREFIX) || SERVICE_ACCOUNT_PREFIX.startsWith(literal);
        });
        if (!fits) return false;
    }
    return true;
}

/** A key written as `<issuer host/path>:<claim>`; `undefined` for global keys like `aws:...`. */
function issuerScopedKey(entry: ConditionEntry): { scope: string; claim: string } | undefined {
    const colon = entry.keyLower.lastIndexOf(":");
    if (colon <= 0 || entry.keyLower.indexOf(":") !== colon) return undefined;
    const scope = entry.keyLower.slice(0, colon);
    if (!scope.includes(".")) return undefined;
    return { scope, claim: entry.keyLower.slice(colon + 1) };
}

function isWebIdentityAllow(statement: PolicyStatement): boolean {
    if (statement.effect !== "Allow") return false;
    const actionOk = statement.actions !== undefined ? actionMatches(statement.actions, WEB_IDENTITY_ACTION) : true;
    if (!actionOk) return false;
    const p = statement.principal;
    return statement.notPrincipal !== undefined || p === "*" || (p !== undefined && (p.Federated !== undefined || (p.AWS?.includes("*") ?? false)));
}

/**
 * The values a condition entry on a claim the request always carries with one value (sub, aud) can
 * admit, when they are finitely many: a positive string comparison with no * or ? pattern
 * (StringLike without them compares exactly as StringEquals does; ForAnyValue:/ForAllValues: over a
 * single present value and ...IfExists over a present key change nothing). `caseSensitive` leaves
 * out StringEqualsIgnoreCase, which admits every spelling of its values. `undefined`: the entry
 * alone admits unboundedly many values (a pattern, a negated or presence operator, another family).
 */
function finiteValues(entry: ConditionEntry, caseSensitive: boolean): readonly string[] | undefined {
    const base = entry.operator.base;
    if (base.negated || base.presence || base.family !== "string") return undefined;
    if (base.wildcards) return entry.values.some(hasWildcard) ? undefined : entry.values;
    return base.name === "StringEquals" || !caseSensitive ? entry.values : undefined;
}

/**
 * What the entries on one key admit together, with IAM's semantics: the entries of a statement are
 * ANDed (values within one entry are ORed), so one entry with finitely many values bounds the key,
 * whatever patterns or negations the other entries add; those only narrow it further. `undefined`
 * when no entry bounds the key; otherwise the values every entry holds for.
 */
function admittedValues(entries: readonly ConditionEntry[], caseSensitive: boolean): readonly string[] | undefined {
    let admitted: readonly string[] | undefined;
    for (const entry of entries) {
        const values = finiteValues(entry, caseSensitive);
        if (values !== undefined && (admitted === undefined || values.length < admitted.length)) admitted = values;
    }
    if (admitted === undefined || entries.length === 1) return admitted;
    return [...new Set(admitted)].filter((value) => entries.every((e) => conditionHolds(e.operator, e.values, [value])));
}

/** Entries grouped by key (lower-cased): each group is what one request key must satisfy. */
function byKey(entries: readonly ConditionEntry[]): ConditionEntry[][] {
    const groups = new Map<string, ConditionEntry[]>();
    for (const entry of entries) {
        const group = groups.get(entry.keyLower);
        if (group === undefined) groups.set(entry.keyLower, [entry]);
        else group.push(entry);
    }
    return [...groups.values()];
}

function describe(entry: ConditionEntry): string {
    return `${entry.operatorName} ${JSON.stringify(entry.values.length === 1 ? entry.values[0] : entry.values)}`;
}

function statementFindings(statement: PolicyStatement, wiring: Wiring, clusterScope: string | undefined, wildcard: boolean): Finding[] {
    const scopes = providerScopes(statement, clusterScope, wildcard);
    const scopesLower = scopes.map((s) => s.toLowerCase());
    // Where the statement names the cluster's provider (-1: it may, the issuer being unknown); undefined: it cannot.
    const clusterAt = clusterScopeIndex(statement, scopes, scopesLower, clusterScope, wildcard);
    if (clusterAt === undefined) return [];
    const findings: Finding[] = [];
    const scopeText = (clusterAt >= 0 ? scopes[clusterAt] : scopes[0]) ?? clusterScope ?? "<issuer host/path>";
    const exampleSubject = (): string => {
        const subjects = wiring.snapshot.intendedSubjects ?? (wiring.token !== undefined ? [wiring.token.subject] : []);
        return subjects.length === 1 ? `"${subjects[0]}"` : subjects.length > 1 ? JSON.stringify(subjects) : '"system:serviceaccount:<namespace>:<name>"';
    };
    const audience = wiring.account.audience;

    const keyed = statement.conditions.map((entry) => ({ entry, scoped: issuerScopedKey(entry) }));
    // Keys of another provider are judged by the foreign-key rule alone: they bind nothing here.
    const own = (scope: string) => scopesLower.length === 0 || scopesLower.includes(scope);
    const subEntries = keyed.filter((k) => k.scoped?.claim === "sub" && own(k.scoped.scope)).map((k) => k.entry);
    const audEntries = keyed.filter((k) => k.scoped?.claim === "aud" && own(k.scoped.scope)).map((k) => k.entry);

    // sub: must exist and bound the key to exact accounts. All entries on the key must hold, so a
    // pattern or a negation beside an exact list widens nothing: only a key no entry bounds is judged.
    const binding = subEntries.filter((e) => !e.operator.base.presence && !e.operator.base.negated);
    if (binding.length === 0 && !subEntries.some((e) => e.operator.base.negated)) {
        findings.push(finding("trust-sub-condition-missing", `${statement.path}.Condition`,
            `${statement.path} lets every service account of the cluster assume the role: it has no condition on "${scopeText}:sub"`,
            `Add StringEquals "${scopeText}:sub": ${exampleSubject()}.`));
    }
    const unbounded = subEntries.length === 0 ? []
        : subEntries.length === 1 ? (finiteValues(subEntries[0], false) === undefined ? subEntries : [])
        : byKey(subEntries).filter((group) => admittedValues(group, false) === undefined).flat();
    for (const entry of unbounded) {
        if (entry.operator.base.negated) {
            findings.push(finding("trust-sub-negated", entry.path,
                `${entry.path} uses the negated operator ${entry.operatorName} on sub (${describe(entry)}), which trusts every service account except those listed`,
                `Replace it with StringEquals "${entry.key}": ${exampleSubject()}.`));
        } else if (entry.operator.base.wildcards && entry.values.some(hasWildcard)) {
            findings.push(finding("trust-sub-wildcard", entry.path,
                `${entry.path} matches sub with ${describe(entry)}, which admits every service account that fits the pattern, not one exact account`,
                `Use StringEquals with the exact subject(s): "${entry.key}": ${exampleSubject()}.`));
        }
    }

    // aud: judged by what the entries on the key admit together, not by an operator's name: they
    // must admit at most one audience, case-sensitively.
    // One exact value in one entry bounds the key whatever else applies (the usual spelling): no grouping needed.
    const pinned = audEntries.some((e) => e.values.length === 1 && finiteValues(e, true) !== undefined)
        || (audEntries.length > 1 && byKey(audEntries).some((group) => (admittedValues(group, true)?.length ?? 2) <= 1));
    if (!pinned) {
        const what = audEntries.length === 0
            ? `has no condition on "${scopeText}:aud"`
            : `checks aud only with ${audEntries.map(describe).join(" and ")}, which does not match exactly one audience (one value, case-sensitive, no * or ? pattern)`;
        findings.push(finding("trust-aud-not-pinned", audEntries[0]?.path ?? `${statement.path}.Condition`,
            `${statement.path} ${what}; any token of this issuer for another audience is accepted`,
            `Add StringEquals "${scopeText}:aud": "${audience}".`));
    }

    for (const { entry, scoped } of keyed) {
        // Keys of another provider never appear in this statement's requests.
        const foreign = scoped !== undefined && scopes.length > 0 && !scopesLower.includes(scoped.scope);
        if (foreign) {
            findings.push(finding("trust-condition-key-foreign-provider", entry.path,
                `condition key "${entry.key}" belongs to issuer "${entry.key.slice(0, entry.key.lastIndexOf(":"))}", but the statement's principal is the provider for "${scopes.join('", "')}"; the key is never in its requests`,
                `Write the key as "${scopes[0]}:${scoped.claim}" (the full issuer host and /id/ path of the principal's provider).`));
        }
        const knownClaim = scoped !== undefined && !foreign && (scoped.claim === "sub" || scoped.claim === "aud");
        const carried = knownClaim || entry.keyLower === "aws:federatedprovider" || UNKNOWABLE_REQUEST_KEYS.has(entry.keyLower);
        // On a key the request lacks these hold vacuously; foreign keys already have their own finding.
        const vacuous = entry.operator.ifExists ? "IfExists skips the check"
            : entry.operator.qualifier === "ForAllValues" ? "ForAllValues: holds for an absent key"
            : entry.operator.base.negated ? "a negated operator holds for an absent key"
            : undefined;
        if (vacuous !== undefined && !carried && !foreign) {
            findings.push(finding("trust-if-exists-fails-open", entry.path,
                `${entry.path} uses ${entry.operatorName} on "${entry.key}", a key the web-identity request does not carry; ${vacuous}, so the statement matches without it`,
                `Drop the condition or use a key the token carries ("${scopes[0] ?? scopeText}:sub" or ":aud") with StringEquals.`));
        }
    }

    const actions = statement.actions;
    if (actions === undefined || actions.some((a) => a !== WEB_IDENTITY_ACTION && hasWildcard(a))) {
        findings.push(finding("trust-action-wildcard", `${statement.path}.${actions === undefined ? "NotAction" : "Action"}`,
            `${statement.path} allows ${actions === undefined ? `every action except ${JSON.stringify(statement.notActions)}` : JSON.stringify(actions.length === 1 ? actions[0] : actions)} to a federated principal, more than ${WEB_IDENTITY_ACTION}`,
            `Set Action to "${WEB_IDENTITY_ACTION}".`));
    }
    return findings;
}

export function leastPrivilegeFindings(wiring: Wiring, documentRefused: boolean): Finding[] {
    const statements = wiring.trust?.statements;
    if (statements === undefined || documentRefused) return [];
    const findings: Finding[] = [];
    const clusterScope = wiring.issuer !== undefined ? issuerHostPath(wiring.issuer) : undefined;
    for (const statement of statements) {
        for (const entry of statement.conditions) {
            if (entry.operator.base.family === "string" && !entry.operator.base.wildcards && entry.values.some(hasWildcard)) {
                findings.push(finding("trust-wildcard-in-string-equals", entry.path,
                    `${entry.path}: ${describe(entry)} compares literally, so * and ? are plain characters here and match no real value`,
                    `List the exact values under ${entry.operatorName}; if a pattern is truly meant, StringLike makes it one (and trusts every match).`));
            }
        }
        if (statement.effect !== "Allow") continue;
        const wildcard = isWildcardPrincipal(statement);
        if (wildcard) {
            const pinned = statement.conditions.some((e) => PRINCIPAL_PINNING_KEYS.has(e.keyLower) && !e.operator.base.negated && !e.operator.ifExists
                && !e.operator.base.presence && !e.values.some(hasWildcard));
            if (!pinned) {
                findings.push(finding("trust-principal-wildcard", `${statement.path}.${statement.notPrincipal !== undefined ? "NotPrincipal" : "Principal"}`,
                    `${statement.path} trusts ${statement.notPrincipal !== undefined ? "every principal not listed in NotPrincipal" : "any principal (*)"} and no condition pins it to exact principals`,
                    wiring.providerArn !== undefined
                        ? `Use Principal {"Federated": "${wiring.providerArn}"} with StringEquals on sub and aud.`
                        : 'Use Principal {"Federated": "<OIDC provider ARN>"} with StringEquals on sub and aud.'));
            }
        }
        if (federatedPrincipals(statement).some((arn) => OIDC_PROVIDER_ARN.test(arn)) && statement.actions !== undefined && !actionMatches(statement.actions, WEB_IDENTITY_ACTION)) {
            findings.push(finding("trust-federated-wrong-action", `${statement.path}.Action`,
                `${statement.path} trusts an OIDC provider for ${JSON.stringify(statement.actions.length === 1 ? statement.actions[0] : statement.actions)}, but web identity tokens are exchanged only through ${WEB_IDENTITY_ACTION}`,
                `Set Action to "${WEB_IDENTITY_ACTION}".`));
        }
        if (isWebIdentityAllow(statement)) {
            findings.push(...statementFindings(statement, wiring, clusterScope, wildcard));
        }
    }
    return findings;
}
