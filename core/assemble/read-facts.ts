/**
 * The facts each kind of resource contributes to the IRSA chain, read from its properties. This is
 * extraction only (which property holds what, defaults the provider or Kubernetes apply); judging
 * the facts is the analysis core's job. Every reader works on inputs (per-resource analysis, plan)
 * and on outputs (stack analysis), which differ only in the computed fields they carry (`arn`, ids).
 */
import { hostPath } from "./arn";
import type { GenericResource } from "./generic-resource";
import { PropertyReader } from "./property-reader";
import { CONTROLLER_CHART } from "./resource-types";
import { AUDIENCE_ANNOTATION, ROLE_ARN_ANNOTATION } from "../chart-service-account";

interface Facts {
    resource: GenericResource;
    reader: PropertyReader;
}

export interface RoleFacts extends Facts {
    /** IAM role name (input `name`, or the auto-name in outputs). */
    roleName?: string;
    arn?: string;
    trustPolicy?: Record<string, unknown>;
    managedPolicyArns?: string[];
    inlinePolicies: Record<string, unknown>[];
}

export function readRole(resource: GenericResource): RoleFacts {
    const reader = new PropertyReader(resource);
    const inline = reader.get("inlinePolicies");
    const inlinePolicies: Record<string, unknown>[] = [];
    if (Array.isArray(inline)) {
        inline.forEach((_, i) => {
            const doc = reader.document("inlinePolicies", i, "policy");
            if (doc) inlinePolicies.push(doc);
        });
    }
    return {
        resource, reader,
        roleName: reader.string("name"),
        arn: reader.string("arn"),
        trustPolicy: reader.document("assumeRolePolicy"),
        managedPolicyArns: reader.strings("managedPolicyArns"),
        inlinePolicies,
    };
}

export interface OidcProviderFacts extends Facts {
    url?: string;
    hostPath?: string;
    clientIdList?: string[];
    thumbprintList?: string[];
    arn?: string;
}

export function readOidcProvider(resource: GenericResource): OidcProviderFacts {
    const reader = new PropertyReader(resource);
    const url = reader.string("url");
    return {
        resource, reader, url,
        hostPath: url === undefined ? undefined : hostPath(url),
        clientIdList: reader.strings("clientIdLists"),
        thumbprintList: reader.strings("thumbprintLists"),
        arn: reader.string("arn"),
    };
}

export interface PermissionPolicyFacts extends Facts {
    arn?: string;
    document?: Record<string, unknown>;
}

/** `aws:iam/policy:Policy` (document in `policy`). */
export function readPermissionPolicy(resource: GenericResource): PermissionPolicyFacts {
    const reader = new PropertyReader(resource);
    return { resource, reader, arn: reader.string("arn"), document: reader.document("policy") };
}

export interface AttachmentFacts extends Facts {
    /** Role name (or ARN, which IAM also accepts here). */
    role?: string;
    policyArn?: string;
    /** `aws:iam/rolePolicy:RolePolicy` carries its document inline. */
    document?: Record<string, unknown>;
}

export function readRolePolicyAttachment(resource: GenericResource): AttachmentFacts {
    const reader = new PropertyReader(resource);
    return { resource, reader, role: reader.string("role"), policyArn: reader.string("policyArn") };
}

export function readInlineRolePolicy(resource: GenericResource): AttachmentFacts {
    const reader = new PropertyReader(resource);
    return { resource, reader, role: reader.string("role"), document: reader.document("policy") };
}

export { ROLE_ARN_ANNOTATION, AUDIENCE_ANNOTATION };

export interface ServiceAccountFacts extends Facts {
    namespace: string;
    /** `undefined` when auto-named and not yet known. */
    name?: string;
    /** `null`: no role annotation; `undefined`: unknown during preview. */
    roleArn?: string | null;
    audience?: string | null;
}

export function readServiceAccount(resource: GenericResource): ServiceAccountFacts {
    const reader = new PropertyReader(resource);
    const annotation = (key: string): string | null | undefined => {
        const before = reader.unknowns.length;
        const value = reader.get("metadata", "annotations", key);
        if (reader.unknowns.length > before) return undefined;
        return typeof value === "string" ? value : null;
    };
    return {
        resource, reader,
        namespace: reader.string("metadata", "namespace") ?? "default",
        name: reader.string("metadata", "name"),
        roleArn: annotation(ROLE_ARN_ANNOTATION),
        audience: annotation(AUDIENCE_ANNOTATION),
    };
}

export interface HelmReleaseFacts extends Facts {
    chart?: string;
    isController: boolean;
    releaseName?: string;
    namespace: string;
    values?: Record<string, unknown>;
}

/**
 * `kubernetes:helm.sh/v3:Release`. The controller's chart is recognised by its name whatever the
 * reference form: `aws-load-balancer-controller`, `eks/aws-load-balancer-controller`, an OCI or
 * tarball URL ending in it.
 */
export function readHelmRelease(resource: GenericResource): HelmReleaseFacts {
    const reader = new PropertyReader(resource);
    const chart = reader.string("chart");
    const chartBase = chart?.replace(/\.tgz$/, "").replace(/-\d+\.\d+\.\d+.*$/, "").split("/").pop();
    return {
        resource, reader, chart,
        isController: chartBase === CONTROLLER_CHART,
        releaseName: reader.string("name"),
        namespace: reader.string("namespace") ?? "default",
        values: reader.document("values"),
    };
}

export interface LaunchTemplateFacts extends Facts {
    id?: string;
    templateName?: string;
    metadataOptions?: { httpTokens?: string; httpPutResponseHopLimit?: number; httpEndpoint?: string };
}

export function readLaunchTemplate(resource: GenericResource): LaunchTemplateFacts {
    const reader = new PropertyReader(resource);
    const options = reader.get("metadataOptions");
    let metadataOptions: LaunchTemplateFacts["metadataOptions"];
    if (options !== undefined && options !== null) {
        metadataOptions = {};
        const tokens = reader.string("metadataOptions", "httpTokens");
        const hops = reader.number("metadataOptions", "httpPutResponseHopLimit");
        const endpoint = reader.string("metadataOptions", "httpEndpoint");
        if (tokens !== undefined) metadataOptions.httpTokens = tokens;
        if (hops !== undefined) metadataOptions.httpPutResponseHopLimit = hops;
        if (endpoint !== undefined) metadataOptions.httpEndpoint = endpoint;
    }
    return { resource, reader, id: reader.string("id") ?? reader.string("arn")?.split("/").pop(), templateName: reader.string("name"), metadataOptions };
}

export interface NodeGroupFacts extends Facts {
    launchTemplateId?: string;
    launchTemplateName?: string;
    clusterName?: string;
}

export function readNodeGroup(resource: GenericResource): NodeGroupFacts {
    const reader = new PropertyReader(resource);
    return {
        resource, reader,
        launchTemplateId: reader.string("launchTemplate", "id"),
        launchTemplateName: reader.string("launchTemplate", "name"),
        clusterName: reader.string("clusterName"),
    };
}

export interface ClusterFacts extends Facts {
    clusterName?: string;
    arn?: string;
    issuer?: string;
}

/** `aws:eks/cluster:Cluster` (outputs), or the `eksCluster` output of the `eks:index:Cluster` component. */
export function readCluster(resource: GenericResource, nested: boolean): ClusterFacts {
    const reader = new PropertyReader(resource);
    const base = nested ? ["eksCluster"] : [];
    return {
        resource, reader,
        clusterName: reader.string(...base, "name"),
        arn: reader.string(...base, "arn"),
        issuer: reader.string(...base, "identities", 0, "oidcs", 0, "issuer"),
    };
}

export interface PodIdentityFacts extends Facts {
    namespace?: string;
    serviceAccount?: string;
    roleArn?: string;
}

export function readPodIdentityAssociation(resource: GenericResource): PodIdentityFacts {
    const reader = new PropertyReader(resource);
    return {
        resource, reader,
        namespace: reader.string("namespace"),
        serviceAccount: reader.string("serviceAccount"),
        roleArn: reader.string("roleArn"),
    };
}
