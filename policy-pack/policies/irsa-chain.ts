/**
 * The whole chain, across resources: role ↔ OIDC provider ↔ cluster issuer ↔ service account
 * annotation ↔ the account the chart really runs as ↔ permissions ↔ node metadata. The stack's
 * resources are assembled into one wiring snapshot per role and service account, the analysis core
 * judges each, and every finding is reported on the resource at fault: `irsa-chain-intact`
 * (mandatory) what breaks the chain, `irsa-wiring-least-privilege` (advisory) what weakens it and
 * only the whole wiring shows (e.g. a wildcard principal whose conditions name another cluster's
 * issuer). Findings a resource policy already reports about a resource alone are not repeated.
 */
import type { EnforcementLevel, PolicyConfigSchema, PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { analyze, type Finding, type Severity } from "../../core";
import { assembleWirings, faultUrn, partOfPath, snapshotOfResource, type AssembledWiring, type AssembleOptions, type GenericResource, type PropertyNote } from "../../core/assemble";
import { resourceOfPolicyResource, sameStackResources, throwForUnknown } from "./engine-values";
import { violationMessage } from "./violation-message";

export interface ChainConfig extends Required<AssembleOptions> {
    /** Report trusts that do not pin `aud` (the hardening policy only). */
    requireAudienceCondition: boolean;
}

const ASSEMBLY_SCHEMA: PolicyConfigSchema["properties"] = {
    serviceAccountsManagedInStack: {
        type: "boolean", default: false,
        description: "The stack creates every service account the controller's chart is told to use (serviceAccount.create=false); one it does not create is reported missing. Leave false when eksctl or another stack creates it.",
    },
    oidcProvidersManagedInStack: {
        type: "boolean", default: false,
        description: "The stack creates every IAM OIDC provider its roles trust; a trusted provider it does not create is reported missing. Leave false when the cluster's stack creates it.",
    },
};

function chainConfig(raw: Partial<ChainConfig>): ChainConfig {
    return {
        serviceAccountsManagedInStack: raw.serviceAccountsManagedInStack ?? false,
        oidcProvidersManagedInStack: raw.oidcProvidersManagedInStack ?? false,
        requireAudienceCondition: raw.requireAudienceCondition ?? true,
    };
}

function chainPolicy(spec: {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    configSchema: PolicyConfigSchema;
    keep?(finding: Finding, config: ChainConfig): boolean;
}): StackValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        configSchema: spec.configSchema,
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const config = chainConfig(args.getConfig<Partial<ChainConfig>>());
            const chains = stackChains(args.resources, config);
            const reported = reportChains(chains, spec.severity, (f) => !spec.keep || spec.keep(f, config), reportViolation);
            if (reported.wirings === 0) {
                args.notApplicable("the stack has no IAM role used through IRSA or Pod Identity");
            }
            const first = reported.unknowns[0];
            if (first) throwForUnknown([first], chains.byUrn.get(first.urn)?.name);
        },
    };
}

/** A stack's wirings, each with the core's findings: what both stack policies judge, once. */
interface StackChains {
    resources: readonly GenericResource[];
    options: Required<AssembleOptions>;
    byUrn: Map<string, GenericResource>;
    wirings: { wiring: AssembledWiring; findings: readonly Finding[] }[];
    /** Findings the resource's own policies report already (rule@path), so the chain does not repeat them. */
    reportedAlone(urn: string): Set<string>;
}

/**
 * The last stack judged. The engine sends one `AnalyzeStack` and each stack policy gets its own
 * freshly decoded copy of every resource, so both would assemble and judge the same wirings; the
 * second reuses the first's judgement only once every resource has been checked, field by field and
 * value by value, to be what the first one read, with the same assembly options. Anything else (a
 * different stack, another configuration, a value that cannot be compared) is judged afresh.
 */
let lastStack: StackChains | undefined;

function stackChains(policyResources: readonly PolicyResource[], config: ChainConfig): StackChains {
    const options: Required<AssembleOptions> = {
        serviceAccountsManagedInStack: config.serviceAccountsManagedInStack,
        oidcProvidersManagedInStack: config.oidcProvidersManagedInStack,
    };
    const last = lastStack;
    if (last !== undefined
        && last.options.serviceAccountsManagedInStack === options.serviceAccountsManagedInStack
        && last.options.oidcProvidersManagedInStack === options.oidcProvidersManagedInStack
        && sameStackResources(policyResources, last.resources)) {
        return last;
    }
    lastStack = undefined;
    const chains = judgeChains(policyResources.map(resourceOfPolicyResource), options);
    lastStack = chains;
    return chains;
}

function judgeChains(resources: readonly GenericResource[], options: Required<AssembleOptions>): StackChains {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const aloneCache = new Map<string, Set<string>>();
    const reportedAlone = (urn: string): Set<string> => {
        let keys = aloneCache.get(urn);
        if (keys === undefined) {
            keys = new Set();
            const resource = byUrn.get(urn);
            const single = resource ? snapshotOfResource(resource) : undefined;
            if (single && !("notApplicable" in single)) {
                for (const f of analyze(single.snapshot).findings) {
                    if (partOfPath(f.path) === single.part) keys.add(`${f.rule}@${f.path}`);
                }
            }
            aloneCache.set(urn, keys);
        }
        return keys;
    };
    const wirings = assembleWirings(resources, options).map((wiring) => ({ wiring, findings: analyze(wiring.snapshot).findings }));
    return { resources, options, byUrn, wirings, reportedAlone };
}

/** Judges every wiring of the stack and reports each finding of `severity` on the resource at fault. */
export function reportChainFindings(
    resources: readonly GenericResource[],
    options: AssembleOptions,
    severity: Severity,
    keep: (finding: Finding) => boolean,
    reportViolation: ReportViolation,
): { wirings: number; unknowns: PropertyNote[] } {
    const chains = judgeChains(resources, {
        serviceAccountsManagedInStack: options.serviceAccountsManagedInStack ?? false,
        oidcProvidersManagedInStack: options.oidcProvidersManagedInStack ?? false,
    });
    return reportChains(chains, severity, keep, reportViolation);
}

function reportChains(
    chains: StackChains,
    severity: Severity,
    keep: (finding: Finding) => boolean,
    reportViolation: ReportViolation,
): { wirings: number; unknowns: PropertyNote[] } {
    const seen = new Set<string>();
    const unknowns = chains.wirings.flatMap((w) => w.wiring.unknowns);
    for (const { wiring, findings } of chains.wirings) {
        const role = chains.byUrn.get(wiring.roleUrn)?.name ?? wiring.roleUrn;
        const account = wiring.snapshot.serviceAccount;
        const context = `role ${role}${account?.name !== undefined ? `, service account ${account.namespace ?? "default"}/${account.name}` : ""}`;
        for (const finding of findings) {
            if (finding.severity !== severity || !keep(finding)) continue;
            const urn = faultUrn(wiring.owners, wiring.roleUrn, finding.path);
            const key = `${finding.rule}@${finding.path}`;
            if (chains.reportedAlone(urn).has(key) || seen.has(`${urn} ${key} ${finding.message}`)) continue;
            seen.add(`${urn} ${key} ${finding.message}`);
            reportViolation(violationMessage(finding, context), urn);
        }
    }
    return { wirings: chains.wirings.length, unknowns };
}

export const irsaChainIntact = chainPolicy({
    name: "irsa-chain-intact",
    description: "Checks that every IRSA chain in the stack works end to end: the role trusts the OIDC provider of the cluster's issuer in its own account, the provider accepts the token's audience, the trust allows the service account the pods really run as, that account exists and names the role, and the controller can start, has its version's permissions and finds subnets for the load balancers asked for.",
    enforcementLevel: "mandatory",
    severity: "error",
    configSchema: { properties: { ...ASSEMBLY_SCHEMA } },
});

export const irsaWiringLeastPrivilege = chainPolicy({
    name: "irsa-wiring-least-privilege",
    description: "Checks that every IRSA chain in the stack trusts no more than it needs, judged with the whole wiring in view (the cluster's issuer, the provider, the account the pods run as): exact subjects, aud pinned, no condition keys of another issuer, nothing that fails open.",
    enforcementLevel: "advisory",
    severity: "warning",
    configSchema: {
        properties: {
            ...ASSEMBLY_SCHEMA,
            requireAudienceCondition: {
                type: "boolean", default: true,
                description: "Report web-identity trusts that do not pin the token's aud to exactly one audience.",
            },
        },
    },
    keep: (finding, config) => config.requireAudienceCondition || finding.rule !== "trust-aud-not-pinned",
});
