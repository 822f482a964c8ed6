/**
 * Expected diagnostics, written the way the engine reports them (policy description, newline, the
 * violation message), so a spec states only the message it expects.
 */
import type { Policy } from "@pulumi/policy";
import { analyze, type WiringSnapshot } from "../../core";
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

/**
 * The violation a policy must report for the core's finding of `rule` on `snapshot`: the snapshot
 * is what the test says the resource(s) amount to, so the assertion pins the pack's mapping and
 * wording (message, fix, rule, path) while the finding's text stays the core's to word.
 */
export function fromCore(policy: Policy, snapshot: WiringSnapshot, rule: string, opts: { urn?: string; context?: string } = {}): Diagnostic {
    const matches = analyze(snapshot).findings.filter((f) => f.rule === rule);
    if (matches.length !== 1) throw new Error(`expected exactly one ${rule} finding for the test snapshot, got ${matches.length}`);
    const f = matches[0];
    const where = opts.context === undefined ? "" : ` (${opts.context})`;
    return violation(policy, `${f.message}${where}. Fix: ${f.fix} [rule ${f.rule} at ${f.path}]`, opts.urn);
}
