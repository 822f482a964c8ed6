/**
 * What a policy pack said about a plan, as plain data: the plan prints it beside the resource tree,
 * puts it in `--json`, and decides its exit code from it. Kept apart from the gRPC client so that
 * renderers and tests need no protobuf types.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** One policy as the pack described itself (`GetAnalyzerInfo`). */
export interface PolicyDescription {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    /** `resource` or `stack`. */
    kind: "resource" | "stack" | "unknown";
    /** JSON schema of the policy's configuration properties, when it has any. */
    configSchema?: { properties: Record<string, unknown>; required?: string[] };
}

/** One violation the pack reported. */
export interface PolicyViolation {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    /** The enforcement level the pack reported it at (after configuration). */
    enforcementLevel: EnforcementLevel;
    /** The resource at fault; empty when the pack did not name one. */
    urn: string;
    /** The policy's description followed by the violation message, as the engine prints it. */
    message: string;
    /** `analyze` (one resource's inputs) or `analyze-stack` (the whole stack's outputs). */
    stage: "analyze" | "analyze-stack";
}

export interface PolicyPackResult {
    packName: string;
    packVersion: string;
    policies: PolicyDescription[];
    violations: PolicyViolation[];
    /** How many `Analyze` calls were made (one per resource). */
    analyzedResources: number;
    /** True when at least one violation is mandatory: `pulumi up` would refuse to run. */
    mandatoryFailed: boolean;
}

export function isBlocking(level: EnforcementLevel): boolean {
    // The engine treats a remediation policy that still reports a violation as mandatory.
    return level === "mandatory" || level === "remediate";
}
