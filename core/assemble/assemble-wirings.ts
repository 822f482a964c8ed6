/**
 * Rebuilds the IRSA wiring(s) of a whole stack from its resources: for every IAM role that a
 * service account or the controller's chart uses, or that trusts an OIDC provider, one wiring
 * snapshot per service account the role serves, with the provider it trusts, the cluster, the
 * chart's values, the permissions attached to it and the nodes' metadata options. The policy pack's
 * stack policy and the offline plan both call this, then hand each snapshot to the analysis core.
 *
 * Resources are linked by what AWS and Kubernetes link them by (ARNs, names, namespaces) and, where
 * those are not known yet (preview), by the stack's dependency edges. Every index is built once, so
 * the work is linear in the number of resources.
 */
import type { WiringSnapshot, ServiceAccountFacts as SnapshotServiceAccount } from "../snapshot";
import { chartServiceAccount } from "../chart-service-account";
import { partitionOfRegion } from "../partition";
import { hostPath, parseArn, providerHostPathOfArn, regionOfIssuer, roleNameOfArn } from "./arn";
import type { WiringPart } from "./fault-owner";
import type { GenericResource, PropertyNote } from "./generic-resource";
import {
    readCluster, readHelmRelease, readInlineRolePolicy, readLaunchTemplate, readNodeGroup, readOidcProvider,
    readPermissionPolicy, readPodIdentityAssociation, readRole, readRolePolicyAttachment, readServiceAccount,
    type AttachmentFacts, type ClusterFacts, type HelmReleaseFacts, type LaunchTemplateFacts, type OidcProviderFacts,
    type PermissionPolicyFacts, type PodIdentityFacts, type RoleFacts, type ServiceAccountFacts,
} from "./read-facts";
import { TYPES } from "./resource-types";
import { readNetwork, type NetworkIndex } from "./read-network";

export interface AssembleOptions {
    /**
     * The stack creates every service account the controller's chart is told to use
     * (`serviceAccount.create=false`): an account it does not create does not exist.
     * @default false (the account may come from another stack or from eksctl)
     */
    serviceAccountsManagedInStack?: boolean;
    /**
     * The stack creates every IAM OIDC provider its roles trust: a provider it does not create
     * does not exist.
     * @default false (the provider may come from the cluster's own stack)
     */
    oidcProvidersManagedInStack?: boolean;
}

export interface AssembledWiring {
    snapshot: WiringSnapshot;
    /** The URN of the resource each part of the snapshot was read from. */
    owners: Partial<Record<WiringPart, string>>;
    /** The role the wiring is about; findings with no other owner are reported on it. */
    roleUrn: string;
    /** Facts left out because they are unknown until update (preview). */
    unknowns: PropertyNote[];
    /** Properties that could not be read (e.g. a trust policy that is not JSON). */
    problems: PropertyNote[];
}

interface StackIndex {
    roles: RoleFacts[];
    roleByUrn: Map<string, RoleFacts>;
    roleByArn: Map<string, RoleFacts>;
    roleByName: Map<string, RoleFacts>;
    /** Roles by each exact `system:serviceaccount:<ns>:<name>` their trust names. */
    rolesBySubject: Map<string, RoleFacts[]>;
    providers: OidcProviderFacts[];
    providerByUrn: Map<string, OidcProviderFacts>;
    providerByArn: Map<string, OidcProviderFacts>;
    providerByHostPath: Map<string, OidcProviderFacts>;
    policyByArn: Map<string, PermissionPolicyFacts>;
    policyByUrn: Map<string, PermissionPolicyFacts>;
    attachments: AttachmentFacts[];
    /** Positions in `attachments` by the role each names (name or ARN, as IAM accepts, or a URN). */
    attachmentsByRole: Map<string, number[]>;
    /** Positions in `attachments` of those naming no role (unknown in preview), by each dependency. */
    unnamedAttachmentsByDependency: Map<string, number[]>;
    serviceAccounts: ServiceAccountFacts[];
    /** Accounts by cluster (Kubernetes provider) and namespace/name; several when the cluster is not known. */
    serviceAccountsByKey: Map<string, ServiceAccountFacts[]>;
    serviceAccountByUrn: Map<string, ServiceAccountFacts>;
    releases: HelmReleaseFacts[];
    launchTemplates: LaunchTemplateFacts[];
    launchTemplateKeys: Map<string, LaunchTemplateFacts>;
    nodeGroupTemplates: Set<LaunchTemplateFacts>;
    hasNodeGroups: boolean;
    clusters: ClusterFacts[];
    podIdentity: PodIdentityFacts[];
    parentOf: Map<string, string | undefined>;
    dependenciesOf: Map<string, readonly string[]>;
}

export function assembleWirings(resources: readonly GenericResource[], options: AssembleOptions = {}): AssembledWiring[] {
    const index = indexStack(resources);
    const network = readNetwork(resources);
    const wirings: AssembledWiring[] = [];

    // Which role each service account and each controller chart points at.
    const accountsOfRole = new Map<RoleFacts, ServiceAccountFacts[]>();
    for (const sa of index.serviceAccounts) {
        const role = resolveAnnotatedRole(index, sa.roleArn, sa.resource);
        if (role) push(accountsOfRole, role, sa);
    }
    const releasesOfRole = new Map<RoleFacts, HelmReleaseFacts[]>();
    for (const release of index.releases) {
        for (const role of rolesOfRelease(index, release)) push(releasesOfRole, role, release);
    }
    const associationsOfRole = new Map<RoleFacts, PodIdentityFacts>();
    for (const association of index.podIdentity) {
        const role = resolveAnnotatedRole(index, association.roleArn, association.resource);
        if (role) associationsOfRole.set(role, association);
    }

    for (const role of index.roles) {
        const accounts = accountsOfRole.get(role) ?? [];
        const releases = releasesOfRole.get(role) ?? [];
        const association = associationsOfRole.get(role);
        if (accounts.length === 0 && releases.length === 0 && association === undefined && !trustsWebIdentity(role)) continue;

        // One wiring per way the role is used: each controller release, each other annotated account.
        const uses: { release?: HelmReleaseFacts; account?: ServiceAccountFacts }[] = [];
        const covered = new Set<ServiceAccountFacts>();
        for (const release of releases) {
            const account = accountOfRelease(index, release) ?? accounts[0];
            if (account) covered.add(account);
            uses.push({ release, account });
        }
        for (const account of accounts) if (!covered.has(account)) uses.push({ account });
        if (uses.length === 0) uses.push({});

        for (const use of uses) {
            const wiring = buildWiring(index, role, use.account, use.release, accounts, association, options);
            wirings.push(...withNetwork(wiring, network, use.release));
        }
    }
    return wirings;
}

function buildWiring(
    index: StackIndex,
    role: RoleFacts,
    account: ServiceAccountFacts | undefined,
    release: HelmReleaseFacts | undefined,
    roleAccounts: ServiceAccountFacts[],
    association: PodIdentityFacts | undefined,
    options: AssembleOptions,
): AssembledWiring {
    const snapshot: WiringSnapshot = {};
    const owners: Partial<Record<WiringPart, string>> = { role: role.resource.urn };
    const involved: { reader: { unknowns: PropertyNote[]; problems: PropertyNote[] } }[] = [role];

    if (role.trustPolicy) snapshot.trustPolicy = role.trustPolicy;

    // The provider the trust names (by ARN, else by issuer), else the one the role was built from.
    const principals = federatedPrincipals(role.trustPolicy);
    let provider: OidcProviderFacts | undefined;
    for (const principal of principals) {
        provider = index.providerByArn.get(principal) ?? index.providerByHostPath.get(providerHostPathOfArn(principal) ?? "");
        if (provider) break;
    }
    provider ??= role.resource.dependencies?.map((urn) => index.providerByUrn.get(urn)).find((p) => p !== undefined);
    if (provider) {
        involved.push(provider);
        owners.oidcProvider = provider.resource.urn;
        snapshot.oidcProvider = compact({
            url: provider.url,
            clientIdList: provider.clientIdList,
            thumbprintList: provider.thumbprintList,
            accountId: parseArn(provider.arn)?.account,
        });
        // IAM checks the Federated principal when the role is created: the provider must come first.
        snapshot.creationOrder = dependsOn(index, role.resource.urn, provider.resource.urn)
            ? ["oidcProvider", "iamRole"]
            : ["iamRole", "oidcProvider"];
    } else if (principals.some((p) => providerHostPathOfArn(p) !== undefined) && options.oidcProvidersManagedInStack) {
        snapshot.oidcProvider = null;
    }

    // The cluster whose tokens the role is meant for.
    const issuerHost = provider?.hostPath ?? principals.map(providerHostPathOfArn).find((h) => h !== undefined);
    const cluster = index.clusters.find((c) => c.issuer !== undefined && hostPath(c.issuer) === issuerHost)
        ?? (index.clusters.length === 1 ? index.clusters[0] : undefined);
    if (cluster) {
        involved.push(cluster);
        owners.cluster = cluster.resource.urn;
    }
    const issuer = cluster?.issuer ?? (issuerHost !== undefined ? `https://${issuerHost}` : undefined);
    const clusterArn = parseArn(cluster?.arn);
    const region = regionOfIssuer(issuer) ?? (clusterArn?.region || undefined);
    const accountId = clusterArn?.account || parseArn(provider?.arn)?.account || parseArn(role.arn)?.account;
    const clusterFacts = compact({
        name: cluster?.clusterName,
        region,
        partition: region !== undefined ? partitionOfRegion(region) : undefined,
        accountId,
        oidcIssuer: issuer,
    });
    if (Object.keys(clusterFacts).length > 0) snapshot.cluster = clusterFacts;

    // The service account the snapshot describes.
    const rendered = release?.values ? chartServiceAccount(release.values, release.releaseName) : undefined;
    if (account) {
        involved.push(account);
        owners.serviceAccount = account.resource.urn;
        snapshot.serviceAccount = describeAccount(account);
    } else if (rendered?.name !== undefined && release) {
        owners.serviceAccount = release.resource.urn;
        snapshot.serviceAccount = rendered.create || !options.serviceAccountsManagedInStack
            ? { namespace: release.namespace, name: rendered.name }
            // An account that does not exist has no annotations: saying `roleArnAnnotation: null` would
            // add "not annotated" to "missing", which `check` on the same facts does not say.
            : { namespace: release.namespace, name: rendered.name, exists: false };
    }
    if (roleAccounts.length > 1) {
        snapshot.intendedSubjects = roleAccounts
            .filter((sa) => sa.name !== undefined)
            .map((sa) => `system:serviceaccount:${sa.namespace}:${sa.name}`);
    }

    if (release) {
        involved.push(release);
        owners.helmRelease = release.resource.urn;
        snapshot.helmRelease = compact({ name: release.releaseName, namespace: release.namespace });
        if (release.values) snapshot.helmValues = release.values;

        const permissions = permissionsOfRole(index, role);
        if (permissions.documents.length > 0) {
            involved.push(...permissions.sources);
            owners.controllerPolicy = permissions.sources.length === 1 ? permissions.sources[0].resource.urn : role.resource.urn;
            snapshot.controllerPolicy = permissions.documents.length === 1
                ? permissions.documents[0]
                : { Version: "2012-10-17", Statement: permissions.documents.flatMap(statementsOf) };
        }

        const template = nodeTemplate(index);
        if (template?.metadataOptions) {
            involved.push(template);
            owners.nodeMetadata = template.resource.urn;
            snapshot.nodeMetadataOptions = template.metadataOptions;
        }
    }

    if (association) {
        involved.push(association);
        owners.podIdentityAssociation = association.resource.urn;
        snapshot.podIdentityAssociation = compact({
            namespace: association.namespace,
            serviceAccount: association.serviceAccount,
            roleArn: association.roleArn,
        });
    }

    return {
        snapshot,
        owners,
        roleUrn: role.resource.urn,
        unknowns: involved.flatMap((f) => f.reader.unknowns),
        problems: involved.flatMap((f) => f.reader.problems),
    };
}

/**
 * The controller's wiring with the stack's subnets and each load balancer users ask for: one wiring
 * per distinct request (kind and scheme), since subnet discovery depends on both.
 */
function withNetwork(wiring: AssembledWiring, network: NetworkIndex, release: HelmReleaseFacts | undefined): AssembledWiring[] {
    if (!release || network.subnets.length === 0) return [wiring];
    const vpcId = typeof wiring.snapshot.helmValues?.vpcId === "string" ? wiring.snapshot.helmValues.vpcId : undefined;
    const subnets = network.subnets.filter((s) => vpcId === undefined || s.vpcId === undefined || s.vpcId === vpcId);
    if (subnets.length === 0) return [wiring];
    const base: AssembledWiring = {
        ...wiring,
        snapshot: { ...wiring.snapshot, subnets: subnets.map((s) => s.facts) },
        owners: { ...wiring.owners, subnets: subnets[0].urn },
        unknowns: [...wiring.unknowns, ...network.readers.flatMap((r) => r.unknowns)],
    };
    if (network.loadBalancers.length === 0) return [base];
    return network.loadBalancers.map((lb) => ({
        ...base,
        snapshot: { ...base.snapshot, loadBalancer: lb.request },
        owners: { ...base.owners, loadBalancer: lb.urn },
    }));
}

function describeAccount(sa: ServiceAccountFacts): SnapshotServiceAccount {
    const facts: SnapshotServiceAccount = { namespace: sa.namespace, exists: true };
    if (sa.name !== undefined) facts.name = sa.name;
    if (sa.roleArn !== undefined) facts.roleArnAnnotation = sa.roleArn;
    if (sa.audience !== undefined && sa.audience !== null) facts.audienceAnnotation = sa.audience;
    return facts;
}

function indexStack(resources: readonly GenericResource[]): StackIndex {
    const index: StackIndex = {
        roles: [], roleByUrn: new Map(), roleByArn: new Map(), roleByName: new Map(), rolesBySubject: new Map(),
        providers: [], providerByUrn: new Map(), providerByArn: new Map(), providerByHostPath: new Map(),
        policyByArn: new Map(), policyByUrn: new Map(), attachments: [], attachmentsByRole: new Map(), unnamedAttachmentsByDependency: new Map(),
        serviceAccounts: [], serviceAccountsByKey: new Map(), serviceAccountByUrn: new Map(), releases: [],
        launchTemplates: [], launchTemplateKeys: new Map(), nodeGroupTemplates: new Set(), hasNodeGroups: false,
        clusters: [], podIdentity: [], parentOf: new Map(), dependenciesOf: new Map(),
    };
    const nodeGroups: ReturnType<typeof readNodeGroup>[] = [];
    for (const resource of resources) {
        index.parentOf.set(resource.urn, resource.parent);
        index.dependenciesOf.set(resource.urn, resource.dependencies ?? []);
        switch (resource.type) {
            case TYPES.role: {
                const role = readRole(resource);
                index.roles.push(role);
                index.roleByUrn.set(resource.urn, role);
                if (role.arn) index.roleByArn.set(role.arn, role);
                if (role.roleName) index.roleByName.set(role.roleName, role);
                for (const subject of trustedSubjects(role.trustPolicy)) push(index.rolesBySubject, subject, role);
                break;
            }
            case TYPES.oidcProvider: {
                const provider = readOidcProvider(resource);
                index.providers.push(provider);
                index.providerByUrn.set(resource.urn, provider);
                if (provider.arn) index.providerByArn.set(provider.arn, provider);
                if (provider.hostPath) index.providerByHostPath.set(provider.hostPath, provider);
                break;
            }
            case TYPES.policy: {
                const policy = readPermissionPolicy(resource);
                index.policyByUrn.set(resource.urn, policy);
                if (policy.arn) index.policyByArn.set(policy.arn, policy);
                break;
            }
            case TYPES.rolePolicyAttachment:
                index.attachments.push(readRolePolicyAttachment(resource));
                break;
            case TYPES.rolePolicy:
                index.attachments.push(readInlineRolePolicy(resource));
                break;
            case TYPES.serviceAccount: {
                const sa = readServiceAccount(resource);
                index.serviceAccounts.push(sa);
                index.serviceAccountByUrn.set(resource.urn, sa);
                if (sa.name !== undefined) push(index.serviceAccountsByKey, accountKey(resource, sa.namespace, sa.name), sa);
                break;
            }
            case TYPES.helmRelease: {
                const release = readHelmRelease(resource);
                if (release.isController) index.releases.push(release);
                break;
            }
            case TYPES.launchTemplate: {
                const template = readLaunchTemplate(resource);
                index.launchTemplates.push(template);
                index.launchTemplateKeys.set(resource.urn, template);
                if (template.id) index.launchTemplateKeys.set(template.id, template);
                if (template.templateName) index.launchTemplateKeys.set(template.templateName, template);
                break;
            }
            case TYPES.nodeGroup:
                nodeGroups.push(readNodeGroup(resource));
                break;
            case TYPES.eksCluster:
                index.clusters.push(readCluster(resource, false));
                break;
            case TYPES.eksComponentCluster:
                index.clusters.push(readCluster(resource, true));
                break;
            case TYPES.podIdentityAssociation:
                index.podIdentity.push(readPodIdentityAssociation(resource));
                break;
        }
    }
    index.attachments.forEach((attachment, position) => {
        if (attachment.role !== undefined) push(index.attachmentsByRole, attachment.role, position);
        else for (const urn of new Set(attachment.resource.dependencies ?? [])) push(index.unnamedAttachmentsByDependency, urn, position);
    });
    index.hasNodeGroups = nodeGroups.length > 0;
    for (const group of nodeGroups) {
        const template = index.launchTemplateKeys.get(group.launchTemplateId ?? "")
            ?? index.launchTemplateKeys.get(group.launchTemplateName ?? "")
            ?? (group.resource.dependencies ?? []).map((urn) => index.launchTemplateKeys.get(urn)).find((t) => t !== undefined);
        if (template) index.nodeGroupTemplates.add(template);
    }
    return index;
}

/**
 * The role an annotation (or association) names: by ARN or name; when the annotation is unknown or
 * not a role ARN, the one role the holder was built from.
 */
function resolveAnnotatedRole(index: StackIndex, roleArn: string | null | undefined, holder: GenericResource): RoleFacts | undefined {
    if (typeof roleArn === "string") {
        const name = roleNameOfArn(roleArn);
        const role = index.roleByArn.get(roleArn) ?? index.roleByName.get(name ?? "");
        if (role) return role;
        // A well-formed ARN of a role this stack does not create: the account uses that role.
        if (name !== undefined) return undefined;
    }
    if (roleArn === null) return undefined;
    const roles = (holder.dependencies ?? []).map((urn) => index.roleByUrn.get(urn)).filter((r): r is RoleFacts => r !== undefined);
    return roles.length === 1 ? roles[0] : undefined;
}

/**
 * The roles a controller release serves: the role its pods' account is annotated with, the role its
 * values annotate, the role (or annotated account) it depends on, or the role built in the same
 * component. A chart that names an account the stack never creates is still tied to its role this way.
 */
function rolesOfRelease(index: StackIndex, release: HelmReleaseFacts): RoleFacts[] {
    const rendered = release.values ? chartServiceAccount(release.values, release.releaseName) : undefined;
    if (rendered?.create) {
        const annotation = rendered.annotations["eks.amazonaws.com/role-arn"];
        const role = typeof annotation === "string" ? resolveAnnotatedRole(index, annotation, release.resource) : undefined;
        if (role) return [role];
    }
    const account = accountOfRelease(index, release);
    if (account) {
        const role = resolveAnnotatedRole(index, account.roleArn, account.resource);
        if (role) return [role];
    }
    // Weaker links (a dependency, a shared component) only count for roles a pod can assume.
    const roles = new Set<RoleFacts>();
    for (const urn of release.resource.dependencies ?? []) {
        const role = index.roleByUrn.get(urn);
        if (role && assumableByPods(role)) roles.add(role);
        const sa = index.serviceAccountByUrn.get(urn);
        const annotated = sa ? resolveAnnotatedRole(index, sa.roleArn, sa.resource) : undefined;
        if (annotated) roles.add(annotated);
    }
    if (roles.size > 0) return [...roles];
    // The role that trusts exactly the account the chart runs as (an account the stack may not create,
    // or one with no role annotation): in a stack of several clusters, the one of this cluster.
    if (rendered?.name !== undefined) {
        const holders = account ? [release.resource, account.resource] : [release.resource];
        const role = roleTrustingSubject(index, `system:serviceaccount:${release.namespace}:${rendered.name}`, holders);
        if (role) return [role];
    }
    const ancestors = componentAncestors(index, release.resource.urn);
    return index.roles.filter((role) => assumableByPods(role) && componentAncestors(index, role.resource.urn).some((a) => ancestors.includes(a)));
}

/**
 * The one role whose trust names exactly `subject`. Several clusters of a stack each have a role
 * trusting the same `system:serviceaccount:<ns>:<name>`: then the one the holders (the release and
 * the account of its cluster) were built from, by dependency, else in the same component; none when
 * that still leaves more than one.
 */
function roleTrustingSubject(index: StackIndex, subject: string, holders: readonly GenericResource[]): RoleFacts | undefined {
    const trusting = index.rolesBySubject.get(subject) ?? [];
    if (trusting.length <= 1) return trusting[0];
    const dependencies = new Set(holders.flatMap((h) => h.dependencies ?? []));
    const byDependency = trusting.filter((role) => dependencies.has(role.resource.urn));
    if (byDependency.length > 0) return byDependency.length === 1 ? byDependency[0] : undefined;
    const ancestors = new Set(holders.flatMap((h) => componentAncestors(index, h.urn)));
    const byComponent = trusting.filter((role) => componentAncestors(index, role.resource.urn).some((a) => ancestors.has(a)));
    return byComponent.length === 1 ? byComponent[0] : undefined;
}

/** The stack's service account that the release's pods run as, when the stack creates it. */
function accountOfRelease(index: StackIndex, release: HelmReleaseFacts): ServiceAccountFacts | undefined {
    const rendered = release.values ? chartServiceAccount(release.values, release.releaseName) : chartServiceAccount({}, release.releaseName);
    if (rendered.name === undefined || rendered.create) return undefined;
    const candidates = index.serviceAccountsByKey.get(accountKey(release.resource, release.namespace, rendered.name)) ?? [];
    if (candidates.length <= 1) return candidates[0];
    // The same name in several clusters of the stack: the one the release waits for, or builds beside.
    const dependencies = new Set(release.resource.dependencies ?? []);
    const ancestors = componentAncestors(index, release.resource.urn);
    return candidates.find((sa) => dependencies.has(sa.resource.urn))
        ?? candidates.find((sa) => componentAncestors(index, sa.resource.urn).some((a) => ancestors.includes(a)));
}

/** An account's identity: its cluster (the Kubernetes provider, when explicit), namespace and name. */
function accountKey(resource: GenericResource, namespace: string, name: string): string {
    // A provider reference is `<provider URN>::<id>`; a URN itself has four `::`-separated parts.
    const provider = resource.provider === undefined ? "" : resource.provider.split("::").slice(0, 4).join("::");
    return `${provider}|${namespace}/${name}`;
}

/** Component ancestors below the stack itself (the stack root would tie everything to everything). */
function componentAncestors(index: StackIndex, urn: string): string[] {
    const out: string[] = [];
    let parent = index.parentOf.get(urn);
    while (parent !== undefined && !parent.includes("::pulumi:pulumi:Stack::") && out.length < 64) {
        out.push(parent);
        parent = index.parentOf.get(parent);
    }
    return out;
}

function permissionsOfRole(index: StackIndex, role: RoleFacts): { documents: Record<string, unknown>[]; sources: { resource: GenericResource; reader: RoleFacts["reader"] }[] } {
    const documents: Record<string, unknown>[] = [];
    const sources: { resource: GenericResource; reader: RoleFacts["reader"] }[] = [];
    const names = new Set([role.roleName, role.arn, role.resource.urn].filter((n): n is string => n !== undefined));
    // The attachments that name the role, or name none and depend on it, in the stack's order (an
    // index, not a scan of every attachment per role: a stack of n chains would cost n²).
    const positions: number[] = [];
    const lists = [...[...names].map((name) => index.attachmentsByRole.get(name)), index.unnamedAttachmentsByDependency.get(role.resource.urn)];
    for (const list of lists) for (const position of list ?? []) positions.push(position);
    if (positions.length > 1) positions.sort((a, b) => a - b);
    for (const position of positions) {
        const attachment = index.attachments[position];
        if (attachment.document) {
            documents.push(attachment.document);
            sources.push(attachment);
            continue;
        }
        const policy = index.policyByArn.get(attachment.policyArn ?? "")
            ?? (attachment.resource.dependencies ?? []).map((urn) => index.policyByUrn.get(urn)).find((p) => p !== undefined);
        if (policy?.document) {
            documents.push(policy.document);
            sources.push(policy);
        }
    }
    for (const arn of role.managedPolicyArns ?? []) {
        const policy = index.policyByArn.get(arn);
        if (policy?.document) {
            documents.push(policy.document);
            sources.push(policy);
        }
    }
    if (role.inlinePolicies.length > 0) {
        documents.push(...role.inlinePolicies);
        sources.push(role);
    }
    return { documents, sources };
}

/** The nodes' launch template with the tightest metadata options: the pods may land on any node. */
function nodeTemplate(index: StackIndex): LaunchTemplateFacts | undefined {
    const candidates = index.hasNodeGroups ? [...index.nodeGroupTemplates] : index.launchTemplates;
    let chosen: LaunchTemplateFacts | undefined;
    for (const template of candidates) {
        if (!template.metadataOptions) continue;
        const hops = template.metadataOptions.httpPutResponseHopLimit ?? Infinity;
        if (!chosen || hops < (chosen.metadataOptions?.httpPutResponseHopLimit ?? Infinity)) chosen = template;
    }
    return chosen;
}

function dependsOn(index: StackIndex, from: string, target: string): boolean {
    const seen = new Set<string>();
    const queue = [from];
    while (queue.length > 0) {
        const urn = queue.pop() as string;
        for (const dep of index.dependenciesOf.get(urn) ?? []) {
            if (dep === target) return true;
            if (!seen.has(dep)) {
                seen.add(dep);
                queue.push(dep);
            }
        }
    }
    return false;
}

function trustsWebIdentity(role: RoleFacts): boolean {
    return federatedPrincipals(role.trustPolicy).length > 0;
}

/** Web identity, EKS Pod Identity, or a trust not known yet (preview): never an EC2 or Lambda role. */
function assumableByPods(role: RoleFacts): boolean {
    if (role.trustPolicy === undefined) return true;
    return trustsWebIdentity(role) || JSON.stringify(role.trustPolicy).includes("pods.eks.amazonaws.com");
}

/** Every Federated principal named in the trust's statements. */
export function federatedPrincipals(trust: Record<string, unknown> | undefined): string[] {
    const out: string[] = [];
    for (const statement of statementsOf(trust)) {
        const principal = (statement as Record<string, unknown>).Principal;
        if (principal === null || typeof principal !== "object") continue;
        const federated = (principal as Record<string, unknown>).Federated;
        for (const value of Array.isArray(federated) ? federated : [federated]) {
            if (typeof value === "string") out.push(value);
        }
    }
    return out;
}

/** Exact service-account subjects in the trust's conditions (no wildcards: those name no one account). */
function trustedSubjects(trust: Record<string, unknown> | undefined): Set<string> {
    const subjects = new Set<string>();
    for (const statement of statementsOf(trust)) {
        const condition = (statement as Record<string, unknown>)?.Condition;
        if (condition === null || typeof condition !== "object") continue;
        for (const block of Object.values(condition as Record<string, unknown>)) {
            if (block === null || typeof block !== "object") continue;
            for (const value of Object.values(block as Record<string, unknown>)) {
                for (const v of Array.isArray(value) ? value : [value]) {
                    if (typeof v === "string" && /^system:serviceaccount:[^:*?]+:[^:*?]+$/.test(v)) subjects.add(v);
                }
            }
        }
    }
    return subjects;
}

function statementsOf(document: Record<string, unknown> | undefined): unknown[] {
    const statement = document?.Statement;
    if (Array.isArray(statement)) return statement;
    return statement !== undefined && statement !== null ? [statement] : [];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
}

/** Drops `undefined` fields so that an absent fact stays absent (a rule whose facts are absent does not fire). */
function compact<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
