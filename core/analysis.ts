/** What the analysis core says about one wiring snapshot. */

export type Severity = "error" | "warning";

export interface Finding {
    /** Stable kebab-case rule id, e.g. `trust-sub-wildcard`. */
    rule: string;
    /** `error`: the chain is broken; `warning`: it works but is unsafe or fragile. */
    severity: Severity;
    /** What is wrong, naming the bad value. */
    message: string;
    /** How to fix it. */
    fix: string;
    /** Where in the snapshot, as a dotted path (`trustPolicy.Statement[0].Condition`). */
    path: string;
}

/** The link of the IRSA chain that broke, in the order STS and the controller meet them. */
export type ChainLink =
    | "trust-document-invalid"
    | "provider-missing"
    | "audience-not-accepted"
    | "trust-policy-denies"
    | "service-account-not-annotated"
    | "service-account-missing"
    | "controller-startup"
    | "controller-permissions"
    | "load-balancer-subnets";

export interface ChainVerdict {
    status: "works" | "broken";
    /** Present when broken. */
    link?: ChainLink;
    /** One sentence: why the chain works or where it broke. */
    reason: string;
}

export interface Analysis {
    chain: ChainVerdict;
    findings: Finding[];
}
