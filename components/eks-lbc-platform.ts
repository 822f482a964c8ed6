/**
 * The whole chain in one component: an EKS cluster (new, or an existing one adopted by name,
 * issuer, VPC and kubeconfig), the IAM OIDC provider for its issuer, and the AWS Load Balancer
 * Controller with its IRSA identity. Everything the chain needs is checked before anything is
 * registered, so a bad argument never leaves half a platform behind.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import { arnPrefix, partitionOfRegion } from "../core/partition";
import { DEFAULT_CONTROLLER_VERSION } from "../core/controller-policy";
import { controllerValueConflicts } from "./controller-values";
import { dnsSuffixOf } from "./dns-suffix";
import { LoadBalancerController } from "./load-balancer-controller";
import { STS_AUDIENCE } from "./trust-policy";
import {
    clusterNameRule,
    controllerVersionRule,
    controllerVersionTag,
    instanceTypeRule,
    issuerUrlRule,
    kubernetesVersionRule,
    nodeCountLimitRule,
    nonNegativeIntegerRule,
    policyArnRule,
    positiveIntegerRule,
    Problems,
    regionRule,
    roleNameRule,
    rolePathRule,
    vpcIdRule,
} from "./validation";

export const EKS_LBC_PLATFORM_TYPE = "eks-irsa-lbc:index:EksLbcPlatform";

export const DEFAULT_KUBERNETES_VERSION = "1.35";
export const DEFAULT_NODE_INSTANCE_TYPES: readonly string[] = Object.freeze(["t3.medium"]);
export const DEFAULT_NODE_DESIRED_SIZE = 2;
export const DEFAULT_NODE_MIN_SIZE = 2;
export const DEFAULT_NODE_MAX_SIZE = 3;

const CONTROLLER_NAMESPACE = "kube-system";
const CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";

/** An existing EKS cluster to install the controller into instead of creating one. */
export interface ExistingClusterArgs {
    /** The cluster's OIDC issuer URL, with `https://` (`aws eks describe-cluster --query cluster.identity.oidc.issuer`). */
    readonly oidcIssuerUrl: string;
    /**
     * Kubeconfig for the cluster.
     * @default none: then a Kubernetes provider is required in the resource options (`providers: { kubernetes: ... }`)
     */
    readonly kubeconfig?: pulumi.Input<string>;
}

export interface EksLbcPlatformArgs {
    // Only types Pulumi's schema inference accepts (for use from other languages): no readonly arrays,
    // no `unknown`, no unions. test/reuse/schema.spec.ts fails otherwise.
    /** Name of the EKS cluster to create, or of the existing cluster. */
    readonly clusterName: string;
    /**
     * Region of the cluster. It decides the partition of every ARN; the AWS provider the component
     * runs with must be configured for the same region.
     */
    readonly region: string;
    /**
     * Adopt this existing cluster instead of creating one.
     * @default undefined: a new cluster is created
     */
    readonly existingCluster?: ExistingClusterArgs;
    /**
     * The cluster's VPC. Required for an existing cluster; for a new cluster, the VPC to create it in
     * (together with `subnetIds`).
     * @default for a new cluster, the region's default VPC
     */
    readonly vpcId?: string;
    /**
     * Subnets of a new cluster and its nodes, in at least two availability zones; only with `vpcId`.
     * @default the default VPC's subnets
     */
    readonly subnetIds?: string[];
    /**
     * Accept any https issuer for an existing cluster, not only the EKS issuer shape of `region`.
     * @default false
     */
    readonly allowNonEksIssuer?: boolean;
    /**
     * Kubernetes version of a new cluster.
     * @default "1.35"
     */
    readonly kubernetesVersion?: string;
    /**
     * Instance types of a new cluster's managed node group.
     * @default ["t3.medium"]
     */
    readonly nodeInstanceTypes?: string[];
    /**
     * Desired node count of a new cluster: 0 to 450 (the EKS default quota of nodes per managed node group).
     * @default 2
     */
    readonly nodeDesiredSize?: number;
    /**
     * Minimum node count of a new cluster: 0 to 450.
     * @default 2
     */
    readonly nodeMinSize?: number;
    /**
     * Maximum node count of a new cluster: 1 to 450 (the EKS default quota of nodes per managed node group).
     * @default 3
     */
    readonly nodeMaxSize?: number;
    /**
     * AWS Load Balancer Controller release.
     * @default "v3.5.0"
     */
    readonly controllerVersion?: string;
    /**
     * Further chart values for the controller (see LoadBalancerController `values`).
     * @default {}
     */
    readonly controllerValues?: Record<string, any>;
    /**
     * Name of the controller's IAM role.
     * @default an auto-generated name
     */
    readonly controllerRoleName?: string;
    /**
     * IAM path of the controller's role and policy.
     * @default "/"
     */
    readonly controllerRolePath?: string;
    /**
     * Permissions boundary of the controller's role.
     * @default no permissions boundary
     */
    readonly controllerPermissionsBoundary?: string;
    /**
     * Tags for every AWS resource the component creates.
     * @default {}
     */
    readonly tags?: Readonly<Record<string, string>>;
}

const NEW_CLUSTER_ONLY = ["subnetIds", "kubernetesVersion", "nodeInstanceTypes", "nodeDesiredSize", "nodeMinSize", "nodeMaxSize"] as const;

/** Graviton families carry a `g` after the generation digit: t4g, m7g, c6gn, r8gd. */
function isArmInstanceType(instanceType: string): boolean {
    return /^[a-z]+\d+g[a-z-]*\./.test(instanceType);
}

/** The managed node group's AMI type for its instance types (all of one architecture). */
export function nodeAmiType(instanceTypes: readonly string[]): string {
    return instanceTypes.every(isArmInstanceType) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/**
 * The Kubernetes provider given in the component's own resource options (`providers: { kubernetes }`,
 * `providers: [p]` or `provider: p`), the standard way to hand a component a provider in every
 * language: a provider-typed argument has no form in the plugin schema (README, "Other languages").
 * Read from the options, not with `getProvider` after `super`, because it is checked before anything
 * is registered; a provider inherited from a parent is not the caller choosing this cluster.
 */
export function kubernetesProviderOf(opts: pulumi.ComponentResourceOptions | undefined): pulumi.ProviderResource | undefined {
    // `getPackage()` is how the SDK itself keys providers (also those a Construct call rebuilds from
    // references); it is not in the SDK's typings.
    const packageOf = (provider: pulumi.ProviderResource) => (provider as unknown as { getPackage(): string }).getPackage();
    const providers = opts?.providers;
    const listed = Array.isArray(providers) ? providers.find((p) => packageOf(p) === "kubernetes") : providers?.kubernetes;
    return listed ?? (opts?.provider !== undefined && packageOf(opts.provider) === "kubernetes" ? opts.provider : undefined);
}

/** `providers.kubernetes` in problem lines: it is a resource option, not an argument. */
const KUBERNETES_PROVIDER_OPTION = "providers.kubernetes (resource option)";

/**
 * Every problem with the platform's arguments, including those its controller would find later.
 * `kubernetesProvider` is the provider of the resource options (`kubernetesProviderOf`), if any.
 */
export function eksLbcPlatformProblems(args: EksLbcPlatformArgs, kubernetesProvider?: pulumi.ProviderResource): Problems {
    const problems = new Problems();
    problems.check("clusterName", args.clusterName, clusterNameRule);
    const regionOk = problems.check("region", args.region, regionRule);
    if (args.vpcId !== undefined) {
        problems.check("vpcId", args.vpcId, vpcIdRule);
    }
    const existing = args.existingCluster;
    if (existing !== undefined) {
        if (args.vpcId === undefined) {
            problems.add("vpcId", undefined, `required with existingCluster: the existing cluster's VPC id, ${vpcIdRule.allowed}`);
        }
        problems.check("existingCluster.oidcIssuerUrl", existing.oidcIssuerUrl, issuerUrlRule(regionOk ? args.region : undefined, args.allowNonEksIssuer === true));
        if (existing.kubeconfig === undefined && kubernetesProvider === undefined) {
            problems.add("existingCluster.kubeconfig", undefined, "a kubeconfig for the existing cluster, or a Kubernetes provider in the resource options (providers: { kubernetes: ... })");
        } else if (existing.kubeconfig !== undefined && kubernetesProvider !== undefined) {
            problems.add(KUBERNETES_PROVIDER_OPTION, "<provider>", "either a Kubernetes provider or existingCluster.kubeconfig, not both: they could name different clusters");
        }
        for (const key of NEW_CLUSTER_ONLY) {
            if (args[key] !== undefined) {
                problems.add(key, args[key], "only for a new cluster; leave it out with existingCluster");
            }
        }
    } else {
        newClusterProblems(args, kubernetesProvider, problems);
    }
    problems.check("controllerVersion", args.controllerVersion ?? DEFAULT_CONTROLLER_VERSION, controllerVersionRule);
    if (args.controllerRoleName !== undefined) {
        problems.check("controllerRoleName", args.controllerRoleName, roleNameRule);
    }
    if (args.controllerRolePath !== undefined) {
        problems.check("controllerRolePath", args.controllerRolePath, rolePathRule);
    }
    if (args.controllerPermissionsBoundary !== undefined) {
        problems.check("controllerPermissionsBoundary", args.controllerPermissionsBoundary, policyArnRule);
    }
    const conflicts = controllerValueConflicts(
        args.controllerValues,
        {
            clusterName: args.clusterName,
            region: args.region,
            // A new cluster's VPC is only known once created, unless the caller chose it.
            vpcId: args.vpcId,
            serviceAccountName: CONTROLLER_SERVICE_ACCOUNT,
            controllerVersion: controllerVersionTag(args.controllerVersion),
        },
        "controllerValues",
    );
    conflicts.forEach((problem) => problems.addLine(problem));
    return problems;
}

function newClusterProblems(args: EksLbcPlatformArgs, kubernetesProvider: pulumi.ProviderResource | undefined, problems: Problems): void {
    if (kubernetesProvider !== undefined) {
        problems.add(KUBERNETES_PROVIDER_OPTION, "<provider>", "only for an existing cluster; a new cluster gets a provider from its own kubeconfig");
    }
    if (args.allowNonEksIssuer !== undefined) {
        problems.add("allowNonEksIssuer", args.allowNonEksIssuer, "only for an existing cluster; a new cluster's issuer comes from EKS");
    }
    if ((args.vpcId === undefined) !== (args.subnetIds === undefined)) {
        problems.add(
            args.vpcId === undefined ? "subnetIds" : "vpcId",
            args.vpcId === undefined ? args.subnetIds : args.vpcId,
            "vpcId and subnetIds go together: give both to use your own VPC, or neither for the default VPC",
        );
    }
    if (args.subnetIds !== undefined) {
        if (!Array.isArray(args.subnetIds) || args.subnetIds.length < 2) {
            problems.add("subnetIds", args.subnetIds, "at least two subnet ids, in different availability zones");
        } else {
            args.subnetIds.forEach((id, index) => {
                if (typeof id !== "string" || !/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) {
                    problems.add(`subnetIds[${index}]`, id, "\"subnet-\" followed by 8 or 17 lower-case hex digits");
                }
            });
        }
    }
    if (args.kubernetesVersion !== undefined) {
        problems.check("kubernetesVersion", args.kubernetesVersion, kubernetesVersionRule);
    }
    if (args.nodeInstanceTypes !== undefined) {
        if (!Array.isArray(args.nodeInstanceTypes) || args.nodeInstanceTypes.length === 0) {
            problems.add("nodeInstanceTypes", args.nodeInstanceTypes, "a list of at least one EC2 instance type");
        } else {
            const typesOk = args.nodeInstanceTypes.map((type, index) => problems.check(`nodeInstanceTypes[${index}]`, type, instanceTypeRule));
            const arm = args.nodeInstanceTypes.filter((type) => typeof type === "string" && isArmInstanceType(type));
            if (typesOk.every(Boolean) && arm.length > 0 && arm.length < args.nodeInstanceTypes.length) {
                problems.add("nodeInstanceTypes", args.nodeInstanceTypes, "instance types of one architecture: a node group has one AMI type, either all Graviton (arm64) or all x86_64");
            }
        }
    }
    const desired = args.nodeDesiredSize ?? DEFAULT_NODE_DESIRED_SIZE;
    const min = args.nodeMinSize ?? DEFAULT_NODE_MIN_SIZE;
    const max = args.nodeMaxSize ?? DEFAULT_NODE_MAX_SIZE;
    const sizesOk = [
        problems.check("nodeDesiredSize", desired, nonNegativeIntegerRule) && problems.check("nodeDesiredSize", desired, nodeCountLimitRule),
        problems.check("nodeMinSize", min, nonNegativeIntegerRule) && problems.check("nodeMinSize", min, nodeCountLimitRule),
        problems.check("nodeMaxSize", max, positiveIntegerRule) && problems.check("nodeMaxSize", max, nodeCountLimitRule),
    ].every(Boolean);
    if (sizesOk && !(min <= desired && desired <= max)) {
        problems.add("nodeDesiredSize", desired, `between nodeMinSize (${min}) and nodeMaxSize (${max})`);
    }
}

/** A cluster (new or adopted), its IAM OIDC provider, and the AWS Load Balancer Controller wired through IRSA. */
export class EksLbcPlatform extends pulumi.ComponentResource {
    /** Name of the EKS cluster. */
    public readonly clusterName: pulumi.Output<string>;
    /** Kubeconfig of the cluster (secret); undefined for an existing cluster given only a provider. */
    public readonly kubeconfig: pulumi.Output<string | undefined>;
    /** The cluster's VPC, as the controller was given it. */
    public readonly vpcId: pulumi.Output<string>;
    /** The issuer URL, with `https://`. */
    public readonly oidcIssuer: pulumi.Output<string>;
    /** ARN of the IAM OIDC provider the component created for the issuer. */
    public readonly oidcProviderArn: pulumi.Output<string>;
    /** ARN of the controller's IAM role. */
    public readonly controllerRoleArn: pulumi.Output<string>;
    /** `kube-system/aws-load-balancer-controller`. */
    public readonly serviceAccount: pulumi.Output<string>;
    /** Version of the `aws-load-balancer-controller` chart installed. */
    public readonly chartVersion: pulumi.Output<string>;

    constructor(name: string, args: EksLbcPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        const givenKubernetesProvider = kubernetesProviderOf(opts);
        eksLbcPlatformProblems(args, givenKubernetesProvider).throwIfAny(EKS_LBC_PLATFORM_TYPE, name);
        super(EKS_LBC_PLATFORM_TYPE, name, {}, opts);

        const tags = args.tags ? { ...args.tags } : undefined;
        const cluster = args.existingCluster === undefined ? this.createCluster(name, args, tags) : adoptCluster(args);

        // No thumbprint: IAM verifies EKS issuers against its trusted CAs, and fetching one over TLS
        // here would make every run depend on the network.
        const provider = new aws.iam.OpenIdConnectProvider(
            `${name}-oidc-provider`,
            { url: cluster.issuer, clientIdLists: [STS_AUDIENCE], tags },
            { parent: this },
        );

        const kubernetesProvider =
            givenKubernetesProvider ??
            new k8s.Provider(`${name}-k8s`, { kubeconfig: pulumi.secret(cluster.kubeconfig as pulumi.Input<string>) }, { parent: this });

        const controller = new LoadBalancerController(
            `${name}-lbc`,
            {
                clusterName: cluster.clusterNameForChart,
                region: args.region,
                vpcId: cluster.vpcId,
                oidcProviderArn: provider.arn,
                oidcIssuer: cluster.issuer,
                controllerVersion: args.controllerVersion,
                namespace: CONTROLLER_NAMESPACE,
                serviceAccountName: CONTROLLER_SERVICE_ACCOUNT,
                values: args.controllerValues,
                roleName: args.controllerRoleName,
                rolePath: args.controllerRolePath,
                permissionsBoundary: args.controllerPermissionsBoundary,
                tags,
            },
            { parent: this, providers: { kubernetes: kubernetesProvider } },
        );

        this.clusterName = cluster.clusterName;
        this.kubeconfig = cluster.kubeconfig === undefined ? pulumi.output(undefined) : pulumi.secret(cluster.kubeconfig);
        this.vpcId = cluster.vpcId;
        this.oidcIssuer = pulumi.output(cluster.issuer);
        this.oidcProviderArn = provider.arn;
        this.controllerRoleArn = controller.roleArn;
        this.serviceAccount = controller.serviceAccount;
        this.chartVersion = controller.chartVersion;
        this.registerOutputs({
            clusterName: this.clusterName,
            kubeconfig: this.kubeconfig,
            vpcId: this.vpcId,
            oidcIssuer: this.oidcIssuer,
            oidcProviderArn: this.oidcProviderArn,
            controllerRoleArn: this.controllerRoleArn,
            serviceAccount: this.serviceAccount,
            chartVersion: this.chartVersion,
        });
    }

    /**
     * A new cluster with one managed node group. The node group and its launch template are plain
     * AWS resources rather than `eks.ManagedNodeGroup` (a remote component): the policy pack and the
     * offline plan then see the instance-metadata settings they check.
     */
    private createCluster(name: string, args: EksLbcPlatformArgs, tags: Record<string, string> | undefined): ClusterFacts {
        const partition = partitionOfRegion(args.region)!;
        const arn = arnPrefix(partition);
        const nodeRole = new aws.iam.Role(
            `${name}-node-role`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    // EC2's service principal carries the partition's DNS suffix (China: amazonaws.com.cn).
                    Statement: [{ Effect: "Allow", Principal: { Service: `ec2.${dnsSuffixOf(partition)}` }, Action: "sts:AssumeRole" }],
                }),
                description: `Nodes of EKS cluster ${args.clusterName}`,
                tags,
            },
            { parent: this },
        );
        const nodePolicies = { worker: "AmazonEKSWorkerNodePolicy", cni: "AmazonEKS_CNI_Policy", ecr: "AmazonEC2ContainerRegistryReadOnly" };
        const nodeAttachments = Object.entries(nodePolicies).map(
            ([role, policy]) =>
                new aws.iam.RolePolicyAttachment(`${name}-node-${role}`, { role: nodeRole.name, policyArn: `${arn}:iam::aws:policy/${policy}` }, { parent: this }),
        );

        // createOidcProvider: false because this component creates the provider itself (without a
        // thumbprint lookup). API authentication mode: EKS then grants managed nodes access through
        // access entries, and @pulumi/eks does not rewrite aws-auth behind the node group's back.
        const cluster = new eks.Cluster(
            `${name}-cluster`,
            {
                name: args.clusterName,
                version: args.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
                createOidcProvider: false,
                skipDefaultNodeGroup: true,
                skipDefaultSecurityGroups: true,
                authenticationMode: "API",
                vpcId: args.vpcId,
                subnetIds: args.subnetIds ? [...args.subnetIds] : undefined,
                tags,
            },
            { parent: this },
        );
        const eksCluster = cluster.eksCluster;
        const vpcConfig = eksCluster.apply((c) => c.vpcConfig);

        // IMDSv2 only, hop limit 1: pods cannot reach instance metadata (nor the node role's
        // credentials); the controller gets region and VPC from its chart values instead.
        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-node-template`,
            {
                description: `Nodes of EKS cluster ${args.clusterName}: IMDSv2 only, hop limit 1`,
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                updateDefaultVersion: true,
                tags,
            },
            { parent: this },
        );
        const nodeGroup = new aws.eks.NodeGroup(
            `${name}-nodes`,
            {
                clusterName: eksCluster.apply((c) => c.name),
                nodeRoleArn: nodeRole.arn,
                subnetIds: vpcConfig.apply((v) => v.subnetIds),
                amiType: nodeAmiType(args.nodeInstanceTypes ?? DEFAULT_NODE_INSTANCE_TYPES),
                instanceTypes: [...(args.nodeInstanceTypes ?? DEFAULT_NODE_INSTANCE_TYPES)],
                scalingConfig: {
                    desiredSize: args.nodeDesiredSize ?? DEFAULT_NODE_DESIRED_SIZE,
                    minSize: args.nodeMinSize ?? DEFAULT_NODE_MIN_SIZE,
                    maxSize: args.nodeMaxSize ?? DEFAULT_NODE_MAX_SIZE,
                },
                launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
                tags,
            },
            { parent: this, dependsOn: nodeAttachments },
        );

        return {
            clusterName: eksCluster.apply((c) => c.name),
            // Read from the node group, so the chart (which waits for its pods) waits for nodes too.
            clusterNameForChart: nodeGroup.clusterName,
            vpcId: vpcConfig.apply((v) => v.vpcId!),
            issuer: eksCluster.apply((c) => c.identities).apply((identities) => identities[0].oidcs![0].issuer!),
            kubeconfig: cluster.kubeconfigJson,
        };
    }

}

/** An existing cluster: every fact was given (and validated) up front. */
function adoptCluster(args: EksLbcPlatformArgs): ClusterFacts {
    const existing = args.existingCluster!;
    return {
        clusterName: pulumi.output(args.clusterName),
        clusterNameForChart: args.clusterName,
        vpcId: pulumi.output(args.vpcId!),
        issuer: existing.oidcIssuerUrl,
        kubeconfig: existing.kubeconfig === undefined ? undefined : pulumi.output(existing.kubeconfig),
    };
}

/** What the rest of the platform needs from the cluster, whichever way it came. */
interface ClusterFacts {
    clusterName: pulumi.Output<string>;
    clusterNameForChart: pulumi.Input<string>;
    vpcId: pulumi.Output<string>;
    issuer: pulumi.Input<string>;
    kubeconfig: pulumi.Output<string> | undefined;
}
