/**
 * The IRSA trust document, built from plain strings. It is a pure function (no Pulumi Outputs) so
 * that the components, the analysis core's tests and the policy pack all reason about the very same
 * document the role receives.
 */
import type { PolicyDocument } from "../core/snapshot";

/** The only audience EKS projects into IRSA tokens, in every partition. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** One Kubernetes service account a role trusts. */
export interface ServiceAccountRef {
    readonly namespace: string;
    readonly name: string;
}

export interface WebIdentityTrustPolicyArgs {
    /** ARN of the IAM OIDC provider for the cluster's issuer (the Federated principal). */
    readonly providerArn: string;
    /** The cluster's issuer, with or without `https://`. */
    readonly issuer: string;
    /** The service accounts allowed to assume the role; at least one. */
    readonly subjects: readonly ServiceAccountRef[];
    /**
     * The token audience to require.
     * @default "sts.amazonaws.com"
     */
    readonly audience?: string;
}

/**
 * The issuer as IAM uses it in condition keys and provider ARNs: no scheme, no trailing slash.
 * Callers pass issuers in every form (`https://...`, bare host/path, with a trailing `/`), and IAM
 * only matches the bare form, so it is normalised here once.
 */
export function issuerHostPath(issuer: string): string {
    return issuer.trim().replace(/^https:\/\//i, "").replace(/\/+$/, "");
}

/** The `sub` claim Kubernetes puts into a projected token for a service account. */
export function serviceAccountSubject(account: ServiceAccountRef): string {
    return `system:serviceaccount:${account.namespace}:${account.name}`;
}

/**
 * One `Allow` statement for `sts:AssumeRoleWithWebIdentity` from the provider, with `StringEquals`
 * on both `sub` and `aud`. Several accounts share one `:sub` key as a value list: a second
 * `StringEquals` block or statement per account would be easy to get subtly wrong, and IAM treats
 * a value list as "any of these".
 */
export function webIdentityTrustPolicy(args: WebIdentityTrustPolicyArgs): PolicyDocument {
    if (args.subjects.length === 0) {
        throw new Error("webIdentityTrustPolicy: at least one subject is required");
    }
    const host = issuerHostPath(args.issuer);
    const subjects = [...new Set(args.subjects.map(serviceAccountSubject))];
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: args.providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${host}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
                        [`${host}:aud`]: args.audience ?? STS_AUDIENCE,
                    },
                },
            },
        ],
    };
}
