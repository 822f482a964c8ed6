/** The cloud stand-ins: what the fake cloud answers must look like AWS, in the right partition, and never vary. */
import * as assert from "assert";
import { cloudStandIns, standInIssuer } from "../../plan/stand-ins";

describe("cloudStandIns", () => {
    it("gives EKS-shaped issuers per partition, with amazonaws.com.cn in China, derived from stack and cluster", () => {
        const issuer = standInIssuer("us-west-2", "dev", "demo");
        assert.match(issuer, /^https:\/\/oidc\.eks\.us-west-2\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
        assert.match(standInIssuer("cn-north-1", "dev", "demo"), /^https:\/\/oidc\.eks\.cn-north-1\.amazonaws\.com\.cn\/id\/[0-9A-F]{32}$/);
        assert.match(standInIssuer("us-gov-east-1", "dev", "demo"), /^https:\/\/oidc\.eks\.us-gov-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
        assert.strictEqual(standInIssuer("us-west-2", "dev", "demo"), issuer, "the same every time");
        assert.notStrictEqual(standInIssuer("us-west-2", "prod", "demo"), issuer, "another stack, another cluster");
        assert.notStrictEqual(standInIssuer("us-west-2", "dev", "other"), issuer);
    });

    it("answers IAM resources with ARNs in the region's partition and the given account", () => {
        const mocks = cloudStandIns({ region: "us-gov-west-1", stack: "dev", accountId: "444455556666" });
        const role: any = mocks.newResource({ type: "aws:iam/role:Role", name: "r", inputs: { name: "lbc", path: "/a/" }, custom: true });
        assert.deepStrictEqual(role, {
            id: "lbc",
            state: { name: "lbc", path: "/a/", arn: "arn:aws-us-gov:iam::444455556666:role/a/lbc", uniqueId: role.state.uniqueId, tagsAll: {} },
        });
        assert.match(role.state.uniqueId, /^AROA[0-9A-F]{17}$/);
        const policy: any = mocks.newResource({ type: "aws:iam/policy:Policy", name: "p", inputs: { policy: "{}" }, custom: true });
        assert.match(policy.state.arn, /^arn:aws-us-gov:iam::444455556666:policy\/p-[0-9a-f]{7}$/);
        assert.strictEqual(policy.id, policy.state.arn);
        const provider: any = mocks.newResource({
            type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
            name: "o",
            inputs: { url: "https://oidc.eks.us-gov-west-1.amazonaws.com/id/ABC", clientIdLists: ["sts.amazonaws.com"] },
            custom: true,
        });
        assert.deepStrictEqual(provider, {
            id: "arn:aws-us-gov:iam::444455556666:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/ABC",
            state: {
                url: "https://oidc.eks.us-gov-west-1.amazonaws.com/id/ABC",
                clientIdLists: ["sts.amazonaws.com"],
                arn: "arn:aws-us-gov:iam::444455556666:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/ABC",
                tagsAll: {},
            },
        });
    });

    it("answers eks:index:Cluster with the outputs a program reads, consistent with each other", () => {
        const state: any = (cloudStandIns({ region: "cn-northwest-1", stack: "dev" }).newResource({
            type: "eks:index:Cluster",
            name: "c",
            inputs: { name: "demo", createOidcProvider: false },
            custom: false,
        }) as any).state;
        const issuer = standInIssuer("cn-northwest-1", "dev", "demo");
        assert.deepStrictEqual(state.eksCluster.identities, [{ oidcs: [{ issuer }] }]);
        assert.strictEqual(state.eksCluster.name, "demo");
        assert.strictEqual(state.eksCluster.arn, "arn:aws-cn:eks:cn-northwest-1:111122223333:cluster/demo");
        assert.match(state.eksCluster.vpcConfig.vpcId, /^vpc-[0-9a-f]{17}$/);
        assert.strictEqual(state.eksCluster.vpcConfig.subnetIds.length, 3);
        assert.deepStrictEqual(JSON.parse(state.kubeconfigJson), state.kubeconfig);
        assert.deepStrictEqual(state.kubeconfig.users[0].user.exec.args, ["--region", "cn-northwest-1", "eks", "get-token", "--cluster-name", "demo", "--output", "json"]);
        assert.strictEqual(state.oidcProviderArn, "", "createOidcProvider: false leaves it empty, as on AWS");
        assert.strictEqual(state.oidcIssuer, issuer.slice("https://".length));
    });

    it("keeps the caller's VPC and subnets for a cluster", () => {
        const state: any = (cloudStandIns({ region: "us-west-2", stack: "dev" }).newResource({
            type: "eks:index:Cluster",
            name: "c",
            inputs: { name: "demo", vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-1", "subnet-2"] },
            custom: false,
        }) as any).state;
        assert.deepStrictEqual(state.eksCluster.vpcConfig, { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-1", "subnet-2"] });
    });

    it("answers the partition, caller and region invokes, and refuses any other by name", async () => {
        const mocks = cloudStandIns({ region: "cn-north-1", stack: "dev" });
        assert.deepStrictEqual(await mocks.call({ token: "aws:index/getPartition:getPartition", inputs: {} }), {
            id: "aws-cn",
            partition: "aws-cn",
            dnsSuffix: "amazonaws.com.cn",
            reverseDnsPrefix: "cn.com.amazonaws",
        });
        assert.strictEqual((await mocks.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} })).accountId, "111122223333");
        assert.throws(() => mocks.call({ token: "aws:ec2/getVpc:getVpc", inputs: {} }), {
            message: "cloud stand-ins: no stand-in for the function aws:ec2/getVpc:getVpc; the offline plan cannot answer it",
        });
    });

    it("refuses a region of no known partition", () => {
        assert.throws(() => cloudStandIns({ region: "eusc-de-east-1", stack: "dev" }), {
            message: 'region: "eusc-de-east-1" is not a known AWS region, so its partition is unknown',
        });
    });
});
