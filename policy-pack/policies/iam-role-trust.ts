/**
 * The role's trust policy on its own: whether IAM accepts it and STS can honour it
 * (`irsa-role-trust-valid`, mandatory), and whether it trusts no more than it must
 * (`irsa-role-trust-least-privilege`, advisory), including the namespaces and provider accounts a
 * shared role may trust, which only the user can say.
 */
import type { ResourceValidationArgs } from "@pulumi/policy";
import { readPolicy, type Finding } from "../../core";
import { federatedPrincipals, TYPES } from "../../core/assemble";
import { findingPolicy } from "./finding-policy";

export const roleTrustValid = findingPolicy<Record<string, never>>({
    name: "irsa-role-trust-valid",
    description: "Checks that an IAM role's trust policy for service accounts (IRSA or Pod Identity) is one IAM accepts and STS can honour: known operators, well-formed condition keys and Federated principals, no unresolved placeholders.",
    enforcementLevel: "mandatory",
    types: [TYPES.role],
    part: "role",
    severity: "error",
    config: () => ({}),
});

export interface RoleTrustLeastPrivilegeConfig {
    /** Namespaces whose service accounts a role may trust; empty: any. */
    allowedNamespaces: string[];
    /** Accounts whose OIDC providers a role may trust; empty: any. */
    allowedProviderAccounts: string[];
    /** Report trusts that do not pin `aud`. */
    requireAudienceCondition: boolean;
}

export const roleTrustLeastPrivilege = findingPolicy<RoleTrustLeastPrivilegeConfig>({
    name: "irsa-role-trust-least-privilege",
    description: "Checks that an IAM role's web-identity trust lets in only the intended service accounts: exact sub (no wildcards, no negation), aud pinned, no wildcard principal or action, only allowed namespaces and provider accounts.",
    enforcementLevel: "advisory",
    types: [TYPES.role],
    part: "role",
    severity: "warning",
    configSchema: {
        properties: {
            allowedNamespaces: {
                type: "array", items: { type: "string", minLength: 1 }, default: [],
                description: "Namespaces whose service accounts a role may trust (for roles shared across namespaces). Empty: any namespace.",
            },
            allowedProviderAccounts: {
                type: "array", items: { type: "string", pattern: "^[0-9]{12}$" }, default: [],
                description: "AWS accounts whose OIDC providers a role may trust (cross-account IRSA). Empty: any account.",
            },
            requireAudienceCondition: {
                type: "boolean", default: true,
                description: "Report web-identity trusts that do not pin the token's aud to exactly one audience.",
            },
        },
    },
    config: (raw) => ({
        allowedNamespaces: raw.allowedNamespaces ?? [],
        allowedProviderAccounts: raw.allowedProviderAccounts ?? [],
        requireAudienceCondition: raw.requireAudienceCondition ?? true,
    }),
    keep: (finding: Finding, config) => config.requireAudienceCondition || finding.rule !== "trust-aud-not-pinned",
    extra: (_args: ResourceValidationArgs, single, config) =>
        "snapshot" in single && single.snapshot.trustPolicy ? scopeViolations(single.snapshot.trustPolicy, config) : [],
});

/** Subjects outside the allowed namespaces and providers outside the allowed accounts. */
function scopeViolations(trust: Record<string, unknown>, config: RoleTrustLeastPrivilegeConfig): string[] {
    const out: string[] = [];
    if (config.allowedProviderAccounts.length > 0) {
        for (const principal of federatedPrincipals(trust)) {
            const account = /^arn:[^:]+:iam::(\d{12}):oidc-provider\//.exec(principal)?.[1];
            if (account !== undefined && !config.allowedProviderAccounts.includes(account)) {
                out.push(`The trust names the OIDC provider ${principal} in account ${account}, which is not among the allowed provider accounts ${JSON.stringify(config.allowedProviderAccounts)}. Fix: trust a provider in an allowed account, or add ${account} to allowedProviderAccounts.`);
            }
        }
    }
    if (config.allowedNamespaces.length > 0) {
        for (const statement of readPolicy(trust, "trustPolicy", "trust").statements) {
            if (statement.effect !== "Allow") continue;
            for (const entry of statement.conditions) {
                if (!entry.keyLower.endsWith(":sub") || entry.operator.base.negated || entry.operator.base.presence) continue;
                for (const subject of entry.values) {
                    const namespace = /^system:serviceaccount:([^:]*):/.exec(subject)?.[1];
                    if (namespace === undefined || !config.allowedNamespaces.includes(namespace)) {
                        out.push(`The trust lets ${JSON.stringify(subject)} (${entry.operatorName} at ${entry.path}) assume the role, but only service accounts in the namespaces ${JSON.stringify(config.allowedNamespaces)} may. Fix: name exact service accounts in those namespaces, or add the namespace to allowedNamespaces.`);
                    }
                }
            }
        }
    }
    return out;
}
