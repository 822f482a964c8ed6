/**
 * The snapshot one resource makes on its own, for checks that need no other resource (CrossGuard's
 * per-resource `Analyze` sees exactly one). Only the resource's own part of the snapshot is filled
 * in, plus the context a user states in policy configuration (the audience tokens carry, the
 * controller version); the caller keeps only the findings about the resource's own part, so the
 * context can never put a finding on the wrong resource.
 */
import type { WiringSnapshot } from "../snapshot";
import { hostPath } from "./arn";
import type { WiringPart } from "./fault-owner";
import type { GenericResource, PropertyNote } from "./generic-resource";
import { readHelmRelease, readLaunchTemplate, readOidcProvider, readPermissionPolicy, readRole, readServiceAccount, ROLE_ARN_ANNOTATION } from "./read-facts";
import { parseArn } from "./arn";
import { TYPES } from "./resource-types";
import { actionMatches } from "../iam/evaluate";
import { readPolicy } from "../iam/policy-document";

export interface ResourceContext {
    /** The audience the cluster's tokens carry (`eks.amazonaws.com/audience`), default `sts.amazonaws.com`. */
    audience?: string;
    /**
     * Where `audience` was stated (e.g. `the policy configuration "irsa-oidc-provider-client-ids.audience"`),
     * for `analyze`'s `audienceStatedIn`: findings then name it, not a service account's annotation.
     */
    audienceStatedIn?: string;
    /** The controller version whose permissions an attached policy must grant (`v2.13.0`). */
    controllerVersion?: string;
    /** The controller reads region and VPC from instance metadata (its chart values set neither). */
    controllerReliesOnInstanceMetadata?: boolean;
}

export interface SingleResourceSnapshot {
    /** The part of the wiring this resource carries. */
    part: WiringPart;
    snapshot: WiringSnapshot;
    unknowns: PropertyNote[];
    problems: PropertyNote[];
}

/**
 * @returns `undefined` when the resource carries no link of an IRSA chain (a role with no web-identity
 * or Pod Identity trust, an account without the role annotation, another chart), with the reason.
 */
export function snapshotOfResource(resource: GenericResource, context: ResourceContext = {}): SingleResourceSnapshot | { notApplicable: string } {
    switch (resource.type) {
        case TYPES.role: {
            const role = readRole(resource);
            const base = { part: "role" as const, unknowns: role.reader.unknowns, problems: role.reader.problems };
            if (!role.trustPolicy) {
                return base.unknowns.length + base.problems.length > 0 ? { ...base, snapshot: {} } : { notApplicable: "the role has no trust policy" };
            }
            if (!isIrsaTrust(role.trustPolicy)) return { notApplicable: "the role trusts neither an OIDC provider nor EKS Pod Identity" };
            return { ...base, snapshot: { trustPolicy: role.trustPolicy } };
        }
        case TYPES.oidcProvider: {
            const provider = readOidcProvider(resource);
            const snapshot: WiringSnapshot = {
                oidcProvider: compact({ url: provider.url, clientIdList: provider.clientIdList, thumbprintList: provider.thumbprintList, accountId: parseArn(provider.arn)?.account }),
            };
            // Alone, the provider is judged against the tokens it will receive: its own issuer, the configured audience.
            if (provider.url !== undefined) snapshot.cluster = { oidcIssuer: `https://${hostPath(provider.url)}` };
            if (context.audience !== undefined) snapshot.serviceAccount = { audienceAnnotation: context.audience };
            return { part: "oidcProvider", snapshot, unknowns: provider.reader.unknowns, problems: provider.reader.problems };
        }
        case TYPES.policy: {
            const policy = readPermissionPolicy(resource);
            if (!policy.document) {
                return policy.reader.unknowns.length + policy.reader.problems.length > 0
                    ? { part: "controllerPolicy", snapshot: {}, unknowns: policy.reader.unknowns, problems: policy.reader.problems }
                    : { notApplicable: "the policy has no document" };
            }
            if (!isControllerPolicy(policy.document)) return { notApplicable: "not the AWS Load Balancer Controller's permissions (it grants no elasticloadbalancing:CreateLoadBalancer)" };
            if (context.controllerVersion === undefined) return { notApplicable: "no controllerVersion configured: the stack policy judges the permissions against the chart's image.tag" };
            return {
                part: "controllerPolicy",
                snapshot: { controllerPolicy: policy.document, helmValues: { image: { tag: context.controllerVersion } } },
                unknowns: policy.reader.unknowns, problems: policy.reader.problems,
            };
        }
        case TYPES.serviceAccount: {
            const sa = readServiceAccount(resource);
            if (sa.roleArn === null) return { notApplicable: `the service account has no ${ROLE_ARN_ANNOTATION} annotation` };
            const account: NonNullable<WiringSnapshot["serviceAccount"]> = { namespace: sa.namespace };
            if (sa.name !== undefined) account.name = sa.name;
            if (sa.roleArn !== undefined) account.roleArnAnnotation = sa.roleArn;
            if (sa.audience !== undefined && sa.audience !== null) account.audienceAnnotation = sa.audience;
            return { part: "serviceAccount", snapshot: { serviceAccount: account }, unknowns: sa.reader.unknowns, problems: sa.reader.problems };
        }
        case TYPES.helmRelease: {
            const release = readHelmRelease(resource);
            if (!release.isController) return { notApplicable: `not the aws-load-balancer-controller chart (chart ${JSON.stringify(release.chart ?? null)})` };
            const snapshot: WiringSnapshot = { helmRelease: compact({ name: release.releaseName, namespace: release.namespace }) };
            if (release.values) snapshot.helmValues = release.values;
            else if (release.reader.unknowns.length + release.reader.problems.length === 0) snapshot.helmValues = {};
            return { part: "helmRelease", snapshot, unknowns: release.reader.unknowns, problems: release.reader.problems };
        }
        case TYPES.launchTemplate: {
            const template = readLaunchTemplate(resource);
            const snapshot: WiringSnapshot = template.metadataOptions ? { nodeMetadataOptions: template.metadataOptions } : {};
            // Chart values with neither region nor vpcId: the controller's only source is then instance metadata.
            if (context.controllerReliesOnInstanceMetadata) snapshot.helmValues = {};
            return { part: "nodeMetadata", snapshot, unknowns: template.reader.unknowns, problems: template.reader.problems };
        }
        default:
            return { notApplicable: `resources of type ${resource.type} carry no link of the IRSA chain` };
    }
}

/** A trust that names an OIDC provider, uses web identity, or trusts EKS Pod Identity. */
function isIrsaTrust(trust: Record<string, unknown>): boolean {
    const text = JSON.stringify(trust);
    return /oidc-provider\/|AssumeRoleWithWebIdentity|"Federated"|pods\.eks\.amazonaws\.com|:sub"|:aud"/i.test(text);
}

/** A permissions policy that lets its holder create load balancers: the controller's (or a superset). */
function isControllerPolicy(document: Record<string, unknown>): boolean {
    return readPolicy(document, "policy", "permissions").statements.some((statement) =>
        statement.effect === "Allow" && statement.actions !== undefined && actionMatches(statement.actions, "elasticloadbalancing:CreateLoadBalancer"));
}

function compact<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
