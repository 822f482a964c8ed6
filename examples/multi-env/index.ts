/**
 * One program for every environment: each stack's config chooses the region (and with it the AWS
 * partition), the cluster name and the node sizes. The platform component derives every ARN's
 * partition from the region, so nothing here mentions `aws`, `aws-cn` or `aws-us-gov`.
 */
import * as pulumi from "@pulumi/pulumi";
import { EksLbcPlatform } from "eks-irsa-lbc";

const config = new pulumi.Config();
const nodeCount = config.requireNumber("nodeCount");

const platform = new EksLbcPlatform("platform", {
    clusterName: config.require("clusterName"),
    region: new pulumi.Config("aws").require("region"),
    nodeInstanceTypes: [config.require("nodeInstanceType")],
    nodeDesiredSize: nodeCount,
    nodeMinSize: nodeCount,
    nodeMaxSize: nodeCount + 1,
});

// What another stack (for example examples/existing-cluster through a StackReference) needs.
export const clusterName = platform.clusterName;
export const oidcIssuer = platform.oidcIssuer;
export const oidcProviderArn = platform.oidcProviderArn;
export const vpcId = platform.vpcId;
export const kubeconfig = platform.kubeconfig;
export const controllerRoleArn = platform.controllerRoleArn;
