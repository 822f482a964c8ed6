/**
 * The Helm values of the `aws-load-balancer-controller` chart, and the user values that would break
 * the IRSA chain. A pure builder (no Pulumi Outputs) so that tests, the offline plan and the policy
 * pack see exactly the object Helm receives.
 */
import { describeValue, isPlainObject } from "./validation";

export const ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

/**
 * The values the component derives from its arguments. A field left `undefined` is not known yet
 * (it comes from another resource's output); conflicts on it are checked once it is.
 */
export interface ChainValues {
    readonly clusterName?: string;
    readonly region: string;
    readonly vpcId?: string;
    readonly serviceAccountName: string;
    /** The role the component's ServiceAccount is annotated with. */
    readonly roleArn?: string;
    readonly controllerVersion: string;
}

/** The values that must hold for the chain; a user value for them must be equal. */
interface ChainKey {
    readonly path: readonly string[];
    readonly expected: (chain: ChainValues) => unknown;
    /** Where the component's value comes from, for the message. */
    readonly because: string;
}

const CHAIN_KEYS: readonly ChainKey[] = [
    { path: ["clusterName"], expected: (c) => c.clusterName, because: "the cluster the controller manages" },
    { path: ["region"], expected: (c) => c.region, because: "the controller must not ask instance metadata for its region" },
    { path: ["vpcId"], expected: (c) => c.vpcId, because: "the controller must not ask instance metadata for its VPC" },
    { path: ["serviceAccount", "create"], expected: () => false, because: "the component creates the annotated ServiceAccount itself" },
    { path: ["serviceAccount", "name"], expected: (c) => c.serviceAccountName, because: "the pods must run as the annotated ServiceAccount" },
    { path: ["image", "tag"], expected: (c) => c.controllerVersion, because: "controllerVersion decides both the image and its IAM permissions" },
];

/**
 * The values the component gives the chart, before user values are merged in.
 * - `serviceAccount.create: false` + `name`: the component's ServiceAccount carries the role
 *   annotation; with `create: false` and no name the pods would run as `default`.
 * - `region`, `vpcId`: nodes require IMDSv2 with hop limit 1, so pods cannot reach instance metadata.
 * - `keepTLSSecret: true`: the chart generates a new webhook certificate on every render unless it
 *   finds its existing Secret through Helm's `lookup`; `helm.v3.Release` installs and upgrades
 *   against the live cluster, so the lookup works and an upgrade keeps the certificate the webhooks
 *   trust. (Charts 1.13-1.17 and 3.5.0 have the flag; upstream dropped it for a while in 3.x, and
 *   releases from that window rotate the certificate on each upgrade.)
 * - `replicaCount: 2` with a PodDisruptionBudget: the webhooks fail closed, so one pod must stay up
 *   while nodes drain.
 */
export function controllerChartValues(chain: Required<ChainValues>): Record<string, unknown> {
    return {
        clusterName: chain.clusterName,
        region: chain.region,
        vpcId: chain.vpcId,
        serviceAccount: { create: false, name: chain.serviceAccountName },
        image: { tag: chain.controllerVersion },
        replicaCount: 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        keepTLSSecret: true,
    };
}

/**
 * Every user value that disagrees with the chain, as problem lines under `prefix` (the argument
 * name, e.g. `values`). Values of chain fields not known yet are skipped; call again once known.
 */
export function controllerValueConflicts(user: unknown, chain: ChainValues, prefix: string): string[] {
    if (user === undefined) {
        return [];
    }
    if (!isPlainObject(user)) {
        return [`${prefix}: ${describeValue(user)} is not valid: a map of Helm values for the aws-load-balancer-controller chart`];
    }
    const problems: string[] = [];
    for (const key of CHAIN_KEYS) {
        const found = lookup(user, key.path);
        if (!found.present) {
            continue;
        }
        const expected = key.expected(chain);
        if (expected === undefined || found.value === expected) {
            continue;
        }
        problems.push(conflict(`${prefix}.${key.path.join(".")}`, found.value, `${key.path.join(".")} is set by the component to ${describeValue(expected)} (${key.because}); leave it out of ${prefix} or give the same value`));
    }
    const serviceAccount = user.serviceAccount;
    if (serviceAccount !== undefined && !isPlainObject(serviceAccount)) {
        problems.push(conflict(`${prefix}.serviceAccount`, serviceAccount, `a map with at most create: false and name: ${describeValue(chain.serviceAccountName)}`));
    } else if (serviceAccount !== undefined) {
        for (const [field, value] of Object.entries(serviceAccount)) {
            if (field === "create" || field === "name") {
                continue;
            }
            if (field === "annotations") {
                problems.push(...annotationConflicts(value, chain, `${prefix}.serviceAccount.annotations`));
                continue;
            }
            problems.push(conflict(`${prefix}.serviceAccount.${field}`, value, "the chart ignores serviceAccount settings other than name when serviceAccount.create is false; the component creates the ServiceAccount"));
        }
    }
    const image = user.image;
    if (image !== undefined && !isPlainObject(image)) {
        problems.push(conflict(`${prefix}.image`, image, "a map of image settings (repository, pullPolicy); the tag comes from controllerVersion"));
    }
    return problems;
}

/** The chart's values: user values deep-merged under the component's (which win; conflicts were rejected). */
export function mergeChartValues(user: Record<string, unknown> | undefined, component: Record<string, unknown>): Record<string, unknown> {
    return deepMerge(user ?? {}, component);
}

/**
 * The chart uses `serviceAccount.annotations` only when it creates the account, so any annotation
 * here would be silently dropped; only the role annotation the component sets itself is accepted.
 */
function annotationConflicts(annotations: unknown, chain: ChainValues, path: string): string[] {
    if (!isPlainObject(annotations)) {
        return [conflict(path, annotations, `a map; the component annotates the ServiceAccount with ${ROLE_ARN_ANNOTATION} itself`)];
    }
    const problems: string[] = [];
    for (const [key, value] of Object.entries(annotations)) {
        const keyPath = `${path}[${JSON.stringify(key)}]`;
        if (key !== ROLE_ARN_ANNOTATION) {
            problems.push(conflict(keyPath, value, `the chart ignores serviceAccount.annotations when serviceAccount.create is false; the component's ServiceAccount carries only ${ROLE_ARN_ANNOTATION}`));
        } else if (chain.roleArn !== undefined && value !== chain.roleArn) {
            problems.push(conflict(keyPath, value, `the component annotates the ServiceAccount with its own role ${describeValue(chain.roleArn)}; leave it out or give the same value`));
        }
    }
    return problems;
}

function conflict(path: string, value: unknown, allowed: string): string {
    return `${path}: ${describeValue(value)} is not valid: ${allowed}`;
}

function lookup(values: Record<string, unknown>, path: readonly string[]): { present: boolean; value?: unknown } {
    let current: unknown = values;
    for (const segment of path) {
        if (!isPlainObject(current) || !Object.prototype.hasOwnProperty.call(current, segment)) {
            return { present: false };
        }
        current = current[segment];
    }
    return { present: true, value: current };
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) {
        const existing = merged[key];
        merged[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
    }
    return merged;
}
