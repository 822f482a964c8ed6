/**
 * external-dns with its own IRSA identity: the same IrsaServiceAccount component the load balancer
 * controller uses, given a different account and a least-privilege policy that lets external-dns
 * change records in exactly one Route 53 hosted zone. Nothing in the identity component is specific
 * to the load balancer controller.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { IrsaServiceAccount } from "eks-irsa-lbc";
import { partitionOfRegion } from "eks-irsa-lbc/core/partition";

const config = new pulumi.Config();
const region = new pulumi.Config("aws").require("region");
const partition = partitionOfRegion(region);
if (partition === undefined) {
    throw new Error(`aws:region ${JSON.stringify(region)} is not a region of the aws, aws-cn or aws-us-gov partition`);
}
const hostedZoneId = config.require("hostedZoneId");
const domain = config.require("domain");

const NAMESPACE = "kube-system";
const SERVICE_ACCOUNT = "external-dns";

// Record changes are scoped to the one zone. Listing zones has no resource-level permission in
// Route 53, so it is the only action on "*" (external-dns needs it to find the zone by ID).
const zoneArn = `arn:${partition}:route53:::hostedzone/${hostedZoneId}`;
const policy = new aws.iam.Policy("external-dns", {
    description: `external-dns: change records in hosted zone ${hostedZoneId} only`,
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ChangeRecordsInOneZone",
                Effect: "Allow",
                Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"],
                Resource: zoneArn,
            },
            { Sid: "FindTheZone", Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
        ],
    }),
});

const kubernetes = new k8s.Provider("cluster", { kubeconfig: config.requireSecret("kubeconfig") });

const identity = new IrsaServiceAccount(
    "external-dns",
    {
        oidcProviderArn: config.require("oidcProviderArn"),
        oidcIssuer: config.require("oidcIssuer"),
        serviceAccounts: [{ namespace: NAMESPACE, name: SERVICE_ACCOUNT }],
        policyArns: [policy.arn],
    },
    { providers: { kubernetes } },
);

// serviceAccount.create=false: the identity's ServiceAccount carries the role annotation; a chart
// account would have none and external-dns would get no AWS credentials. The release waits for the
// account and the attached policy so the first pod already has working credentials.
new k8s.helm.v3.Release(
    "external-dns",
    {
        name: "external-dns",
        namespace: NAMESPACE,
        chart: "external-dns",
        version: config.require("externalDnsChartVersion"),
        repositoryOpts: { repo: "https://kubernetes-sigs.github.io/external-dns/" },
        values: {
            provider: { name: "aws" },
            serviceAccount: { create: false, name: SERVICE_ACCOUNT },
            env: [{ name: "AWS_DEFAULT_REGION", value: region }],
            domainFilters: [domain],
            extraArgs: [`--zone-id-filter=${hostedZoneId}`],
            txtOwnerId: config.require("clusterName"),
            // Create and update records, never delete any: a safe default for a zone that also holds
            // records managed by hand.
            policy: "upsert-only",
        },
    },
    { provider: kubernetes, dependsOn: [...identity.serviceAccounts, ...identity.policyAttachments] },
);

export const externalDnsRoleArn = identity.roleArn;
export const externalDnsPolicyArn = policy.arn;
