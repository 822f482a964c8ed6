/**
 * The one permission fact the upstream history does not show: since 2023-06-01 Elastic Load
 * Balancing authorizes `elasticloadbalancing:AddTags` on every CreateLoadBalancer/CreateTargetGroup
 * call that carries tags, and the controller always tags what it creates. A policy that allows
 * AddTags only on resources that already exist (upstream's policy before v2.4.7, many hand-written
 * ones) therefore breaks every load balancer, whatever the controller version. This file decides
 * whether some Allow statement is usable in that create-time request.
 */
import { conditionHolds, resolveOperator } from "../iam/condition-operators";
import { Partition, PARTITIONS, regionsOfPartition } from "../partition";
import { wildcardMatch } from "../iam/wildcard";
import { coversAction, coversEveryResource, PermissionStatement } from "./permission-statements";

const ADD_TAGS = "elasticloadbalancing:AddTags";

/** The resources the controller creates with tags, and the create action that tags them. */
const CREATED_RESOURCES: ReadonlyArray<{ readonly kind: string; readonly path: string; readonly createAction: string }> = [
    { kind: "target group", path: "targetgroup/k8s-demo-web-0123456789/0123456789abcdef", createAction: "CreateTargetGroup" },
    { kind: "Application Load Balancer", path: "loadbalancer/app/k8s-demo-web-0123456789/0123456789abcdef", createAction: "CreateLoadBalancer" },
    { kind: "Network Load Balancer", path: "loadbalancer/net/k8s-demo-web-0123456789/0123456789abcdef", createAction: "CreateLoadBalancer" },
];

type Truth = "true" | "false" | "unknown";

/**
 * What the create-time request context holds for `keyLower`: known values, `"absent"`, or
 * `"present"` (there, value unknown: the cluster tag carries the cluster's name, which the policy
 * may pin). Keys this model does not know are `undefined`: nothing is concluded from them.
 */
function createContext(keyLower: string, createAction: string): readonly string[] | "absent" | "present" | undefined {
    if (keyLower === "elasticloadbalancing:createaction") return [createAction];
    if (keyLower === "aws:requesttag/elbv2.k8s.aws/cluster") return "present";
    // The resource does not exist yet, so it carries no tags.
    if (/^[a-z0-9-]+:resourcetag\//.test(keyLower)) return "absent";
    return undefined;
}

function conditionTruth(statement: PermissionStatement, createAction: string): Truth {
    let result: Truth = "true";
    for (const [operatorName, block] of Object.entries(statement.condition ?? {})) {
        const operator = resolveOperator(operatorName);
        for (const [key, values] of Object.entries(block)) {
            const context = operator === undefined ? undefined : createContext(key.toLowerCase(), createAction);
            let truth: Truth;
            if (context === undefined) {
                truth = "unknown";
            } else if (context === "absent") {
                truth = conditionHolds(operator!, values, undefined) ? "true" : "false";
            } else if (context === "present") {
                truth = operator!.base.presence ? (conditionHolds(operator!, values, ["present"]) ? "true" : "false") : "unknown";
            } else {
                truth = conditionHolds(operator!, values, context) ? "true" : "false";
            }
            if (truth === "false") return "false";
            if (truth === "unknown") result = "unknown";
        }
    }
    return result;
}

/**
 * Whether an ARN pattern covers the new resource `path` in `partition`. The region and account
 * fields are not judged: a policy pinned to the user's own region and account is right, and this
 * check does not know them.
 */
function patternCovers(pattern: string, partition: Partition, path: string): boolean {
    const sample = `arn:${partition}:elasticloadbalancing:${regionsOfPartition(partition)[0]}:111122223333:${path}`;
    if (wildcardMatch(pattern, sample)) return true;
    const fields = pattern.split(":");
    if (fields.length < 6) return false;
    return wildcardMatch(fields[0], "arn")
        && wildcardMatch(fields[1], partition)
        && wildcardMatch(fields[2], "elasticloadbalancing")
        && wildcardMatch(fields.slice(5).join(":"), path);
}

function coversCreatedResource(statement: PermissionStatement, partition: Partition, path: string): boolean {
    if (statement.resources !== undefined) {
        return statement.resources.some((pattern) => patternCovers(pattern, partition, path));
    }
    return !statement.notResources!.some((pattern) => patternCovers(pattern, partition, path));
}

/**
 * Whether a Deny certainly applies to the new resource: on every resource, or on an ARN pattern
 * that leaves region and account open (one pinned elsewhere may not be this cluster's).
 */
function denyCovers(statement: PermissionStatement, partition: Partition, path: string): boolean {
    if (coversEveryResource(statement)) return true;
    return (statement.resources ?? []).some((pattern) => {
        const fields = pattern.split(":");
        return fields.length >= 6 && fields[3] === "*" && fields[4] === "*" && patternCovers(pattern, partition, path);
    });
}

/**
 * The kinds of created resource (target group, ALB, NLB) that the controller cannot tag at
 * creation in any of `partitions`; empty when tagging on create works. An Allow counts unless its
 * condition certainly fails in the create request; a Deny counts only when its condition certainly
 * holds there.
 */
export function resourcesNotTaggableOnCreate(statements: readonly PermissionStatement[], partition?: Partition): string[] {
    const partitions = partition === undefined ? PARTITIONS : [partition];
    const addTags = statements.filter((statement) => coversAction(statement, ADD_TAGS));
    return CREATED_RESOURCES.filter((resource) => !partitions.some((candidate) => {
        const allowed = addTags.some((statement) =>
            statement.effect === "Allow"
            && coversCreatedResource(statement, candidate, resource.path)
            && conditionTruth(statement, resource.createAction) !== "false");
        const denied = addTags.some((statement) =>
            statement.effect === "Deny"
            && denyCovers(statement, candidate, resource.path)
            && conditionTruth(statement, resource.createAction) === "true");
        return allowed && !denied;
    })).map((resource) => resource.kind);
}
