/**
 * The chain verdict, read off the findings: the chain is broken at the first link, in the order a
 * request meets them (IAM stores the document, STS finds the provider, accepts the audience,
 * evaluates the trust policy, the pod carries the role, the controller starts, is allowed, finds
 * subnets), that has an error. Deriving it from the findings keeps verdict and findings from ever
 * disagreeing.
 */
import type { ChainLink, ChainVerdict, Finding } from "./analysis";
import { ruleInfo } from "./rules/catalog";
import type { Wiring } from "./wiring";

export const CHAIN_ORDER: readonly ChainLink[] = [
    "trust-document-invalid",
    "provider-missing",
    "audience-not-accepted",
    "trust-policy-denies",
    "service-account-not-annotated",
    "service-account-missing",
    "controller-startup",
    "controller-permissions",
    "load-balancer-subnets",
];

function worksReason(wiring: Wiring): string {
    const role = wiring.role?.arn ?? "the role";
    const account = wiring.account.namespace !== undefined && wiring.account.name !== undefined ? `${wiring.account.namespace}/${wiring.account.name}` : "the service account";
    if (wiring.podIdentity) return `EKS Pod Identity gives ${account} credentials for ${role}`;
    if (wiring.token !== undefined && wiring.trust !== undefined && wiring.providerArn !== undefined) {
        return `STS accepts the token of ${account} (sub "${wiring.token.subject}", aud "${wiring.token.audience}") for ${role}`;
    }
    return "no link of the chain is broken by the facts given";
}

export function chainVerdict(findings: readonly Finding[], wiring: Wiring): ChainVerdict {
    let first: { link: ChainLink; finding: Finding; rank: number } | undefined;
    for (const finding of findings) {
        if (finding.severity !== "error") continue;
        const link = ruleInfo(finding.rule).link;
        if (link === undefined) continue;
        const rank = CHAIN_ORDER.indexOf(link);
        if (first === undefined || rank < first.rank) first = { link, finding, rank };
    }
    if (first === undefined) return { status: "works", reason: worksReason(wiring) };
    return { status: "broken", link: first.link, reason: first.finding.message };
}
