/**
 * A correct wiring (the reference setup: exact sub and aud, provider in the role's account, annotated
 * account the chart reuses, region and vpcId set, tagged subnets) and a way to break one fact of it.
 * Each rule test starts from here so that the one finding it expects is the only one there is.
 */
import type { WiringSnapshot } from "../../core";

export const ACCOUNT = "111122223333";
export const ISSUER_HOST = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
export const ISSUER = `https://${ISSUER_HOST}`;
export const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_HOST}`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/lbc`;
export const SUBJECT = "system:serviceaccount:kube-system:aws-load-balancer-controller";

export function reference(): WiringSnapshot {
    return {
        cluster: { name: "demo", region: "us-west-2", partition: "aws", accountId: ACCOUNT, oidcIssuer: ISSUER },
        oidcProvider: { url: ISSUER, clientIdList: ["sts.amazonaws.com"] },
        trustPolicy: {
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { Federated: PROVIDER_ARN },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: { [`${ISSUER_HOST}:sub`]: SUBJECT, [`${ISSUER_HOST}:aud`]: "sts.amazonaws.com" } },
            }],
        },
        serviceAccount: { namespace: "kube-system", name: "aws-load-balancer-controller", roleArnAnnotation: ROLE_ARN, exists: true },
        helmRelease: { name: "aws-load-balancer-controller", namespace: "kube-system" },
        helmValues: { clusterName: "demo", region: "us-west-2", vpcId: "vpc-0example", image: { tag: "v2.13.0" }, serviceAccount: { create: false, name: "aws-load-balancer-controller" } },
        nodeMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
        loadBalancer: { kind: "ALB", scheme: "internet-facing" },
        subnets: [
            { id: "subnet-a", az: "us-west-2a", public: true, tags: { "kubernetes.io/role/elb": "1" } },
            { id: "subnet-b", az: "us-west-2b", public: true, tags: { "kubernetes.io/role/elb": "1" } },
        ],
    };
}

/** The reference with the web-identity statement replaced. */
export function withStatement(statement: Record<string, unknown>): WiringSnapshot {
    const snapshot = reference();
    snapshot.trustPolicy = { Version: "2012-10-17", Statement: [statement] };
    return snapshot;
}

/** The reference statement's condition replaced. */
export function withCondition(condition: Record<string, unknown>): WiringSnapshot {
    return withStatement({ Effect: "Allow", Principal: { Federated: PROVIDER_ARN }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition });
}
