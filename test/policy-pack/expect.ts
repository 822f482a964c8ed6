/**
 * Expected diagnostics, written the way the engine reports them (policy description, newline, the
 * violation message), so a spec states only the message it expects.
 */
import type { Policy } from "@pulumi/policy";
import { unknownDuringPreview, type Diagnostic } from "../helpers/policy-args";

export function violation(policy: Policy, message: string, urn?: string): Diagnostic {
    return {
        policyName: policy.name,
        enforcementLevel: policy.enforcementLevel ?? "advisory",
        message: `${policy.description}\n${message}`,
        ...(urn !== undefined ? { urn } : {}),
    };
}

/** What the engine reports when a policy meets a value that is unknown during preview. */
export function unknownValue(policy: Policy, path: string): Diagnostic {
    return {
        policyName: policy.name,
        enforcementLevel: "advisory",
        message: unknownDuringPreview(policy.name, `string value at .${path} can't be known during preview`),
    };
}
