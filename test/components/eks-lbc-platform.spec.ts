/** EksLbcPlatform under mocks: new and adopted clusters in every partition, outputs and validation. */
import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { EksLbcPlatform, nodeAmiType, type EksLbcPlatformArgs } from "../../components/eks-lbc-platform";
import { InvalidArgumentsError } from "../../components/validation";
import { SUPPORTED_CONTROLLER_VERSIONS } from "../../core/controller-policy";
import { KNOWN_REGIONS } from "../../core/partition";
import { cloudStandIns, standInIssuer } from "../../plan/stand-ins";
import { isSecretOutput, startMockRun, valueOf, type MockRun } from "../helpers/pulumi-mocks";

const T = "eks-irsa-lbc:index:";
const PLATFORM_URN = `urn:pulumi:test::eks-irsa-lbc::${T}EksLbcPlatform::p`;
const LBC_URN = `urn:pulumi:test::eks-irsa-lbc::${T}EksLbcPlatform$${T}LoadBalancerController::p-lbc`;
const IDENTITY_URN = `urn:pulumi:test::eks-irsa-lbc::${T}LoadBalancerController$${T}IrsaServiceAccount::p-lbc-identity`;
const EXISTING_ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

const PARTITIONS = [
    { region: "us-west-2", partition: "aws", suffix: "amazonaws.com" },
    { region: "cn-north-1", partition: "aws-cn", suffix: "amazonaws.com.cn" },
    { region: "us-gov-west-1", partition: "aws-us-gov", suffix: "amazonaws.com" },
];

/** What the stand-in EKS cluster answers for `demo` (the fake cloud's values, not the component's). */
function standInCluster(region: string): any {
    return (cloudStandIns({ region, stack: "test", project: "eks-irsa-lbc" }).newResource({ type: "eks:index:Cluster", name: "p-cluster", inputs: { name: "demo" }, custom: false }) as any).state;
}

async function outputsOf(platform: EksLbcPlatform): Promise<Record<string, unknown>> {
    return {
        clusterName: await valueOf(platform.clusterName),
        kubeconfig: await valueOf(platform.kubeconfig),
        vpcId: await valueOf(platform.vpcId),
        oidcIssuer: await valueOf(platform.oidcIssuer),
        oidcProviderArn: await valueOf(platform.oidcProviderArn),
        controllerRoleArn: await valueOf(platform.controllerRoleArn),
        serviceAccount: await valueOf(platform.serviceAccount),
        chartVersion: await valueOf(platform.chartVersion),
    };
}

async function build(region: string, args: Partial<EksLbcPlatformArgs> = {}): Promise<{ run: MockRun; platform: EksLbcPlatform }> {
    const run = await startMockRun({ region });
    const platform = new EksLbcPlatform("p", { clusterName: "demo", region, ...args });
    await outputsOf(platform);
    await run.settle();
    return { run, platform };
}

describe("EksLbcPlatform: new cluster", () => {
    for (const p of PARTITIONS) {
        it(`creates the cluster, managed nodes, OIDC provider and controller in ${p.region} (${p.partition})`, async () => {
            const { run, platform } = await build(p.region);
            const cluster = standInCluster(p.region);
            const issuer = standInIssuer(p.region, "test", "demo");
            const issuerHost = issuer.slice("https://".length);
            assert.strictEqual(issuer, cluster.eksCluster.identities[0].oidcs[0].issuer);
            assert.match(issuerHost, new RegExp(`^oidc\\.eks\\.${p.region}\\.${p.suffix.replace(/\./g, "\\.")}/id/[0-9A-F]{32}$`));

            assert.deepStrictEqual(
                run.resources.map((r) => [r.type, r.name, r.parent]).sort(),
                [
                    [`${T}EksLbcPlatform`, "p", undefined],
                    ["aws:iam/role:Role", "p-node-role", PLATFORM_URN],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "p-node-worker", PLATFORM_URN],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "p-node-cni", PLATFORM_URN],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "p-node-ecr", PLATFORM_URN],
                    ["eks:index:Cluster", "p-cluster", PLATFORM_URN],
                    ["aws:ec2/launchTemplate:LaunchTemplate", "p-node-template", PLATFORM_URN],
                    ["aws:eks/nodeGroup:NodeGroup", "p-nodes", PLATFORM_URN],
                    ["aws:iam/openIdConnectProvider:OpenIdConnectProvider", "p-oidc-provider", PLATFORM_URN],
                    ["pulumi:providers:kubernetes", "p-k8s", PLATFORM_URN],
                    [`${T}LoadBalancerController`, "p-lbc", PLATFORM_URN],
                    ["aws:iam/policy:Policy", "p-lbc-policy", LBC_URN],
                    [`${T}IrsaServiceAccount`, "p-lbc-identity", LBC_URN],
                    ["aws:iam/role:Role", "p-lbc-identity-role", IDENTITY_URN],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "p-lbc-identity-policy-0", IDENTITY_URN],
                    ["kubernetes:core/v1:ServiceAccount", "p-lbc-identity-sa-kube-system/aws-load-balancer-controller", IDENTITY_URN],
                    ["kubernetes:helm.sh/v3:Release", "p-lbc-chart", LBC_URN],
                ].sort(),
            );
            assert.strictEqual(run.resources.length, 17);

            assert.deepStrictEqual(run.get("eks:index:Cluster", "p-cluster").inputs, {
                name: "demo",
                version: "1.35",
                createOidcProvider: false,
                skipDefaultNodeGroup: true,
                skipDefaultSecurityGroups: true,
                authenticationMode: "API",
            });
            const nodeRole = run.get("aws:iam/role:Role", "p-node-role");
            assert.deepStrictEqual({ ...nodeRole.inputs, assumeRolePolicy: JSON.parse(nodeRole.inputs.assumeRolePolicy) }, {
                assumeRolePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: `ec2.${p.suffix}` }, Action: "sts:AssumeRole" }] },
                description: "Nodes of EKS cluster demo",
            });
            const nodeRoleName = (await valueOfRegistration(run, "p-node-role")).name;
            assert.deepStrictEqual(
                ["worker", "cni", "ecr"].map((role) => run.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `p-node-${role}`).inputs),
                [
                    { role: nodeRoleName, policyArn: `arn:${p.partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy` },
                    { role: nodeRoleName, policyArn: `arn:${p.partition}:iam::aws:policy/AmazonEKS_CNI_Policy` },
                    { role: nodeRoleName, policyArn: `arn:${p.partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly` },
                ],
            );
            assert.deepStrictEqual(run.get("aws:ec2/launchTemplate:LaunchTemplate", "p-node-template").inputs, {
                description: "Nodes of EKS cluster demo: IMDSv2 only, hop limit 1",
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                updateDefaultVersion: true,
            });
            const nodeGroup = run.get("aws:eks/nodeGroup:NodeGroup", "p-nodes");
            const launchTemplateId = (await valueOfRegistration(run, "p-node-template")).id;
            assert.deepStrictEqual(nodeGroup.inputs, {
                clusterName: "demo",
                nodeRoleArn: `arn:${p.partition}:iam::111122223333:role/${nodeRoleName}`,
                subnetIds: cluster.eksCluster.vpcConfig.subnetIds,
                amiType: "AL2023_x86_64_STANDARD",
                instanceTypes: ["t3.medium"],
                scalingConfig: { desiredSize: 2, minSize: 2, maxSize: 3 },
                launchTemplate: { id: launchTemplateId, version: "1" },
            });
            for (const role of ["worker", "cni", "ecr"]) {
                assert.ok(nodeGroup.dependencies.includes(run.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `p-node-${role}`).urn), `node group waits for the ${role} policy`);
            }

            const provider = run.get("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "p-oidc-provider");
            assert.deepStrictEqual(provider.inputs, { url: issuer, clientIdLists: ["sts.amazonaws.com"] }, "no thumbprint");
            const k8sProvider = run.get("pulumi:providers:kubernetes", "p-k8s");
            assert.deepStrictEqual([k8sProvider.inputs.kubeconfig, k8sProvider.secretInputs], [cluster.kubeconfigJson, ["kubeconfig"]]);

            const providerArn = `arn:${p.partition}:iam::111122223333:oidc-provider/${issuerHost}`;
            const role = run.get("aws:iam/role:Role", "p-lbc-identity-role");
            assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: providerArn },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: {
                                [`${issuerHost}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller",
                                [`${issuerHost}:aud`]: "sts.amazonaws.com",
                            },
                        },
                    },
                ],
            });
            assert.ok(role.dependencies.includes(provider.urn), "the role's principal comes from the provider's arn output");

            const release = run.get("kubernetes:helm.sh/v3:Release", "p-lbc-chart");
            assert.deepStrictEqual(release.inputs.values, {
                clusterName: "demo",
                region: p.region,
                vpcId: cluster.eksCluster.vpcConfig.vpcId,
                serviceAccount: { create: false, name: "aws-load-balancer-controller" },
                image: { tag: "v3.5.0" },
                replicaCount: 2,
                podDisruptionBudget: { maxUnavailable: 1 },
                keepTLSSecret: true,
            });
            assert.ok(release.dependencies.includes(nodeGroup.urn), "the chart waits for the nodes its pods need");
            assert.strictEqual(release.provider, `${k8sProvider.urn}::${(await valueOfRegistration(run, "p-k8s")).id}`);
            const account = run.get("kubernetes:core/v1:ServiceAccount", "p-lbc-identity-sa-kube-system/aws-load-balancer-controller");
            assert.strictEqual(account.provider, release.provider);

            const roleArn = account.inputs.metadata.annotations["eks.amazonaws.com/role-arn"];
            assert.match(roleArn, new RegExp(`^arn:${p.partition}:iam::111122223333:role/p-lbc-identity-role-[0-9a-f]{7}$`));
            assert.deepStrictEqual(await outputsOf(platform), {
                clusterName: "demo",
                kubeconfig: cluster.kubeconfigJson,
                vpcId: cluster.eksCluster.vpcConfig.vpcId,
                oidcIssuer: issuer,
                oidcProviderArn: providerArn,
                controllerRoleArn: roleArn,
                serviceAccount: "kube-system/aws-load-balancer-controller",
                chartVersion: "3.5.0",
            });
            assert.strictEqual(await isSecretOutput(platform.kubeconfig), true);
            assert.strictEqual(await isSecretOutput(platform.controllerRoleArn), false);
        });
    }

    it("takes node sizes, instance types, Kubernetes version, own VPC and tags", async () => {
        const tags = { team: "platform" };
        const { run } = await build("eu-west-1", {
            kubernetesVersion: "1.34",
            nodeInstanceTypes: ["m7g.large", "m6g.large"],
            nodeDesiredSize: 3,
            nodeMinSize: 1,
            nodeMaxSize: 5,
            vpcId: "vpc-0a1b2c3d4e5f60718",
            subnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-1a1b2c3d4e5f60718"],
            tags,
        });
        assert.deepStrictEqual(run.get("eks:index:Cluster", "p-cluster").inputs, {
            name: "demo",
            version: "1.34",
            createOidcProvider: false,
            skipDefaultNodeGroup: true,
            skipDefaultSecurityGroups: true,
            authenticationMode: "API",
            vpcId: "vpc-0a1b2c3d4e5f60718",
            subnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-1a1b2c3d4e5f60718"],
            tags,
        });
        const nodeGroup = run.get("aws:eks/nodeGroup:NodeGroup", "p-nodes").inputs;
        assert.deepStrictEqual([nodeGroup.amiType, nodeGroup.instanceTypes, nodeGroup.scalingConfig, nodeGroup.subnetIds], [
            "AL2023_ARM_64_STANDARD",
            ["m7g.large", "m6g.large"],
            { desiredSize: 3, minSize: 1, maxSize: 5 },
            ["subnet-0a1b2c3d4e5f60718", "subnet-1a1b2c3d4e5f60718"],
        ]);
        assert.strictEqual(run.get("kubernetes:helm.sh/v3:Release", "p-lbc-chart").inputs.values.vpcId, "vpc-0a1b2c3d4e5f60718");
        const awsResources = run.resources.filter((r) => r.custom && r.type.startsWith("aws:") && !r.type.includes("rolePolicyAttachment"));
        assert.deepStrictEqual(awsResources.map((r) => [r.name, r.inputs.tags]).sort(), [
            ["p-lbc-identity-role", tags],
            ["p-lbc-policy", tags],
            ["p-node-role", tags],
            ["p-node-template", tags],
            ["p-nodes", tags],
            ["p-oidc-provider", tags],
        ]);
    });

    it("accepts node counts up to the EKS quota of 450 nodes per managed node group", async () => {
        const { run } = await build("us-west-2", { nodeDesiredSize: 450, nodeMinSize: 450, nodeMaxSize: 450 });
        assert.deepStrictEqual(run.get("aws:eks/nodeGroup:NodeGroup", "p-nodes").inputs.scalingConfig, { desiredSize: 450, minSize: 450, maxSize: 450 });
    });
});

describe("nodeAmiType", () => {
    it("picks the AL2023 AMI of the instance types' architecture", () => {
        assert.deepStrictEqual(
            [["t3.medium"], ["m7i.large", "c5n.xlarge"], ["t4g.medium"], ["m7g.large", "c6gn.xlarge", "r8gd.2xlarge"], ["g5.xlarge"], ["inf2.xlarge"]].map(nodeAmiType),
            ["AL2023_x86_64_STANDARD", "AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_STANDARD", "AL2023_x86_64_STANDARD"],
        );
    });
});

describe("EksLbcPlatform: existing cluster", () => {
    const existing = {
        vpcId: "vpc-0123456789abcdef0",
        existingCluster: { oidcIssuerUrl: EXISTING_ISSUER, kubeconfig: "apiVersion: v1\nkind: Config\n" },
    };

    it("adopts the cluster: provider, controller and nothing of EKS", async () => {
        const { run, platform } = await build("eu-west-1", existing);
        assert.deepStrictEqual(
            run.resources.map((r) => [r.type, r.name]).sort(),
            [
                [`${T}EksLbcPlatform`, "p"],
                ["aws:iam/openIdConnectProvider:OpenIdConnectProvider", "p-oidc-provider"],
                ["pulumi:providers:kubernetes", "p-k8s"],
                [`${T}LoadBalancerController`, "p-lbc"],
                ["aws:iam/policy:Policy", "p-lbc-policy"],
                [`${T}IrsaServiceAccount`, "p-lbc-identity"],
                ["aws:iam/role:Role", "p-lbc-identity-role"],
                ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "p-lbc-identity-policy-0"],
                ["kubernetes:core/v1:ServiceAccount", "p-lbc-identity-sa-kube-system/aws-load-balancer-controller"],
                ["kubernetes:helm.sh/v3:Release", "p-lbc-chart"],
            ].sort(),
        );
        assert.deepStrictEqual(run.get("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "p-oidc-provider").inputs, {
            url: EXISTING_ISSUER,
            clientIdLists: ["sts.amazonaws.com"],
        });
        const k8sProvider = run.get("pulumi:providers:kubernetes", "p-k8s");
        assert.deepStrictEqual([k8sProvider.inputs.kubeconfig, k8sProvider.secretInputs], ["apiVersion: v1\nkind: Config\n", ["kubeconfig"]]);
        const host = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
        assert.deepStrictEqual(JSON.parse(run.get("aws:iam/role:Role", "p-lbc-identity-role").inputs.assumeRolePolicy).Statement[0].Condition, {
            StringEquals: { [`${host}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller", [`${host}:aud`]: "sts.amazonaws.com" },
        });
        assert.deepStrictEqual(run.get("kubernetes:helm.sh/v3:Release", "p-lbc-chart").inputs.values, {
            clusterName: "demo",
            region: "eu-west-1",
            vpcId: "vpc-0123456789abcdef0",
            serviceAccount: { create: false, name: "aws-load-balancer-controller" },
            image: { tag: "v3.5.0" },
            replicaCount: 2,
            podDisruptionBudget: { maxUnavailable: 1 },
            keepTLSSecret: true,
        });
        const outputs = await outputsOf(platform);
        assert.deepStrictEqual(outputs, {
            clusterName: "demo",
            kubeconfig: "apiVersion: v1\nkind: Config\n",
            vpcId: "vpc-0123456789abcdef0",
            oidcIssuer: EXISTING_ISSUER,
            oidcProviderArn: `arn:aws:iam::111122223333:oidc-provider/${host}`,
            controllerRoleArn: run.get("kubernetes:core/v1:ServiceAccount", "p-lbc-identity-sa-kube-system/aws-load-balancer-controller").inputs.metadata.annotations["eks.amazonaws.com/role-arn"],
            serviceAccount: "kube-system/aws-load-balancer-controller",
            chartVersion: "3.5.0",
        });
        assert.strictEqual(await isSecretOutput(platform.kubeconfig), true);
    });

    it("uses the Kubernetes provider of its resource options instead of a kubeconfig, and a custom controller role", async () => {
        const run = await startMockRun({ region: "eu-west-1" });
        const given = new k8s.Provider("given", { kubeconfig: "x" });
        const platform = new EksLbcPlatform("p", {
            clusterName: "demo",
            region: "eu-west-1",
            vpcId: "vpc-0123456789abcdef0",
            existingCluster: { oidcIssuerUrl: EXISTING_ISSUER },
            controllerRoleName: "lbc",
            controllerRolePath: "/platform/",
            controllerPermissionsBoundary: "arn:aws:iam::111122223333:policy/boundary",
            controllerVersion: "v2.13.4",
        }, { providers: { kubernetes: given } });
        await outputsOf(platform);
        await run.settle();
        assert.deepStrictEqual(run.ofType("pulumi:providers:kubernetes").map((r) => r.name), ["given"]);
        const givenRef = `${run.get("pulumi:providers:kubernetes", "given").urn}::${(await valueOfRegistration(run, "given")).id}`;
        assert.strictEqual(run.get("kubernetes:helm.sh/v3:Release", "p-lbc-chart").provider, givenRef);
        assert.strictEqual(run.get("kubernetes:core/v1:ServiceAccount", "p-lbc-identity-sa-kube-system/aws-load-balancer-controller").provider, givenRef);
        const role = run.get("aws:iam/role:Role", "p-lbc-identity-role").inputs;
        assert.deepStrictEqual([role.name, role.path, role.permissionsBoundary], ["lbc", "/platform/", "arn:aws:iam::111122223333:policy/boundary"]);
        assert.deepStrictEqual(
            { kubeconfig: await valueOf(platform.kubeconfig), roleArn: await valueOf(platform.controllerRoleArn), chart: await valueOf(platform.chartVersion) },
            { kubeconfig: undefined, roleArn: "arn:aws:iam::111122223333:role/platform/lbc", chart: "1.13.4" },
        );
    });
});

describe("EksLbcPlatform: the Kubernetes provider of the resource options", () => {
    for (const [form, opts] of [
        ["providers: [p]", (p: k8s.Provider) => ({ providers: [p] })],
        ["provider: p", (p: k8s.Provider) => ({ provider: p })],
    ] as const) {
        it(`takes it given as ${form}, creating none of its own`, async () => {
            const run = await startMockRun({ region: "eu-west-1" });
            const given = new k8s.Provider("given", { kubeconfig: "x" });
            new EksLbcPlatform("p", { clusterName: "demo", region: "eu-west-1", vpcId: "vpc-0123456789abcdef0", existingCluster: { oidcIssuerUrl: EXISTING_ISSUER } }, opts(given));
            await run.settle();
            const givenRef = `${run.get("pulumi:providers:kubernetes", "given").urn}::${(await valueOfRegistration(run, "given")).id}`;
            assert.deepStrictEqual(
                [run.ofType("pulumi:providers:kubernetes").map((r) => r.name), run.get("kubernetes:helm.sh/v3:Release", "p-lbc-chart").provider],
                [["given"], givenRef],
            );
        });
    }
});

describe("EksLbcPlatform: validation", () => {
    const supported = SUPPORTED_CONTROLLER_VERSIONS.join(", ");
    const regions = KNOWN_REGIONS.join(", ");
    const existing = { vpcId: "vpc-0123456789abcdef0", existingCluster: { oidcIssuerUrl: "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", kubeconfig: "k" } };
    // Stands in for a Kubernetes provider in the resource options without registering one (the
    // cases assert that nothing is registered).
    const kubernetesProvider = { getPackage: () => "kubernetes" } as unknown as k8s.Provider;
    const cases: Array<[string, Partial<EksLbcPlatformArgs>, string[], pulumi.ComponentResourceOptions?]> = [
        ["a cluster name with a dot", { clusterName: "demo.prod" }, ['clusterName: "demo.prod" is not valid: 1 to 100 characters: a letter or digit, then letters, digits, "-" or "_"']],
        ["an empty cluster name", { clusterName: "" }, ['clusterName: "" is not valid: 1 to 100 characters: a letter or digit, then letters, digits, "-" or "_"']],
        ["a region of an unsupported partition", { region: "eusc-de-east-1" }, [`region: "eusc-de-east-1" is not valid: a region of a known partition (aws, aws-cn, aws-us-gov): ${regions}`]],
        ["an unknown controller version", { controllerVersion: "v3.6.0" }, [`controllerVersion: "v3.6.0" is not valid: a supported AWS Load Balancer Controller release, with or without the leading "v" (default v3.5.0): ${supported}`]],
        ["a VPC without subnets", { vpcId: "vpc-0123456789abcdef0" }, ['vpcId: "vpc-0123456789abcdef0" is not valid: vpcId and subnetIds go together: give both to use your own VPC, or neither for the default VPC']],
        ["subnets without a VPC", { subnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-1a1b2c3d4e5f60718"] }, ['subnetIds: ["subnet-0a1b2c3d4e5f60718","subnet-1a1b2c3d4e5f60718"] is not valid: vpcId and subnetIds go together: give both to use your own VPC, or neither for the default VPC']],
        ["a single subnet", { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0a1b2c3d4e5f60718"] }, ['subnetIds: ["subnet-0a1b2c3d4e5f60718"] is not valid: at least two subnet ids, in different availability zones']],
        ["a subnet id that is not one", { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0a1b2c3d4e5f60718", "sn-1"] }, ['subnetIds[1]: "sn-1" is not valid: "subnet-" followed by 8 or 17 lower-case hex digits']],
        ["a Kubernetes version with a patch", { kubernetesVersion: "1.35.2" }, ['kubernetesVersion: "1.35.2" is not valid: a Kubernetes minor version that EKS accepts, such as "1.35"']],
        ["no instance types", { nodeInstanceTypes: [] }, ["nodeInstanceTypes: [] is not valid: a list of at least one EC2 instance type"]],
        ["an instance type without a size", { nodeInstanceTypes: ["t3"] }, ['nodeInstanceTypes[0]: "t3" is not valid: an EC2 instance type such as "t3.medium"']],
        ["instance types of two architectures", { nodeInstanceTypes: ["m7g.large", "m7i.large"] }, ['nodeInstanceTypes: ["m7g.large","m7i.large"] is not valid: instance types of one architecture: a node group has one AMI type, either all Graviton (arm64) or all x86_64']],
        ["a fractional node count", { nodeDesiredSize: 2.5 }, ["nodeDesiredSize: 2.5 is not valid: an integer of at least 0"]],
        ["a maximum of zero nodes", { nodeMaxSize: 0, nodeMinSize: 0, nodeDesiredSize: 0 }, ["nodeMaxSize: 0 is not valid: an integer of at least 1"]],
        ["a desired size above the maximum", { nodeDesiredSize: 4 }, ["nodeDesiredSize: 4 is not valid: between nodeMinSize (2) and nodeMaxSize (3)"]],
        ["node counts above the EKS quota", { nodeMaxSize: 99999999999999999999, nodeMinSize: 451, nodeDesiredSize: 1e6 }, [
            'nodeDesiredSize: 1000000 is not valid: at most 450, the EKS service quota "Nodes per managed node group" (its default)',
            'nodeMinSize: 451 is not valid: at most 450, the EKS service quota "Nodes per managed node group" (its default)',
            'nodeMaxSize: 100000000000000000000 is not valid: at most 450, the EKS service quota "Nodes per managed node group" (its default)',
        ]],
        ["a Kubernetes provider for a new cluster", {}, ['providers.kubernetes (resource option): "<provider>" is not valid: only for an existing cluster; a new cluster gets a provider from its own kubeconfig'], { providers: { kubernetes: kubernetesProvider } }],
        ["allowNonEksIssuer for a new cluster", { allowNonEksIssuer: true }, ["allowNonEksIssuer: true is not valid: only for an existing cluster; a new cluster's issuer comes from EKS"]],
        ["a controller role name with a space", { controllerRoleName: "lbc role" }, ['controllerRoleName: "lbc role" is not valid: 1 to 64 characters: letters, digits or + = , . @ _ -']],
        ["a controller role path with a space", { controllerRolePath: "/a b/" }, ['controllerRolePath: "/a b/" is not valid: an IAM path: "/" or a string that starts and ends with "/" (printable ASCII, no spaces, at most 512 characters)']],
        ["a permissions boundary that is a role", { controllerPermissionsBoundary: "arn:aws:iam::111122223333:role/boundary" }, ['controllerPermissionsBoundary: "arn:aws:iam::111122223333:role/boundary" is not valid: an IAM policy ARN: arn:<partition>:iam::<account id or "aws">:policy/<path><name>']],
        ["controller values naming another region", { controllerValues: { region: "us-east-1" } }, ['controllerValues.region: "us-east-1" is not valid: region is set by the component to "us-west-2" (the controller must not ask instance metadata for its region); leave it out of controllerValues or give the same value']],
        ["an existing cluster without VPC id", { existingCluster: existing.existingCluster }, ['vpcId is not set: required with existingCluster: the existing cluster\'s VPC id, "vpc-" followed by 8 or 17 lower-case hex digits']],
        ["an existing cluster's issuer of another region", { ...existing, existingCluster: { ...existing.existingCluster, oidcIssuerUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" } }, [
            'existingCluster.oidcIssuerUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" is not valid: an EKS issuer of region us-west-2: https://oidc.eks.us-west-2.amazonaws.com/id/<32 upper-case letters or digits> (set allowNonEksIssuer to accept any https issuer)',
        ]],
        ["an existing cluster's issuer without https", { ...existing, existingCluster: { ...existing.existingCluster, oidcIssuerUrl: "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" } }, [
            'existingCluster.oidcIssuerUrl: "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" is not valid: an EKS issuer of region us-west-2: https://oidc.eks.us-west-2.amazonaws.com/id/<32 upper-case letters or digits> (set allowNonEksIssuer to accept any https issuer)',
        ]],
        ["a non-EKS issuer that is not https even when allowed", { ...existing, allowNonEksIssuer: true, existingCluster: { ...existing.existingCluster, oidcIssuerUrl: "http://issuer.example.com" } }, [
            'existingCluster.oidcIssuerUrl: "http://issuer.example.com" is not valid: an https URL equal to the \"iss\" claim of the cluster\'s tokens exactly: no trailing slash, port, query or fragment, e.g. https://issuer.example.com/cluster',
        ]],
        // STS compares the provider URL with the token's iss as strings: "https://example.com/" never matches.
        ...(["https://example.com/", "https://example.com/clusters/demo/", "https://example.com//demo", "https://example.com:8443/demo", "https://example.com/demo?x=1", "https://example.com/demo#f"].map((issuer) => [
            `a non-EKS issuer ${issuer} that cannot equal a token's iss`,
            { ...existing, allowNonEksIssuer: true, existingCluster: { ...existing.existingCluster, oidcIssuerUrl: issuer } },
            [`existingCluster.oidcIssuerUrl: ${JSON.stringify(issuer)} is not valid: an https URL equal to the "iss" claim of the cluster's tokens exactly: no trailing slash, port, query or fragment, e.g. https://issuer.example.com/cluster`],
        ] as [string, Partial<EksLbcPlatformArgs>, string[], pulumi.ComponentResourceOptions?])),
        ["an existing cluster without kubeconfig or provider", { ...existing, existingCluster: { oidcIssuerUrl: existing.existingCluster.oidcIssuerUrl } }, [
            "existingCluster.kubeconfig is not set: a kubeconfig for the existing cluster, or a Kubernetes provider in the resource options (providers: { kubernetes: ... })",
        ]],
        ...([
            ["providers: { kubernetes: p }", { providers: { kubernetes: kubernetesProvider } }],
            ["providers: [p]", { providers: [kubernetesProvider] }],
            ["provider: p", { provider: kubernetesProvider }],
        ] as const).map(([form, opts]) => [
            `both a kubeconfig and a Kubernetes provider given as ${form}`,
            existing,
            ['providers.kubernetes (resource option): "<provider>" is not valid: either a Kubernetes provider or existingCluster.kubeconfig, not both: they could name different clusters'],
            opts,
        ] as [string, Partial<EksLbcPlatformArgs>, string[], pulumi.ComponentResourceOptions]),
        ["new-cluster settings for an existing cluster", { ...existing, nodeDesiredSize: 3, kubernetesVersion: "1.35" }, [
            'kubernetesVersion: "1.35" is not valid: only for a new cluster; leave it out with existingCluster',
            "nodeDesiredSize: 3 is not valid: only for a new cluster; leave it out with existingCluster",
        ]],
        ["controller values with another VPC for an existing cluster", { ...existing, controllerValues: { vpcId: "vpc-89abcdef" } }, [
            'controllerValues.vpcId: "vpc-89abcdef" is not valid: vpcId is set by the component to "vpc-0123456789abcdef0" (the controller must not ask instance metadata for its VPC); leave it out of controllerValues or give the same value',
        ]],
    ];
    for (const [what, extra, problems, opts] of cases) {
        it(`rejects ${what} before registering anything`, async () => {
            const run = await startMockRun({ region: "us-west-2" });
            assert.throws(() => new EksLbcPlatform("p", { clusterName: "demo", region: "us-west-2", ...extra }, opts), (err: unknown) => {
                assert.ok(err instanceof InvalidArgumentsError);
                assert.deepStrictEqual([err.component, err.resourceName, err.problems], ["eks-irsa-lbc:index:EksLbcPlatform", "p", problems]);
                return true;
            });
            await run.settle();
            assert.deepStrictEqual(run.resources, []);
        });
    }

    it("accepts a non-EKS https issuer when allowed, and an issuer of the region's own partition", async () => {
        for (const [region, issuer, allow] of [
            ["us-west-2", "https://issuer.example.com/clusters/demo", true],
            ["cn-northwest-1", "https://oidc.eks.cn-northwest-1.amazonaws.com.cn/id/EXAMPLED539D4633E53DE1B71EXAMPLE", undefined],
        ] as const) {
            const { run } = await build(region, { vpcId: "vpc-0123456789abcdef0", existingCluster: { oidcIssuerUrl: issuer, kubeconfig: "k" }, allowNonEksIssuer: allow });
            assert.strictEqual(run.get("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "p-oidc-provider").inputs.url, issuer);
        }
    });

    it("lists every problem in one error message", async () => {
        await startMockRun({ region: "us-west-2" });
        assert.throws(
            () => new EksLbcPlatform("p", { clusterName: "_x", region: "moon-1", controllerVersion: "latest", nodeMinSize: -1, controllerValues: { serviceAccount: { create: true } } }),
            (err: unknown) => {
                assert.ok(err instanceof InvalidArgumentsError);
                assert.strictEqual(
                    err.message,
                    'invalid arguments for eks-irsa-lbc:index:EksLbcPlatform "p": ' +
                        [
                            'clusterName: "_x" is not valid: 1 to 100 characters: a letter or digit, then letters, digits, "-" or "_"',
                            `region: "moon-1" is not valid: a region of a known partition (aws, aws-cn, aws-us-gov): ${regions}`,
                            "nodeMinSize: -1 is not valid: an integer of at least 0",
                            `controllerVersion: "latest" is not valid: a supported AWS Load Balancer Controller release, with or without the leading "v" (default v3.5.0): ${supported}`,
                            "controllerValues.serviceAccount.create: true is not valid: serviceAccount.create is set by the component to false (the component creates the annotated ServiceAccount itself); leave it out of controllerValues or give the same value",
                        ].join("; "),
                );
                return true;
            },
        );
    });
});

/** The id and name the stand-ins gave a registered resource. */
async function valueOfRegistration(run: MockRun, name: string): Promise<{ id: string; name: string }> {
    const monitor: any = (await import("@pulumi/pulumi")).runtime as any;
    const entry = monitor.getMonitor().resources.get(run.resources.find((r) => r.name === name)!.urn);
    return { id: entry.id, name: entry.state.fields?.name?.stringValue ?? entry.state.name };
}
