/**
 * The controller's own permissions: a policy written for an older release lacks actions newer
 * releases call (DescribeListenerAttributes from v2.9.0, ...), and any policy without the
 * "AddTags on create" statement fails every create since ELB began checking it. The facts per version
 * live in ../controller-policy; this rule only turns each gap into a finding.
 */
import type { Finding } from "../analysis";
import { controllerPolicyGaps, OLDEST_KNOWN_CONTROLLER_VERSION, type PermissionGap } from "../controller-policy";
import { isPartition } from "../partition";
import type { PolicyDocument } from "../snapshot";
import type { Wiring } from "../wiring";
import { finding } from "./finding";

/** Long action lists are already in the message; the fix names them only when they are few. */
function addition(actions: readonly string[]): string {
    return actions.length <= 4 ? actions.join(", ") : `the ${actions.length} actions listed`;
}

function findingsOf(gaps: readonly PermissionGap[], wiring: Wiring, version: string): Finding[] {
    return gaps.map((gap) => finding("controller-policy-missing-actions", "controllerPolicy",
        `the controller's policy does not allow ${gap.actions.join(", ")}: ${gap.reason}${wiring.controllerVersion === undefined ? ` (helmValues.image.tag is not set; judged by ${version}, the oldest known release)` : ""}`,
        `Attach the upstream policy of controller ${wiring.controllerVersion ?? "your version"} (partition ${wiring.partition}), or add ${addition(gap.actions)}${gap.since !== undefined ? ` (needed since ${gap.since})` : ""}.`));
}

/**
 * Most snapshots attach one of a handful of policies (upstream's, verbatim), and judging one takes
 * about 25 times as long as serialising it, so the findings are kept per policy text, version and
 * partition. Bounded, and pure: the same inputs always give the same findings; callers get copies.
 */
const cache = new Map<string, Finding[]>();
const CACHE_LIMIT = 256;

/**
 * JSON.stringify recurses: a policy handed to the core directly (not through parseSnapshot, which
 * refuses deep nesting) could exhaust the stack, so such a policy is judged uncached instead.
 */
function cacheKey(prefix: string, policy: unknown): string | undefined {
    try {
        return prefix + JSON.stringify(policy);
    } catch {
        return undefined;
    }
}

export function controllerPermissionFindings(wiring: Wiring): Finding[] {
    const policy = wiring.snapshot.controllerPolicy;
    if (policy === undefined) return [];
    // Without a version only what every release needs (and the AddTags fact) can be judged.
    const version = wiring.controllerVersion ?? OLDEST_KNOWN_CONTROLLER_VERSION;
    const partition = isPartition(wiring.partition) ? wiring.partition : undefined;
    const key = cacheKey(`${wiring.controllerVersion ?? "-"}|${wiring.partition}|`, policy);
    let findings = key !== undefined ? cache.get(key) : undefined;
    if (findings === undefined) {
        if (cache.size >= CACHE_LIMIT) cache.clear();
        findings = findingsOf(controllerPolicyGaps(policy as PolicyDocument, version, partition), wiring, version);
        if (key !== undefined) cache.set(key, findings);
    }
    return findings.map((f) => ({ ...f }));
}
