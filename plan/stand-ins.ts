/**
 * Deterministic cloud stand-ins for Pulumi's mock runtime. No Pulumi CLI, provider plugin, AWS or
 * Kubernetes is reachable here, so the offline `plan` and the component tests need something that
 * answers like the cloud would: ids, ARNs in the region's partition, auto-generated names, and the
 * outputs the program reads from the remote `eks:index:Cluster` component (under mocks none of its
 * children exist). Every value is derived from the stack, the resource and its inputs, so two runs
 * of the same program print the same plan.
 */
import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { dnsSuffixOf } from "../components/dns-suffix";
import { issuerHostPath } from "../components/trust-policy";
import { arnPrefix, partitionOfRegion, type Partition } from "../core/partition";

export interface CloudStandInsOptions {
    /** The region the program deploys to; decides the partition of every ARN. */
    readonly region: string;
    /** Stack name; seeds every generated id. */
    readonly stack: string;
    /**
     * Project name; seeds every generated id.
     * @default "eks-irsa-lbc"
     */
    readonly project?: string;
    /**
     * The account the stand-in resources live in.
     * @default "111122223333"
     */
    readonly accountId?: string;
}

export const DEFAULT_STAND_IN_ACCOUNT_ID = "111122223333";


/** The issuer EKS would give a cluster: 32 upper-case hex characters derived from stack and name. */
export function standInIssuer(region: string, stack: string, clusterName: string): string {
    const partition = requirePartition(region);
    const id = digest(`${stack}/${clusterName}`).slice(0, 32).toUpperCase();
    return `https://oidc.eks.${region}.${dnsSuffixOf(partition)}/id/${id}`;
}

export function cloudStandIns(opts: CloudStandInsOptions): pulumi.runtime.Mocks {
    const partition = requirePartition(opts.region);
    const account = opts.accountId ?? DEFAULT_STAND_IN_ACCOUNT_ID;
    const project = opts.project ?? "eks-irsa-lbc";
    const arn = arnPrefix(partition);
    const seed = (...parts: string[]) => digest([project, opts.stack, ...parts].join("/"));
    /** Pulumi's auto-naming: the logical name plus seven random hex characters. */
    const autoName = (type: string, name: string) => `${name}-${seed("autoname", type, name).slice(0, 7)}`;
    const hexId = (prefix: string, type: string, name: string) => `${prefix}-${seed("id", type, name).slice(0, 17)}`;

    const newResource = (args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult => {
        const inputs: Record<string, any> = args.inputs ?? {};
        switch (args.type) {
            case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
                const providerArn = `${arn}:iam::${account}:oidc-provider/${issuerHostPath(String(inputs.url ?? ""))}`;
                return { id: providerArn, state: { ...inputs, arn: providerArn, tagsAll: inputs.tags ?? {} } };
            }
            case "aws:iam/role:Role": {
                const roleName = inputs.name ?? autoName(args.type, args.name);
                const path = inputs.path ?? "/";
                return {
                    id: roleName,
                    state: {
                        ...inputs,
                        name: roleName,
                        path,
                        arn: `${arn}:iam::${account}:role${path}${roleName}`,
                        uniqueId: `AROA${seed("unique", args.name).slice(0, 17).toUpperCase()}`,
                        tagsAll: inputs.tags ?? {},
                    },
                };
            }
            case "aws:iam/policy:Policy": {
                const policyName = inputs.name ?? autoName(args.type, args.name);
                const path = inputs.path ?? "/";
                const policyArn = `${arn}:iam::${account}:policy${path}${policyName}`;
                return {
                    id: policyArn,
                    state: {
                        ...inputs,
                        name: policyName,
                        path,
                        arn: policyArn,
                        policyId: `ANPA${seed("unique", args.name).slice(0, 17).toUpperCase()}`,
                        tagsAll: inputs.tags ?? {},
                    },
                };
            }
            case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
                return { id: `${inputs.role}-${seed("id", args.type, args.name).slice(0, 20)}`, state: { ...inputs } };
            case "aws:ec2/launchTemplate:LaunchTemplate": {
                const id = hexId("lt", args.type, args.name);
                return {
                    id,
                    state: {
                        ...inputs,
                        name: inputs.name ?? autoName(args.type, args.name),
                        arn: `${arn}:ec2:${opts.region}:${account}:launch-template/${id}`,
                        latestVersion: 1,
                        defaultVersion: 1,
                        tagsAll: inputs.tags ?? {},
                    },
                };
            }
            case "aws:eks/nodeGroup:NodeGroup": {
                const nodeGroupName = inputs.nodeGroupName ?? autoName(args.type, args.name);
                return {
                    id: `${inputs.clusterName}:${nodeGroupName}`,
                    state: {
                        ...inputs,
                        nodeGroupName,
                        arn: `${arn}:eks:${opts.region}:${account}:nodegroup/${inputs.clusterName}/${nodeGroupName}/${seed("uuid", args.name).slice(0, 8)}`,
                        status: "ACTIVE",
                        tagsAll: inputs.tags ?? {},
                    },
                };
            }
            case "eks:index:Cluster":
                return { id: undefined, state: { ...inputs, ...eksClusterOutputs(args.name, inputs) } };
            case "kubernetes:core/v1:ServiceAccount":
            case "kubernetes:helm.sh/v3:Release": {
                const namespace = inputs.metadata?.namespace ?? inputs.namespace ?? "default";
                const objectName = inputs.metadata?.name ?? inputs.name ?? autoName(args.type, args.name);
                const state = args.type === "kubernetes:helm.sh/v3:Release"
                    ? { ...inputs, name: objectName, namespace, status: { status: "deployed", version: 1, namespace, name: objectName, chart: inputs.chart, appVersion: inputs.version ? `v${inputs.version}` : undefined } }
                    : { ...inputs, metadata: { ...inputs.metadata, name: objectName, namespace, uid: seed("uid", args.name).slice(0, 32) } };
                return { id: `${namespace}/${objectName}`, state };
            }
            default:
                // Component resources have no id; anything else gets a stable one and echoes its inputs.
                return { id: args.custom === false ? undefined : `${args.name}-${seed("id", args.type, args.name).slice(0, 8)}`, state: { ...inputs } };
        }
    };

    /** The plain outputs of `eks:index:Cluster` a program may read (its children are invisible under mocks). */
    const eksClusterOutputs = (logicalName: string, inputs: Record<string, any>) => {
        const clusterName: string = inputs.name ?? autoName("eks:index:Cluster", logicalName);
        const issuer = standInIssuer(opts.region, opts.stack, clusterName);
        const vpcId: string = inputs.vpcId ?? hexId("vpc", "vpc", clusterName);
        const subnetIds: string[] = inputs.subnetIds ?? [...(inputs.privateSubnetIds ?? []), ...(inputs.publicSubnetIds ?? [])];
        const subnets = subnetIds.length > 0 ? subnetIds : ["a", "b", "c"].map((az) => hexId("subnet", "subnet", `${clusterName}-${az}`));
        const endpoint = `https://${digest(`endpoint/${opts.stack}/${clusterName}`).slice(0, 32).toUpperCase()}.gr7.${opts.region}.eks.${dnsSuffixOf(partition)}`;
        const certificateAuthority = Buffer.from(`stand-in certificate authority for ${clusterName}`).toString("base64");
        const clusterArn = `${arn}:eks:${opts.region}:${account}:cluster/${clusterName}`;
        const kubeconfig = {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: clusterArn, cluster: { server: endpoint, "certificate-authority-data": certificateAuthority } }],
            contexts: [{ name: clusterArn, context: { cluster: clusterArn, user: clusterArn } }],
            "current-context": clusterArn,
            preferences: {},
            users: [{
                name: clusterArn,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["--region", opts.region, "eks", "get-token", "--cluster-name", clusterName, "--output", "json"],
                    },
                },
            }],
        };
        return {
            eksCluster: {
                name: clusterName,
                arn: clusterArn,
                version: inputs.version ?? "1.33",
                endpoint,
                certificateAuthority: { data: certificateAuthority },
                identities: [{ oidcs: [{ issuer }] }],
                vpcConfig: { vpcId, subnetIds: subnets },
                accessConfig: { authenticationMode: inputs.authenticationMode ?? "API" },
            },
            kubeconfig,
            kubeconfigJson: JSON.stringify(kubeconfig),
            // createOidcProvider: false leaves these empty on a real deployment too.
            oidcProviderArn: inputs.createOidcProvider === false ? "" : `${arn}:iam::${account}:oidc-provider/${issuerHostPath(issuer)}`,
            oidcProviderUrl: issuer,
            oidcIssuer: issuerHostPath(issuer),
            clusterSecurityGroupId: hexId("sg", "cluster-sg", clusterName),
            nodeSecurityGroupId: hexId("sg", "node-sg", clusterName),
        };
    };

    const call = (args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult => {
        switch (args.token) {
            case "aws:index/getPartition:getPartition":
                return { id: partition, partition, dnsSuffix: dnsSuffixOf(partition), reverseDnsPrefix: partition === "aws-cn" ? "cn.com.amazonaws" : "com.amazonaws" };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { id: account, accountId: account, arn: `${arn}:iam::${account}:user/stand-in`, userId: "AIDASTANDIN" };
            case "aws:index/getRegion:getRegion":
                return { id: opts.region, name: opts.region, region: opts.region, description: opts.region, endpoint: `ec2.${opts.region}.${dnsSuffixOf(partition)}` };
            default:
                throw new Error(`cloud stand-ins: no stand-in for the function ${args.token}; the offline plan cannot answer it`);
        }
    };

    return { newResource, call };
}

function requirePartition(region: string): Partition {
    const partition = partitionOfRegion(region);
    if (partition === undefined) {
        throw new Error(`region: ${JSON.stringify(region)} is not a known AWS region, so its partition is unknown`);
    }
    return partition;
}

function digest(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex");
}
