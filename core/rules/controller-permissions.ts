/**
 * The controller's own permissions: a policy written for an older release lacks actions newer
 * releases call (DescribeListenerAttributes from v2.9.0, ...), and any policy without the
 * "AddTags on create" statement fails every create since ELB began checking it. The facts per version
 * live in ../controller-policy; this rule only turns each gap into a finding.
 */
import type { Finding } from "../analysis";
import { controllerPolicyGaps, OLDEST_KNOWN_CONTROLLER_VERSION } from "../controller-policy";
import { isPartition } from "../partition";
import type { Wiring } from "../wiring";
import { finding } from "./finding";

/** Long action lists are already in the message; the fix names them only when they are few. */
function addition(actions: readonly string[]): string {
    return actions.length <= 4 ? actions.join(", ") : `the ${actions.length} actions listed`;
}

export function controllerPermissionFindings(wiring: Wiring): Finding[] {
    const policy = wiring.snapshot.controllerPolicy;
    if (policy === undefined) return [];
    // Without a version only what every release needs (and the AddTags fact) can be judged.
    const version = wiring.controllerVersion ?? OLDEST_KNOWN_CONTROLLER_VERSION;
    const partition = isPartition(wiring.partition) ? wiring.partition : undefined;
    const gaps = controllerPolicyGaps(policy, version, partition);
    return gaps.map((gap) => finding("controller-policy-missing-actions", "controllerPolicy",
        `the controller's policy does not allow ${gap.actions.join(", ")}: ${gap.reason}${wiring.controllerVersion === undefined ? ` (helmValues.image.tag is not set; judged by ${version}, the oldest known release)` : ""}`,
        `Attach the upstream policy of controller ${wiring.controllerVersion ?? "your version"} (partition ${wiring.partition}), or add ${addition(gap.actions)}${gap.since !== undefined ? ` (needed since ${gap.since})` : ""}.`));
}
