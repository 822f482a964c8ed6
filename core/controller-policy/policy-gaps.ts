/**
 * What a user's controller policy lacks compared with what the controller at a given version
 * needs: actions added upstream after the policy was written, whole statements left out, grants
 * that only reach another partition's ARNs, explicit Denies, and the AddTags-on-create fact.
 * The analysis rule about controller permissions turns these gaps into findings.
 *
 * It reports only what certainly breaks: an action counts as granted when some Allow statement's
 * Action covers it, whatever that statement's Condition says (upstream scopes many actions by
 * tag conditions, and so may the user); only an unconditional Deny on every resource takes it away.
 */
import type { PolicyDocument } from "../snapshot";
import { arnPrefix, isPartition, Partition, PARTITIONS } from "../partition";
import { resourcesNotTaggableOnCreate } from "./add-tags-on-create";
import { NeededAction, neededControllerActions } from "./needed-actions";
import { coversAction, coversEveryResource, PermissionStatement, reachesPartition, readPermissionStatements } from "./permission-statements";
import { compareControllerVersions, nearestKnownControllerVersion, normalizeControllerVersion, OLDEST_KNOWN_CONTROLLER_VERSION } from "./versions";

export interface PermissionGap {
    /** The actions the controller is refused, in upstream's order. */
    actions: string[];
    /** Why they are refused and why the controller needs them. */
    reason: string;
    /** The first controller release whose upstream policy has them, when later than the oldest known. */
    since?: string;
}

type ActionStatus = "granted" | "missing" | "other-partition" | "denied";

function statusOf(action: string, statements: readonly PermissionStatement[], partition: Partition | undefined): ActionStatus {
    const denied = statements.some((statement) =>
        statement.effect === "Deny" && statement.condition === undefined && coversAction(statement, action) && coversEveryResource(statement));
    if (denied) return "denied";
    const allows = statements.filter((statement) => statement.effect === "Allow" && coversAction(statement, action));
    if (allows.length === 0) return "missing";
    if (partition !== undefined && !allows.some((statement) => reachesPartition(statement, partition))) return "other-partition";
    return "granted";
}

function them(actions: readonly unknown[]): string {
    return actions.length === 1 ? "it" : "them";
}

function missingReason(version: string, group: readonly NeededAction[], since: string | undefined): string {
    if (since === undefined) {
        return `controller ${version} needs ${group.length === 1 ? "this action" : "these actions"}, part of the upstream policy of every release since ${OLDEST_KNOWN_CONTROLLER_VERSION}, and the policy does not allow ${them(group)}`;
    }
    const purposes = [...new Set(group.map((needed) => needed.purpose))].join("; ");
    return `controller ${version} needs ${group.length === 1 ? "this action" : "these actions"} (${purposes}), in the upstream policy since ${since}, and the policy does not allow ${them(group)}: it looks written for a release before ${since}`;
}

const ADD_TAGS_ON_CREATE_REASON =
    "since 2023-06-01 Elastic Load Balancing checks elasticloadbalancing:AddTags on every create call that carries tags, "
    + "and no Allow statement lets the controller tag a new %KINDS% as it is created, so creating %THEM% fails with AccessDenied "
    + "whatever the controller version; the upstream statement allows AddTags on targetgroup/*/*, loadbalancer/net/*/* and "
    + "loadbalancer/app/*/* with StringEquals elasticloadbalancing:CreateAction [CreateTargetGroup, CreateLoadBalancer] and "
    + "Null aws:RequestTag/elbv2.k8s.aws/cluster false";

function addTagsOnCreateReason(kinds: readonly string[]): string {
    const listed = kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(", ")} or ${kinds[kinds.length - 1]}`;
    return ADD_TAGS_ON_CREATE_REASON.replace("%KINDS%", listed).replace("%THEM%", kinds.length === 1 ? "it" : "them");
}

/**
 * The gaps between `policy` and what controller `controllerVersion` (with or without "v") needs in
 * `partition` (without one: what it needs in every partition). A version between or after known
 * releases is judged by the newest known release not newer than it; one older than every known
 * release only by the AddTags-on-create fact. Throws when the version is not MAJOR.MINOR.PATCH or
 * the partition is not one of `aws`, `aws-cn`, `aws-us-gov`.
 */
export function controllerPolicyGaps(policy: PolicyDocument, controllerVersion: string, partition?: Partition): PermissionGap[] {
    const version = normalizeControllerVersion(controllerVersion);
    if (partition !== undefined && !isPartition(partition)) {
        throw new Error(`partition: "${String(partition)}" is not a partition; allowed: ${PARTITIONS.join(", ")}`);
    }
    const statements = readPermissionStatements(policy);
    const known = nearestKnownControllerVersion(version);
    const needed = known === undefined ? [] : neededControllerActions(known, partition);
    const untaggable = resourcesNotTaggableOnCreate(statements, partition);

    const byStatus = new Map<ActionStatus, NeededAction[]>();
    for (const entry of needed) {
        const status = statusOf(entry.action, statements, partition);
        // The AddTags-on-create gap below already names AddTags, with the reason that matters.
        if (status === "granted" || (untaggable.length > 0 && entry.action === "elasticloadbalancing:AddTags")) continue;
        byStatus.set(status, [...(byStatus.get(status) ?? []), entry]);
    }

    const gaps: PermissionGap[] = [];
    const missing = byStatus.get("missing") ?? [];
    // Oldest first: the order in which the policy fell behind.
    const sinces = [...new Set(missing.map((entry) => entry.since))]
        .sort((a, b) => (a === undefined ? -1 : b === undefined ? 1 : compareControllerVersions(a, b)));
    for (const since of sinces) {
        const group = missing.filter((entry) => entry.since === since);
        const gap: PermissionGap = { actions: group.map((entry) => entry.action), reason: missingReason(version, group, since) };
        if (since !== undefined) gap.since = since;
        gaps.push(gap);
    }
    if (untaggable.length > 0) {
        gaps.push({ actions: ["elasticloadbalancing:AddTags"], reason: addTagsOnCreateReason(untaggable) });
    }
    const elsewhere = byStatus.get("other-partition") ?? [];
    if (elsewhere.length > 0) {
        gaps.push({
            actions: elsewhere.map((entry) => entry.action),
            reason: `the policy allows ${elsewhere.length === 1 ? "this action" : "these actions"} only on resources of another partition; in ${partition} ARNs start with "${arnPrefix(partition!)}:"`,
        });
    }
    const denied = byStatus.get("denied") ?? [];
    if (denied.length > 0) {
        gaps.push({
            actions: denied.map((entry) => entry.action),
            reason: `the policy denies ${denied.length === 1 ? "this action" : "these actions"} on every resource, which overrides any Allow, and controller ${version} needs ${them(denied)}`,
        });
    }
    return gaps;
}
