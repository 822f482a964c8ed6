/**
 * One resource policy = one kind of resource × one severity of the analysis core's findings. The
 * resource alone becomes a snapshot (plus the context the user configured), the core judges it,
 * and the findings about this resource's own part of the chain become violations. Rules live only
 * in the core; this file only decides which findings belong to which policy. Findings about links
 * that need other resources (the provider a role trusts, the account a chart runs as) are the stack
 * policies' job.
 */
import type { EnforcementLevel, PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy, ReportViolation } from "@pulumi/policy";
import { analyze, type Finding, type Severity } from "../../core";
import { partOfPath, snapshotOfResource, type GenericResource, type ResourceContext, type WiringPart } from "../../core/assemble";
import { resourceOfArgs, sameResourceOfArgs, throwForUnknown } from "./engine-values";
import { violationMessage } from "./violation-message";

export interface FindingPolicySpec<C extends object> {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    /** The resource types this policy judges. */
    types: readonly string[];
    /** The part of the chain those resources carry; findings elsewhere belong to other policies. */
    part: WiringPart;
    /** `error` findings break the chain (mandatory policies); `warning` findings weaken it. */
    severity: Severity;
    configSchema?: PolicyConfigSchema;
    /** The configuration with schema defaults applied (the engine passes only what the user set). */
    config(raw: Partial<C>): C;
    /** Context the user states in configuration (audience, controller version, ...). */
    context?(config: C): ResourceContext;
    /** Keep or drop a finding, by configuration (e.g. `requireAudienceCondition: false`). */
    keep?(finding: Finding, config: C): boolean;
    /** Also claim findings of these rules whatever their path (a rule whose fix is on this resource too). */
    claimRules?: readonly string[];
    /** Violations from configuration alone (allowed namespaces, accounts), given the snapshot. */
    extra?(args: ResourceValidationArgs, snapshot: ReturnType<typeof snapshotOfResource>, config: C): string[];
}

/** One resource's own snapshot and the core's findings on it, for the context a policy states. */
interface ResourceJudgement {
    resource: GenericResource;
    context: string;
    single: ReturnType<typeof snapshotOfResource>;
    findings: readonly Finding[];
}

/**
 * The resources judged last, by URN. Two policies judge each role (trust valid, least privilege) and
 * each chart (values, known keys): the engine hands each its own freshly decoded properties, and the
 * second reuses the first's snapshot and findings only when the resource is, field for field and
 * value by value, the one judged, in the same stated context. A handful of entries suffice: the
 * server runs one request's policies back to back.
 */
const recentJudgements = new Map<string, ResourceJudgement>();
const RECENT_JUDGEMENTS = 32;

function judgeResource(args: ResourceValidationArgs, context: ResourceContext): ResourceJudgement {
    const contextKey = JSON.stringify(context);
    const recent = recentJudgements.get(args.urn);
    if (recent !== undefined && recent.context === contextKey && sameResourceOfArgs(args, recent.resource)) return recent;
    recentJudgements.delete(args.urn);
    const resource = resourceOfArgs(args);
    const single = snapshotOfResource(resource, context);
    const judgement = { resource, context: contextKey, single, findings: "notApplicable" in single ? [] : analyze(single.snapshot, { audienceStatedIn: context.audienceStatedIn }).findings };
    if (recentJudgements.size >= RECENT_JUDGEMENTS) recentJudgements.delete(recentJudgements.keys().next().value as string);
    recentJudgements.set(args.urn, judgement);
    return judgement;
}

export function findingPolicy<C extends object>(spec: FindingPolicySpec<C>): ResourceValidationPolicy {
    const types = new Set(spec.types);
    const claimed = new Set(spec.claimRules ?? []);
    const validateResource = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        // Every resource of the stack passes through every resource policy: leave others quickly.
        if (!types.has(args.type)) return;
        // A policy without a schema has no settings to read (its `config` ignores them).
        const config = spec.config(spec.configSchema ? args.getConfig<Partial<C>>() : {});
        const { single, findings } = judgeResource(args, spec.context?.(config) ?? {});
        if ("notApplicable" in single) {
            args.notApplicable(single.notApplicable);
            return;
        }
        if (spec.severity === "error") {
            for (const problem of single.problems) reportViolation(`${problem.message}. Fix: make ${problem.property} a JSON object (a JSON string of one, or the object itself).`);
        }
        for (const finding of findings) {
            if (finding.severity !== spec.severity) continue;
            if (partOfPath(finding.path) !== spec.part && !claimed.has(finding.rule)) continue;
            if (spec.keep && !spec.keep(finding, config)) continue;
            reportViolation(violationMessage(finding));
        }
        for (const message of spec.extra?.(args, single, config) ?? []) reportViolation(message);
        throwForUnknown(single.unknowns);
    };
    // As @pulumi/policy's validateResourceOfType does: with the type attached, the pack's server skips
    // the policy for other types before deserializing the resource's properties (the costly part).
    if (spec.types.length === 1) Object.assign(validateResource, { __pulumiType: spec.types[0] });
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
        validateResource,
    };
}
