/**
 * Picks out of the recorded resources the pieces of the IRSA chain a reader checks first: the
 * web-identity trust policy of each role, each ServiceAccount and its annotations, each Helm
 * release and its values, and a count by type. Both renderers show the same views, so they are
 * computed once here.
 */
import type { RecordedResource } from "./recorded-resource";

export interface TrustPolicyView {
    /** The role's URN and logical name. */
    urn: string;
    name: string;
    /** The trust document as IAM would store it (parsed from the role's `assumeRolePolicy`). */
    document: unknown;
}

export interface ServiceAccountView {
    urn: string;
    namespace: string;
    name: string;
    annotations: Record<string, unknown>;
}

export interface HelmReleaseView {
    urn: string;
    /** The logical name of the Pulumi resource. */
    resourceName: string;
    chart: unknown;
    version: unknown;
    repo: unknown;
    namespace: unknown;
    values: unknown;
}

export interface ResourceCount {
    type: string;
    count: number;
}

const ROLE_TYPE = "aws:iam/role:Role";
const SERVICE_ACCOUNT_TYPE = "kubernetes:core/v1:ServiceAccount";
/** Helm v3 `Release` and v4 `Chart` (a remote component) both take chart, version, repositoryOpts, values. */
const HELM_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];
const WEB_IDENTITY_ACTION = "sts:assumerolewithwebidentity";

/** Roles whose trust policy allows `sts:AssumeRoleWithWebIdentity` (the IRSA roles). */
export function webIdentityTrustPolicies(resources: readonly RecordedResource[]): TrustPolicyView[] {
    const views: TrustPolicyView[] = [];
    for (const resource of resources) {
        if (resource.type !== ROLE_TYPE) {
            continue;
        }
        const document = parsePolicy(resource.inputs.assumeRolePolicy);
        if (document !== undefined && mentionsWebIdentity(document)) {
            views.push({ urn: resource.urn, name: resource.name, document });
        }
    }
    return views;
}

export function serviceAccounts(resources: readonly RecordedResource[]): ServiceAccountView[] {
    return resources.filter((r) => r.type === SERVICE_ACCOUNT_TYPE).map((resource) => {
        // Kubernetes defaults: the object is named after the resource (auto-named) in `default`.
        const metadata = asRecord(resource.inputs.metadata);
        const outputMetadata = asRecord(resource.outputs.metadata);
        return {
            urn: resource.urn,
            namespace: String(metadata.namespace ?? outputMetadata.namespace ?? "default"),
            name: String(metadata.name ?? outputMetadata.name ?? resource.name),
            annotations: asRecord(metadata.annotations),
        };
    });
}

export function helmReleases(resources: readonly RecordedResource[]): HelmReleaseView[] {
    return resources.filter((r) => HELM_TYPES.includes(r.type)).map((resource) => ({
        urn: resource.urn,
        resourceName: resource.name,
        chart: resource.inputs.chart,
        version: resource.inputs.version,
        repo: asRecord(resource.inputs.repositoryOpts).repo,
        namespace: resource.inputs.namespace ?? "default",
        values: resource.inputs.values ?? {},
    }));
}

/** Resources per type, most frequent first, then by type. */
export function countByType(resources: readonly RecordedResource[]): ResourceCount[] {
    const counts = new Map<string, number>();
    for (const resource of resources) {
        counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
    }
    return [...counts].map(([type, count]) => ({ type, count }))
        .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** `assumeRolePolicy` is a JSON string or (with the SDK's PolicyDocument type) an object. */
function parsePolicy(policy: unknown): unknown {
    if (typeof policy === "string") {
        try {
            return JSON.parse(policy);
        } catch {
            return undefined;
        }
    }
    return typeof policy === "object" && policy !== null ? policy : undefined;
}

function mentionsWebIdentity(document: unknown): boolean {
    const statements = asRecord(document).Statement;
    for (const statement of Array.isArray(statements) ? statements : [statements]) {
        const action = asRecord(statement).Action;
        const actions = Array.isArray(action) ? action : [action];
        if (actions.some((a) => typeof a === "string" && a.toLowerCase() === WEB_IDENTITY_ACTION)) {
            return true;
        }
    }
    return false;
}

function asRecord(value: unknown): Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}
