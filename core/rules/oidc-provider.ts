/**
 * STS's first two checks on an IRSA token, before any trust policy is read: is there an IAM OIDC
 * provider for the token's issuer in the role's account, and is the token's audience one of its
 * client IDs. "InvalidIdentityToken: No OpenIDConnect provider found" and "Incorrect token audience"
 * come from here. The audience is a property of the token (annotation or `sts.amazonaws.com`), never
 * of the partition or the STS endpoint.
 */
import type { Finding } from "../analysis";
import { issuerHostPath } from "../iam/web-identity";
import type { Wiring } from "../wiring";
import { finding } from "./finding";

/**
 * Host compared case-insensitively, path exactly (a trailing slash is a different issuer); the scheme
 * is optional because IAM reports provider URLs without it.
 */
function sameIssuer(a: string, b: string): boolean {
    const split = (url: string) => {
        const bare = issuerHostPath(url);
        const slash = bare.indexOf("/");
        return slash < 0 ? [bare.toLowerCase(), ""] : [bare.slice(0, slash).toLowerCase(), bare.slice(slash)];
    };
    const [hostA, pathA] = split(a);
    const [hostB, pathB] = split(b);
    return hostA === hostB && pathA === pathB;
}

/** `audienceStatedIn`: where an audience annotation's value was really stated (see `AnalyzeOptions`). */
export function oidcProviderFindings(wiring: Wiring, audienceStatedIn?: string): Finding[] {
    const { snapshot, issuer } = wiring;
    if (wiring.podIdentity || issuer === undefined || snapshot.oidcProvider === undefined) return [];
    const provider = snapshot.oidcProvider;
    const roleAccount = wiring.roleAccountId;
    if (provider === null) {
        return [finding("oidc-provider-missing", "oidcProvider",
            `no IAM OIDC provider exists for the issuer ${issuer}${roleAccount !== undefined ? ` in account ${roleAccount}` : ""}; STS refuses the token (InvalidIdentityToken: no OpenIDConnect provider found)`,
            `Create an IAM OIDC provider with URL ${issuer} and client ID ${wiring.account.audience}${roleAccount !== undefined ? ` in account ${roleAccount}` : ""} (eksctl utils associate-iam-oidc-provider, or aws.iam.OpenIdConnectProvider).`)];
    }
    const findings: Finding[] = [];
    if (provider.url !== undefined && !sameIssuer(provider.url, issuer)) {
        findings.push(finding("oidc-provider-issuer-mismatch", "oidcProvider.url",
            `the OIDC provider's URL "${provider.url}" is not the token's issuer "${issuer}"; STS finds no provider for the token`,
            `Register the provider with exactly the cluster's issuer URL "${issuer}" (same host and /id/ path, no trailing slash).`));
    }
    const providerAccount = provider.accountId ?? snapshot.cluster?.accountId;
    if (providerAccount !== undefined && roleAccount !== undefined && providerAccount !== roleAccount) {
        findings.push(finding("oidc-provider-wrong-account", provider.accountId !== undefined ? "oidcProvider.accountId" : "oidcProvider",
            `the OIDC provider is in account ${providerAccount} but the role${wiring.role !== undefined ? ` ${wiring.role.arn}` : ""} is in account ${roleAccount}; STS looks for the provider in the role's account only`,
            `Create an OIDC provider for ${issuer} in account ${roleAccount} and name it in the role's trust policy.`));
    }
    if (findings.length === 0 && provider.clientIdList !== undefined && !provider.clientIdList.includes(wiring.account.audience)) {
        const audience = wiring.account.audience;
        const statedIn = wiring.account.audienceFromAnnotation ? audienceStatedIn : undefined;
        const source = statedIn !== undefined
            ? `stated in ${statedIn}, not read from a service account`
            : wiring.account.audienceFromAnnotation
            ? "set by the service account's eks.amazonaws.com/audience annotation"
            : "the default in every partition when the service account has no eks.amazonaws.com/audience annotation";
        findings.push(finding("token-audience-not-accepted", "oidcProvider.clientIdList",
            `the token's audience "${audience}" (${source}) is not in the provider's client IDs ${JSON.stringify(provider.clientIdList)}; STS refuses it (InvalidIdentityToken: Incorrect token audience)`,
            statedIn !== undefined
                ? `Add "${audience}" to the provider's client IDs, or correct ${statedIn} if the service accounts' tokens carry another audience.`
                : wiring.account.audienceFromAnnotation
                ? `Add "${audience}" to the provider's client IDs, or remove the annotation so the token carries "sts.amazonaws.com" and list that.`
                : `Add "${audience}" to the provider's client IDs (regional STS endpoints are a client setting, not an audience), or set eks.amazonaws.com/audience on the service account to a listed client ID.`));
    }
    return findings;
}
