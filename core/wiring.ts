/**
 * The facts every rule reasons from, derived once per snapshot: the service account the pods really
 * run as (after the chart's rendering rules), the token it gets (iss, sub, aud), the role it names,
 * the partition and the provider ARN STS will look for. Rules never re-derive these, so two rules can
 * never disagree about which account or which audience is meant.
 */
import { chartServiceAccount, ROLE_ARN_ANNOTATION, AUDIENCE_ANNOTATION, type ChartServiceAccount } from "./chart-service-account";
import { DEFAULT_AUDIENCE, oidcProviderArn, serviceAccountSubject, type WebIdentityToken } from "./iam/web-identity";
import { readPolicy, type ReadPolicy } from "./iam/policy-document";
import { isPartition, partitionOfRegion } from "./partition";
import type { WiringSnapshot } from "./snapshot";

export interface RoleArn {
    readonly arn: string;
    readonly partition: string;
    readonly accountId: string;
    readonly name: string;
}

export interface EffectiveServiceAccount {
    readonly namespace?: string;
    readonly name?: string;
    /** The role-arn annotation: `null` when the account has none, `undefined` when not known. */
    readonly roleArn?: string | null;
    readonly audience: string;
    readonly audienceFromAnnotation: boolean;
    readonly exists?: boolean;
    /** How the chart renders the account, when Helm values are known. */
    readonly chart?: ChartServiceAccount;
    /** The snapshot describes another account than the one the chart runs the pods as. */
    readonly describedName?: string;
    /** The described account lives in another namespace than the Helm release that runs the pods. */
    readonly describedNamespace?: string;
}

export interface Wiring {
    readonly snapshot: WiringSnapshot;
    readonly trust?: ReadPolicy;
    readonly account: EffectiveServiceAccount;
    /** The token's `iss`. */
    readonly issuer?: string;
    /** The token the pods get, when issuer and account are known. */
    readonly token?: WebIdentityToken;
    readonly role?: RoleArn;
    /** The account STS looks for the provider in: the role's account. */
    readonly roleAccountId?: string;
    readonly partition: string;
    /**
     * The partition as the facts state it (the cluster's, its region's, or the role ARN's); `undefined`
     * when `partition` is only inferred from the issuer or defaulted, so nothing may be refused for it.
     */
    readonly knownPartition?: string;
    /** `arn:<partition>:iam::<role account>:oidc-provider/<issuer host/path>`. */
    readonly providerArn?: string;
    /** The pods get credentials from EKS Pod Identity, not from IRSA. */
    readonly podIdentity: boolean;
    /** `helmValues.image.tag`, as `vX.Y.Z`, when it is a version. */
    readonly controllerVersion?: string;
}

/** The ARN's shape; what follows `role/` is judged by `roleResourceProblem`. */
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(.*)$/s;
/** IAM's RoleName pattern and length (CreateRole). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/**
 * IAM's Path pattern (CreateRole): "/" or "/.../" of ASCII \u0021-\u007F, at most 512 characters.
 * In the ARN the leading "/" is the one after "role", so only the inner part and its closing "/" show.
 */
const ROLE_PATH_INNER = /^[\x21-\x7F]*$/;
const ROLE_PATH_MAX = 512;

/** Why IAM could never have a role with this `<path>/<name>`; `undefined` when it could. */
function roleResourceProblem(resource: string): string | undefined {
    const slash = resource.lastIndexOf("/");
    const name = resource.slice(slash + 1);
    const path = "/" + resource.slice(0, slash + 1);
    if (!ROLE_NAME.test(name)) {
        return `whose role name ${JSON.stringify(name)} is not one IAM allows (1 to 64 letters, digits and + = , . @ _ -${/\s/.test(name) ? "; no spaces" : ""})`;
    }
    if (path.length > ROLE_PATH_MAX || !ROLE_PATH_INNER.test(path)) {
        return `whose role path ${JSON.stringify(path)} is not one IAM allows (printable ASCII without spaces, at most ${ROLE_PATH_MAX} characters)`;
    }
    return undefined;
}

/** Why `arn` names no role IAM could have: `undefined` when it is a well-formed role ARN. */
export function roleArnProblem(arn: string): string | undefined {
    const match = ROLE_ARN.exec(arn);
    if (match === null) return "which is not an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/<name>)";
    return roleResourceProblem(match[3]);
}

export function parseRoleArn(arn: string): RoleArn | undefined {
    const match = ROLE_ARN.exec(arn);
    // A name IAM refuses is no role at all: treat the annotation as malformed, never as a role to trust.
    if (match === null || roleResourceProblem(match[3]) !== undefined) return undefined;
    return { arn, partition: match[1], accountId: match[2], name: match[3].split("/").pop() as string };
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function annotation(chart: ChartServiceAccount | undefined, key: string): string | null | undefined {
    if (chart === undefined || !chart.create) return undefined;
    const value = chart.annotations[key];
    return typeof value === "string" && value !== "" ? value : null;
}

function effectiveServiceAccount(snapshot: WiringSnapshot): EffectiveServiceAccount {
    const described = snapshot.serviceAccount;
    const chart = snapshot.helmValues !== undefined ? chartServiceAccount(snapshot.helmValues, snapshot.helmRelease?.name) : undefined;
    const namespace = snapshot.helmRelease?.namespace ?? described?.namespace;
    const name = chart?.name ?? described?.name;
    // The pods run as the chart's account; what the snapshot says about another account does not apply.
    const describedName = described?.name !== undefined && name !== undefined && described.name !== name ? described.name : undefined;
    // Pods run in the release's namespace: an account of that name in another namespace is another account.
    const describedNamespace = described?.namespace !== undefined && namespace !== undefined && described.namespace !== namespace ? described.namespace : undefined;
    const sameAccount = describedName === undefined && describedNamespace === undefined ? described : undefined;
    // An account the chart creates carries exactly the annotations in the values, whatever else says so.
    const roleArn = chart?.create ? annotation(chart, ROLE_ARN_ANNOTATION) : sameAccount?.roleArnAnnotation;
    const audienceAnnotation = (chart?.create ? annotation(chart, AUDIENCE_ANNOTATION) : sameAccount?.audienceAnnotation) ?? undefined;
    return {
        namespace,
        name,
        chart,
        describedName,
        describedNamespace,
        roleArn,
        audience: audienceAnnotation ?? DEFAULT_AUDIENCE,
        audienceFromAnnotation: audienceAnnotation !== undefined,
        exists: chart?.create ? true : sameAccount?.exists,
    };
}

/** Partition from the issuer's DNS suffix, for snapshots that name neither partition nor region. */
function partitionOfIssuer(issuer: string | undefined): string | undefined {
    if (issuer === undefined) return undefined;
    if (/\.amazonaws\.com\.cn(\/|$)/i.test(issuer)) return "aws-cn";
    if (/\.us-gov-[a-z]+-\d\./i.test(issuer)) return "aws-us-gov";
    return undefined;
}

const VERSION_IN_TAG = /^v?(\d+)\.(\d+)\.(\d+)/;

function controllerVersion(values: Readonly<Record<string, unknown>> | undefined): string | undefined {
    const image = values?.image;
    const tag = isObject(image) ? image.tag : undefined;
    if (typeof tag !== "string") return undefined;
    const match = VERSION_IN_TAG.exec(tag.trim());
    return match === null ? undefined : `v${match[1]}.${match[2]}.${match[3]}`;
}

export function deriveWiring(snapshot: WiringSnapshot): Wiring {
    const account = effectiveServiceAccount(snapshot);
    const association = snapshot.podIdentityAssociation ?? undefined;
    const podIdentity = association !== undefined && (account.roleArn === null || account.roleArn === undefined);
    const roleSource = typeof account.roleArn === "string" ? account.roleArn : podIdentity ? association?.roleArn : undefined;
    const role = roleSource !== undefined ? parseRoleArn(roleSource) : undefined;
    const cluster = snapshot.cluster ?? {};
    const issuer = cluster.oidcIssuer;
    const clusterPartition = cluster.partition !== undefined && isPartition(cluster.partition) ? cluster.partition : undefined;
    const partition = role?.partition ?? clusterPartition
        ?? (cluster.region !== undefined ? partitionOfRegion(cluster.region) : undefined)
        ?? partitionOfIssuer(issuer) ?? "aws";
    // The cluster's own partition first: a role ARN annotated with another partition is the annotation's
    // fault (reported on the annotation), not the trust document's.
    const knownPartition = clusterPartition ?? (cluster.region !== undefined ? partitionOfRegion(cluster.region) : undefined) ?? role?.partition;
    const roleAccountId = role?.accountId ?? cluster.accountId;
    const token = issuer !== undefined && account.namespace !== undefined && account.name !== undefined
        ? { issuer, subject: serviceAccountSubject(account.namespace, account.name), audience: account.audience }
        : undefined;
    return {
        snapshot,
        trust: snapshot.trustPolicy !== undefined ? readPolicy(snapshot.trustPolicy, "trustPolicy", "trust") : undefined,
        account,
        issuer,
        token,
        role,
        roleAccountId,
        partition,
        knownPartition,
        providerArn: issuer !== undefined && roleAccountId !== undefined ? oidcProviderArn(partition, roleAccountId, issuer) : undefined,
        podIdentity,
        controllerVersion: controllerVersion(snapshot.helmValues),
    };
}
