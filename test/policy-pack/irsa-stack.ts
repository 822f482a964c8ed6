/**
 * A correct IRSA wiring for the AWS Load Balancer Controller as Pulumi resources, written the way a
 * hand-made stack (not this project's components) would register them, plus small edits that break
 * one link each. The pack's tests start from here so every failing case differs from a passing one
 * by exactly the fault under test.
 */
import type { TestResource } from "../helpers/policy-args";

export const ACCOUNT = "111122223333";
export const ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
export const HOST_PATH = ISSUER.slice("https://".length);
export const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST_PATH}`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/lbc-irsa`;
export const SUBJECT = "system:serviceaccount:kube-system:aws-load-balancer-controller";

export function trustPolicy(overrides: { sub?: unknown; aud?: unknown; operator?: string } = {}): Record<string, unknown> {
    const condition: Record<string, unknown> = {};
    if (overrides.sub !== null) condition[`${HOST_PATH}:sub`] = overrides.sub ?? SUBJECT;
    if (overrides.aud !== null) condition[`${HOST_PATH}:aud`] = overrides.aud ?? "sts.amazonaws.com";
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Federated: PROVIDER_ARN },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { [overrides.operator ?? "StringEquals"]: condition },
        }],
    };
}

export const cluster = (): TestResource => ({
    type: "aws:eks/cluster:Cluster", name: "cluster",
    props: { name: "demo", arn: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/demo`, identities: [{ oidcs: [{ issuer: ISSUER }] }] },
});

export const provider = (props: Record<string, unknown> = {}): TestResource => ({
    type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider", name: "oidc",
    props: { url: ISSUER, clientIdLists: ["sts.amazonaws.com"], arn: PROVIDER_ARN, ...props },
    dependsOn: ["cluster"],
});

export const role = (props: Record<string, unknown> = {}): TestResource => ({
    type: "aws:iam/role:Role", name: "lbc-role",
    props: { name: "lbc-irsa", arn: ROLE_ARN, assumeRolePolicy: JSON.stringify(trustPolicy()), ...props },
    dependsOn: ["oidc"],
});

export const serviceAccount = (metadata: Record<string, unknown> = {}): TestResource => ({
    type: "kubernetes:core/v1:ServiceAccount", name: "lbc-sa",
    props: {
        metadata: {
            name: "aws-load-balancer-controller", namespace: "kube-system",
            annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN }, ...metadata,
        },
    },
    dependsOn: ["lbc-role"],
});

export const helmValues = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    clusterName: "demo",
    region: "us-west-2",
    vpcId: "vpc-0example",
    image: { tag: "v2.13.0" },
    serviceAccount: { create: false, name: "aws-load-balancer-controller" },
    ...overrides,
});

export const release = (props: Record<string, unknown> = {}): TestResource => ({
    type: "kubernetes:helm.sh/v3:Release", name: "lbc-chart",
    props: {
        chart: "aws-load-balancer-controller", repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
        name: "aws-load-balancer-controller", namespace: "kube-system", values: helmValues(), ...props,
    },
    dependsOn: ["lbc-sa"],
});

export const launchTemplate = (metadataOptions: Record<string, unknown> = { httpTokens: "required", httpPutResponseHopLimit: 2 }): TestResource => ({
    type: "aws:ec2/launchTemplate:LaunchTemplate", name: "nodes-lt",
    props: { id: "lt-0example", name: "nodes", metadataOptions },
});

export const nodeGroup = (): TestResource => ({
    type: "aws:eks/nodeGroup:NodeGroup", name: "nodes",
    props: { clusterName: "demo", launchTemplate: { id: "lt-0example", version: "1" } },
    dependsOn: ["nodes-lt", "cluster"],
});

/** The whole correct stack. */
export function irsaStack(): TestResource[] {
    return [cluster(), provider(), role(), serviceAccount(), release(), launchTemplate(), nodeGroup()];
}

/** The stack with one resource replaced (matched by logical name). */
export function withResource(stack: TestResource[], replacement: TestResource): TestResource[] {
    return stack.map((r) => (r.name === replacement.name ? replacement : r));
}
