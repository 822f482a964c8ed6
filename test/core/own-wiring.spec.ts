/**
 * The wiring this project builds must come out of its own core as `works` with no finding: the trust
 * document of IrsaServiceAccount (components/trust-policy.ts), the chart values of
 * LoadBalancerController and the controller policy it attaches, in every region of every partition
 * and for every controller version the components deploy. A rule that flags our own output is a false positive.
 */
import * as assert from "node:assert/strict";
import { webIdentityTrustPolicy } from "../../components/trust-policy";
import { controllerChartValues } from "../../components/controller-values";
import { controllerPolicyDocument, SUPPORTED_CONTROLLER_VERSIONS } from "../../core/controller-policy";
import { arnPrefix, PARTITIONS, regionsOfPartition, type Partition } from "../../core/partition";
import { analyze, type WiringSnapshot } from "../../core";

const ACCOUNT = "111122223333";
const OIDC_ID = "EXAMPLED539D4633E53DE1B71EXAMPLE";

function ownWiring(partition: Partition, region: string, version: string): WiringSnapshot {
    const suffix = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
    const issuer = `https://oidc.eks.${region}.${suffix}/id/${OIDC_ID}`;
    const providerArn = `${arnPrefix(partition)}:iam::${ACCOUNT}:oidc-provider/${issuer.slice("https://".length)}`;
    const roleArn = `${arnPrefix(partition)}:iam::${ACCOUNT}:role/demo-lbc`;
    return {
        cluster: { name: "demo", region, partition, accountId: ACCOUNT, oidcIssuer: issuer },
        oidcProvider: { url: issuer, clientIdList: ["sts.amazonaws.com"], thumbprintList: [] },
        trustPolicy: webIdentityTrustPolicy({ providerArn, issuer, subjects: [{ namespace: "kube-system", name: "aws-load-balancer-controller" }] }),
        serviceAccount: { namespace: "kube-system", name: "aws-load-balancer-controller", roleArnAnnotation: roleArn, exists: true },
        helmRelease: { name: "demo-lbc", namespace: "kube-system" },
        helmValues: controllerChartValues({
            clusterName: "demo", region, vpcId: "vpc-0example", serviceAccountName: "aws-load-balancer-controller", roleArn, controllerVersion: version,
        }),
        controllerPolicy: controllerPolicyDocument(version, partition) as unknown as Record<string, unknown>,
        nodeMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
        loadBalancer: { kind: "ALB", scheme: "internet-facing" },
        subnets: [
            { id: "subnet-a", az: `${region}a`, public: true, tags: { "kubernetes.io/role/elb": "1" } },
            { id: "subnet-b", az: `${region}b`, public: true, tags: { "kubernetes.io/role/elb": "1" } },
        ],
    };
}

describe("the project's own wiring", () => {
    for (const partition of PARTITIONS) {
        it(`works with no finding in every region of ${partition}`, () => {
            for (const region of regionsOfPartition(partition)) {
                const analysis = analyze(ownWiring(partition, region, "v3.5.0"));
                assert.deepEqual(analysis.findings, [], region);
                assert.deepEqual(analysis.chain, {
                    status: "works",
                    reason: `STS accepts the token of kube-system/aws-load-balancer-controller (sub "system:serviceaccount:kube-system:aws-load-balancer-controller", aud "sts.amazonaws.com") for ${arnPrefix(partition)}:iam::${ACCOUNT}:role/demo-lbc`,
                });
            }
        });
        it(`works with no finding for every controller version the components deploy in ${partition}`, () => {
            const region = regionsOfPartition(partition)[0];
            for (const version of SUPPORTED_CONTROLLER_VERSIONS) {
                assert.deepEqual(analyze(ownWiring(partition, region, version)).findings, [], version);
            }
        });
    }
    it("is judged broken when the same document trusts another account's subject", () => {
        const snapshot = ownWiring("aws", "us-west-2", "v3.5.0");
        snapshot.serviceAccount = { ...snapshot.serviceAccount, name: "other" };
        snapshot.helmValues = { ...snapshot.helmValues, serviceAccount: { create: false, name: "other" } };
        assert.equal(analyze(snapshot).chain.link, "trust-policy-denies");
    });
});
