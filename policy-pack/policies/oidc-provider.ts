/**
 * The IAM OIDC provider on its own: STS refuses a token whose audience is not one of the provider's
 * client IDs, so the provider must list the audience the cluster's tokens carry (by default
 * `sts.amazonaws.com` in every partition; users of a custom `eks.amazonaws.com/audience` configure
 * it). Whether its URL is exactly the cluster's issuer, and in the role's account, needs the cluster
 * and the role: the stack policy checks that.
 */
import { TYPES } from "../../core/assemble";
import { DEFAULT_AUDIENCE } from "../../core";
import { findingPolicy } from "./finding-policy";

export interface OidcProviderConfig {
    /** The audience the cluster's service-account tokens carry. */
    audience: string;
}

const AUDIENCE_SETTING = 'the policy configuration "irsa-oidc-provider-client-ids.audience"';

export const oidcProviderAcceptsAudience = findingPolicy<OidcProviderConfig>({
    name: "irsa-oidc-provider-client-ids",
    description: "Checks that an IAM OIDC provider lists, among its client IDs, the audience the cluster's service-account tokens carry (sts.amazonaws.com unless configured), so that STS accepts the tokens.",
    enforcementLevel: "mandatory",
    types: [TYPES.oidcProvider],
    part: "oidcProvider",
    severity: "error",
    configSchema: {
        properties: {
            audience: {
                type: "string", minLength: 1, default: DEFAULT_AUDIENCE,
                description: "The audience (aud) of the tokens the provider must accept: the eks.amazonaws.com/audience annotation your service accounts carry, or sts.amazonaws.com.",
            },
        },
    },
    config: (raw) => ({ audience: raw.audience ?? DEFAULT_AUDIENCE }),
    // The default audience needs no annotation; only a custom one is stated as the accounts' annotation.
    // Findings about it then say it came from this configuration, not from an account in view.
    context: (config) => (config.audience === DEFAULT_AUDIENCE ? {} : { audience: config.audience, audienceStatedIn: AUDIENCE_SETTING }),
});
