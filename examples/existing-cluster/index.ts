/**
 * The AWS Load Balancer Controller, with its own IRSA identity, added to an EKS cluster that was
 * created elsewhere (another Pulumi stack, eksctl, Terraform, the console). The cluster's facts come
 * either from that stack through a StackReference or, for clusters Pulumi does not manage, from
 * this stack's config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { LoadBalancerController } from "eks-irsa-lbc";

const config = new pulumi.Config();
const region = new pulumi.Config("aws").require("region");

/** What the controller needs to know about the cluster. */
interface ClusterFacts {
    clusterName: pulumi.Input<string>;
    oidcIssuer: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    kubeconfig: pulumi.Input<string>;
    /** Absent when the cluster has no IAM OIDC provider yet: this stack then creates one. */
    oidcProviderArn?: pulumi.Input<string>;
}

/** An empty string counts as unset: Pulumi.yaml gives the optional keys "" as their default. */
function optional(key: string): string | undefined {
    const value = config.get(key);
    return value === undefined || value === "" ? undefined : value;
}

function fromStackReference(stackName: string): ClusterFacts {
    const cluster = new pulumi.StackReference(stackName);
    const text = (key: string) => cluster.requireOutput(key).apply((value) => (typeof value === "string" ? value : JSON.stringify(value)));
    return {
        clusterName: text("clusterName"),
        oidcIssuer: text("oidcIssuer"),
        vpcId: text("vpcId"),
        // A cluster stack may export the kubeconfig as an object (as @pulumi/eks does) or as text.
        kubeconfig: pulumi.secret(text("kubeconfig")),
        // A stack that manages the cluster manages its OIDC provider too.
        oidcProviderArn: text("oidcProviderArn"),
    };
}

/** A key the config path cannot do without. */
function required(key: string): string {
    const value = optional(key);
    if (value === undefined) {
        throw new Error(`config ${pulumi.getProject()}:${key} is required when clusterStack is not set (pulumi config set ${key} ...)`);
    }
    return value;
}

function fromConfig(): ClusterFacts {
    return {
        clusterName: required("clusterName"),
        oidcIssuer: required("oidcIssuer"),
        vpcId: required("vpcId"),
        // Kept secret in state and outputs, whether or not it was set with --secret.
        kubeconfig: pulumi.secret(required("kubeconfig")),
        oidcProviderArn: optional("oidcProviderArn"),
    };
}

const clusterStack = optional("clusterStack");
const cluster = clusterStack ? fromStackReference(clusterStack) : fromConfig();

// IRSA needs the cluster's issuer registered with IAM once per account. No thumbprint: IAM verifies
// EKS issuers against its trusted CAs.
const oidcProviderArn =
    cluster.oidcProviderArn ??
    new aws.iam.OpenIdConnectProvider("cluster-oidc", {
        url: pulumi.output(cluster.oidcIssuer).apply((issuer) => (issuer.startsWith("https://") ? issuer : `https://${issuer}`)),
        clientIdLists: ["sts.amazonaws.com"],
    }).arn;

// Every Kubernetes object the controller component creates goes to this cluster.
const kubernetes = new k8s.Provider("cluster", { kubeconfig: cluster.kubeconfig });

const controller = new LoadBalancerController(
    "lbc",
    {
        clusterName: cluster.clusterName,
        region,
        vpcId: cluster.vpcId,
        oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
    },
    { providers: { kubernetes } },
);

export const controllerRoleArn = controller.roleArn;
export const controllerPolicyArn = controller.policyArn;
export const controllerServiceAccount = controller.serviceAccount;
