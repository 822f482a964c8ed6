/**
 * The AWS Load Balancer Controller with its own IRSA identity: the controller's IAM policy for the
 * pinned release and the region's partition, the role and ServiceAccount that carry it, and the Helm
 * release configured so that the pods run as that account and never need instance metadata.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { partitionOfRegion } from "../core/partition";
import { chartVersionFor, controllerPolicyDocument } from "../core/controller-policy";
import { controllerChartValues, controllerValueConflicts, mergeChartValues, type ChainValues } from "./controller-values";
import { IrsaServiceAccount, irsaRoleProblems } from "./irsa-service-account";
import {
    clusterNameRule,
    controllerVersionRule,
    controllerVersionTag,
    isPlainString,
    namespaceRule,
    Problems,
    regionRule,
    serviceAccountNameRule,
    vpcIdRule,
} from "./validation";

export const LOAD_BALANCER_CONTROLLER_TYPE = "eks-irsa-lbc:index:LoadBalancerController";
export const CHART_NAME = "aws-load-balancer-controller";
export const CHART_REPOSITORY = "https://aws.github.io/eks-charts";

export interface LoadBalancerControllerArgs {
    // Only types Pulumi's schema inference accepts (for use from other languages): no readonly arrays,
    // no `unknown`, no unions. test/reuse/schema.spec.ts fails otherwise.
    /** Name of the EKS cluster (the chart's `clusterName`). */
    readonly clusterName: pulumi.Input<string>;
    /** The cluster's region: the chart's `region`, and the partition of every ARN in the policy. */
    readonly region: string;
    /** The cluster's VPC (the chart's `vpcId`). */
    readonly vpcId: pulumi.Input<string>;
    /** ARN of the cluster's IAM OIDC provider. */
    readonly oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer, with or without `https://`. */
    readonly oidcIssuer: pulumi.Input<string>;
    /**
     * Controller release: the image tag, the chart version and the IAM permission set.
     * @default "v3.5.0"
     */
    readonly controllerVersion?: string;
    /**
     * Namespace of the release and the ServiceAccount (it must exist).
     * @default "kube-system"
     */
    readonly namespace?: string;
    /**
     * Name of the ServiceAccount the controller runs as.
     * @default "aws-load-balancer-controller"
     */
    readonly serviceAccountName?: string;
    /**
     * Further chart values, merged under the component's. Values that would break the chain
     * (`clusterName`, `region`, `vpcId`, `serviceAccount.*`, `image.tag`) are rejected unless equal
     * to the component's.
     * @default {}
     */
    readonly values?: Record<string, any>;
    /**
     * Name of the controller's IAM role.
     * @default an auto-generated name
     */
    readonly roleName?: string;
    /**
     * IAM path of the controller's role and policy.
     * @default "/"
     */
    readonly rolePath?: string;
    /**
     * ARN of a managed policy to use as the role's permissions boundary.
     * @default no permissions boundary
     */
    readonly permissionsBoundary?: pulumi.Input<string>;
    /**
     * Tags for the IAM role and policy.
     * @default {}
     */
    readonly tags?: Readonly<Record<string, string>>;
}

/** Defaults applied; what the component builds from. */
export interface ResolvedControllerArgs {
    readonly controllerVersion: string;
    readonly namespace: string;
    readonly serviceAccountName: string;
}

export function resolveControllerDefaults(args: LoadBalancerControllerArgs): ResolvedControllerArgs {
    return {
        controllerVersion: controllerVersionTag(args.controllerVersion),
        namespace: args.namespace ?? "kube-system",
        serviceAccountName: args.serviceAccountName ?? "aws-load-balancer-controller",
    };
}

/** The problems with LoadBalancerController arguments known now (plain values only). */
export function loadBalancerControllerProblems(args: LoadBalancerControllerArgs, problems: Problems): void {
    const resolved = resolveControllerDefaults(args);
    if (isPlainString(args.clusterName)) {
        problems.check("clusterName", args.clusterName, clusterNameRule);
    }
    problems.check("region", args.region, regionRule);
    if (isPlainString(args.vpcId)) {
        problems.check("vpcId", args.vpcId, vpcIdRule);
    }
    problems.check("controllerVersion", args.controllerVersion ?? resolved.controllerVersion, controllerVersionRule);
    problems.check("namespace", resolved.namespace, namespaceRule);
    problems.check("serviceAccountName", resolved.serviceAccountName, serviceAccountNameRule);
    irsaRoleProblems(args, problems);
    for (const problem of controllerValueConflicts(args.values, knownChainValues(args, resolved), "values")) {
        problems.addLine(problem);
    }
}

/** The chain values known at construction; outputs stay `undefined` until they resolve. */
function knownChainValues(args: LoadBalancerControllerArgs, resolved: ResolvedControllerArgs): ChainValues {
    return {
        clusterName: isPlainString(args.clusterName) ? args.clusterName : undefined,
        region: args.region,
        vpcId: isPlainString(args.vpcId) ? args.vpcId : undefined,
        serviceAccountName: resolved.serviceAccountName,
        controllerVersion: resolved.controllerVersion,
    };
}

/** The controller, its IAM policy and IRSA identity, and its Helm release. */
export class LoadBalancerController extends pulumi.ComponentResource {
    /** ARN of the controller's IAM role. */
    public readonly roleArn: pulumi.Output<string>;
    /** ARN of the controller's IAM policy. */
    public readonly policyArn: pulumi.Output<string>;
    /** `<namespace>/<name>` of the ServiceAccount the controller runs as. */
    public readonly serviceAccount: pulumi.Output<string>;
    /** The chart version deployed. */
    public readonly chartVersion: pulumi.Output<string>;
    /** The controller release deployed. */
    public readonly controllerVersion: pulumi.Output<string>;
    /** The values Helm receives. */
    public readonly chartValues: pulumi.Output<Record<string, any>>;

    constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = new Problems();
        loadBalancerControllerProblems(args, problems);
        problems.throwIfAny(LOAD_BALANCER_CONTROLLER_TYPE, name);
        super(LOAD_BALANCER_CONTROLLER_TYPE, name, {}, opts);

        const resolved = resolveControllerDefaults(args);
        const partition = partitionOfRegion(args.region)!;
        const chartVersion = chartVersionFor(resolved.controllerVersion);

        const policy = new aws.iam.Policy(
            `${name}-policy`,
            {
                path: args.rolePath ?? "/",
                description: `AWS Load Balancer Controller ${resolved.controllerVersion} permissions (${partition} partition)`,
                policy: JSON.stringify(controllerPolicyDocument(resolved.controllerVersion, partition)),
                tags: args.tags ? { ...args.tags } : undefined,
            },
            { parent: this },
        );

        const identity = new IrsaServiceAccount(
            `${name}-identity`,
            {
                oidcProviderArn: args.oidcProviderArn,
                oidcIssuer: args.oidcIssuer,
                serviceAccounts: [{ namespace: resolved.namespace, name: resolved.serviceAccountName }],
                policyArns: [policy.arn],
                roleName: args.roleName,
                rolePath: args.rolePath,
                permissionsBoundary: args.permissionsBoundary,
                tags: args.tags,
            },
            { parent: this },
        );

        const chainValues = pulumi.all([args.clusterName, args.vpcId, identity.roleArn]).apply(([clusterName, vpcId, roleArn]) => {
            const chain = { ...knownChainValues(args, resolved), clusterName, vpcId, roleArn };
            // Values that came from other resources are only known now; check them the same way.
            const late = new Problems();
            if (!isPlainString(args.vpcId)) {
                late.check("vpcId", vpcId, vpcIdRule);
            }
            controllerValueConflicts(args.values, chain, "values").forEach((problem) => late.addLine(problem));
            late.throwIfAny(LOAD_BALANCER_CONTROLLER_TYPE, name);
            return mergeChartValues(args.values as Record<string, unknown> | undefined, controllerChartValues(chain));
        });

        // create=false: the identity's ServiceAccount carries the role annotation; the chart must
        // not make its own. The release waits for that account and for the attached policy, so the
        // first pods already get working credentials.
        // A Release, unlike a client-side `helm.v3.Chart`, is diffed on its inputs (chart, version,
        // values) and not re-rendered, so the chart's generated webhook certificate cannot make an
        // unchanged `pulumi up` show a change; `keepTLSSecret` keeps that certificate across the
        // upgrades that do happen.
        new k8s.helm.v3.Release(
            `${name}-chart`,
            {
                name: CHART_NAME,
                namespace: resolved.namespace,
                chart: CHART_NAME,
                version: chartVersion,
                repositoryOpts: { repo: CHART_REPOSITORY },
                values: chainValues,
            },
            { parent: this, dependsOn: [...identity.serviceAccounts, ...identity.policyAttachments] },
        );

        this.roleArn = identity.roleArn;
        this.policyArn = policy.arn;
        this.serviceAccount = pulumi.output(`${resolved.namespace}/${resolved.serviceAccountName}`);
        this.chartVersion = pulumi.output(chartVersion);
        this.controllerVersion = pulumi.output(resolved.controllerVersion);
        this.chartValues = chainValues;
        this.registerOutputs({
            roleArn: this.roleArn,
            policyArn: this.policyArn,
            serviceAccount: this.serviceAccount,
            chartVersion: this.chartVersion,
            controllerVersion: this.controllerVersion,
        });
    }
}
