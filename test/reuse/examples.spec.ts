/**
 * Every project in examples/ is compiled against the package (its exports map and .d.ts files, as a
 * consumer's project would see them) and run under the mock runtime with its own stack files, and
 * what it registers is asserted exactly: the resources, the trust documents, the least-privilege
 * policy, the partitions of each stack.
 */
import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { compileExample, consumerWorkspace, REPO_ROOT, type CompiledExample } from "./helpers/example-projects";
import { registration, runProgramUnderMocks, typeNames } from "./helpers/run-program";
import type { MockRunResult } from "./helpers/mock-run";
import { readProjectFile } from "../../plan/project-file";
import { resolveStackConfig } from "../../plan/stack-config";
import { DEFAULT_STAND_IN_ACCOUNT_ID } from "../../plan/stand-ins";

const PROVIDER_NAMESPACES = ["aws", "kubernetes", "eks"];
const ACCOUNT = DEFAULT_STAND_IN_ACCOUNT_ID;

/** Runs one stack of a compiled example with the config its stack file (over Pulumi.yaml's defaults) gives. */
function runStack(example: CompiledExample, stack: string, stackReferences?: Record<string, Record<string, unknown>>): MockRunResult {
    const project = readProjectFile(example.dir);
    const config = resolveStackConfig(project, stack, PROVIDER_NAMESPACES);
    const region = config.values["aws:region"];
    assert.strictEqual(typeof region, "string", `examples/${example.name}/Pulumi.${stack}.yaml must set aws:region`);
    return runProgramUnderMocks({
        program: example.program,
        project: project.name,
        stack,
        region: region as string,
        config: config.runtimeValues,
        cwd: example.dir,
        stackReferences,
    });
}

function trustPolicy(providerArn: string, issuerHostPath: string, subject: string): unknown {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: { [`${issuerHostPath}:sub`]: subject, [`${issuerHostPath}:aud`]: "sts.amazonaws.com" } },
            },
        ],
    };
}

function json(value: unknown): unknown {
    assert.strictEqual(typeof value, "string", `expected a JSON document, got ${JSON.stringify(value)}`);
    return JSON.parse(value as string);
}

/** Asserts `value` is a Pulumi secret (as the mock monitor records one) and returns what it holds. */
function secret(value: unknown): unknown {
    const wrapped = value as Record<string, unknown>;
    assert.ok(
        wrapped && typeof wrapped === "object" && wrapped[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig,
        `expected a secret, got ${JSON.stringify(value)}`,
    );
    return wrapped.value;
}

/** The chart values that make the chain work (the rest is the component's own business and tested there). */
function chainValues(values: unknown): unknown {
    const v = values as Record<string, any>;
    return { clusterName: v.clusterName, region: v.region, vpcId: v.vpcId, serviceAccount: v.serviceAccount };
}

describe("examples/ (each a Pulumi project using the package, run under mocks)", function () {
    const examples = new Map<string, CompiledExample>();
    let workspace: string;

    before(function () {
        // Type-checking against @pulumi/aws's typings is slow on a shared two-core machine.
        this.timeout(300_000);
        workspace = consumerWorkspace("eks-irsa-lbc-examples-");
        for (const name of ["existing-cluster", "another-addon", "multi-env"]) {
            examples.set(name, compileExample(workspace, name));
        }
    });

    after(() => {
        if (workspace) {
            fs.rmSync(workspace, { recursive: true, force: true });
        }
    });

    it("each is a complete project: Pulumi.yaml, a program, package.json depending on this package, a README, stack files", () => {
        const listing = ["existing-cluster", "another-addon", "multi-env", "yaml-platform"].map((name) => {
            const dir = path.join(REPO_ROOT, "examples", name);
            const files = fs.readdirSync(dir).filter((f) => !f.startsWith(".") && f !== "node_modules" && f !== "bin").sort();
            const manifest = fs.existsSync(path.join(dir, "package.json")) ? JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) : undefined;
            return { name, files, dependsOnPackage: manifest?.dependencies?.["eks-irsa-lbc"] };
        });
        const typescriptProject = (stacks: string[]) => ["Pulumi.yaml", ...stacks, "README.md", "index.ts", "package.json", "tsconfig.json"].sort();
        assert.deepStrictEqual(listing, [
            { name: "existing-cluster", files: typescriptProject(["Pulumi.dev.yaml", "Pulumi.from-stack.yaml"]), dependsOnPackage: "file:../.." },
            { name: "another-addon", files: typescriptProject(["Pulumi.dev.yaml"]), dependsOnPackage: "file:../.." },
            { name: "multi-env", files: typescriptProject(["Pulumi.dev.yaml", "Pulumi.prod.yaml"]), dependsOnPackage: "file:../.." },
            // YAML programs get the package through Pulumi.yaml's packages: entry, not npm.
            { name: "yaml-platform", files: ["Pulumi.dev.yaml", "Pulumi.yaml", "README.md"], dependsOnPackage: undefined },
        ]);
    });

    describe("existing-cluster", () => {
        const issuerHost = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
        const controllerSubject = "system:serviceaccount:kube-system:aws-load-balancer-controller";

        it("with the cluster's facts in stack config, creates the OIDC provider and the controller with its identity", function () {
            this.timeout(120_000);
            const result = runStack(examples.get("existing-cluster")!, "dev");
            assert.deepStrictEqual(typeNames(result), [
                "aws:iam/openIdConnectProvider:OpenIdConnectProvider::cluster-oidc",
                "aws:iam/policy:Policy::lbc-policy",
                "aws:iam/role:Role::lbc-identity-role",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment::lbc-identity-policy-0",
                "eks-irsa-lbc:index:IrsaServiceAccount::lbc-identity",
                "eks-irsa-lbc:index:LoadBalancerController::lbc",
                "kubernetes:core/v1:ServiceAccount::lbc-identity-sa-kube-system/aws-load-balancer-controller",
                "kubernetes:helm.sh/v3:Release::lbc-chart",
                "pulumi:providers:kubernetes::cluster",
            ]);
            assert.deepStrictEqual(registration(result, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "cluster-oidc").inputs, {
                url: `https://${issuerHost}`,
                clientIdLists: ["sts.amazonaws.com"],
            });
            const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuerHost}`;
            const role = registration(result, "aws:iam/role:Role", "lbc-identity-role");
            assert.deepStrictEqual(json(role.inputs.assumeRolePolicy), trustPolicy(providerArn, issuerHost, controllerSubject));
            const account = registration(result, "kubernetes:core/v1:ServiceAccount", "lbc-identity-sa-kube-system/aws-load-balancer-controller");
            assert.deepStrictEqual(account.inputs.metadata, {
                name: "aws-load-balancer-controller",
                namespace: "kube-system",
                annotations: { "eks.amazonaws.com/role-arn": result.outputs.controllerRoleArn },
            });
            const release = registration(result, "kubernetes:helm.sh/v3:Release", "lbc-chart");
            assert.deepStrictEqual(chainValues(release.inputs.values), {
                clusterName: "shop-prod",
                region: "eu-west-1",
                vpcId: "vpc-0123456789abcdef0",
                serviceAccount: { create: false, name: "aws-load-balancer-controller" },
            });
            const kubeconfig = secret(registration(result, "pulumi:providers:kubernetes", "cluster").inputs.kubeconfig) as string;
            assert.match(kubeconfig, /^apiVersion: v1\nkind: Config\n/);
            assert.deepStrictEqual(result.outputs.controllerServiceAccount, "kube-system/aws-load-balancer-controller");
        });

        it("with the cluster's facts from a stack reference, uses that stack's OIDC provider and kubeconfig", function () {
            this.timeout(120_000);
            const clusterStackIssuer = "oidc.eks.eu-west-1.amazonaws.com/id/0FEDCBA9876543210FEDCBA987654321";
            const clusterStackProvider = `arn:aws:iam::${ACCOUNT}:oidc-provider/${clusterStackIssuer}`;
            const kubeconfigObject = { apiVersion: "v1", kind: "Config", clusters: [] };
            const result = runStack(examples.get("existing-cluster")!, "from-stack", {
                "acme/shop-cluster/prod": {
                    clusterName: "shop-prod",
                    oidcIssuer: `https://${clusterStackIssuer}`,
                    oidcProviderArn: clusterStackProvider,
                    vpcId: "vpc-0fedcba9876543210",
                    kubeconfig: kubeconfigObject,
                },
            });
            assert.deepStrictEqual(typeNames(result), [
                "aws:iam/policy:Policy::lbc-policy",
                "aws:iam/role:Role::lbc-identity-role",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment::lbc-identity-policy-0",
                "eks-irsa-lbc:index:IrsaServiceAccount::lbc-identity",
                "eks-irsa-lbc:index:LoadBalancerController::lbc",
                "kubernetes:core/v1:ServiceAccount::lbc-identity-sa-kube-system/aws-load-balancer-controller",
                "kubernetes:helm.sh/v3:Release::lbc-chart",
                "pulumi:providers:kubernetes::cluster",
                "pulumi:pulumi:StackReference::acme/shop-cluster/prod",
            ]);
            const role = registration(result, "aws:iam/role:Role", "lbc-identity-role");
            assert.deepStrictEqual(json(role.inputs.assumeRolePolicy), trustPolicy(clusterStackProvider, clusterStackIssuer, controllerSubject));
            assert.deepStrictEqual(chainValues(registration(result, "kubernetes:helm.sh/v3:Release", "lbc-chart").inputs.values), {
                clusterName: "shop-prod",
                region: "eu-west-1",
                vpcId: "vpc-0fedcba9876543210",
                serviceAccount: { create: false, name: "aws-load-balancer-controller" },
            });
            // An object kubeconfig (as @pulumi/eks exports it) reaches the provider as JSON text.
            assert.deepStrictEqual(json(secret(registration(result, "pulumi:providers:kubernetes", "cluster").inputs.kubeconfig)), kubeconfigObject);
        });
    });

    describe("another-addon (external-dns through IrsaServiceAccount)", () => {
        let result: MockRunResult;
        before(function () {
            this.timeout(120_000);
            result = runStack(examples.get("another-addon")!, "dev");
        });

        it("registers external-dns's own identity, policy and release, and nothing of the load balancer controller", () => {
            assert.deepStrictEqual(typeNames(result), [
                "aws:iam/policy:Policy::external-dns",
                "aws:iam/role:Role::external-dns-role",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment::external-dns-policy-0",
                "eks-irsa-lbc:index:IrsaServiceAccount::external-dns",
                "kubernetes:core/v1:ServiceAccount::external-dns-sa-kube-system/external-dns",
                "kubernetes:helm.sh/v3:Release::external-dns",
                "pulumi:providers:kubernetes::cluster",
            ]);
        });

        it("trusts only kube-system/external-dns through the cluster's provider", () => {
            const issuerHost = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
            const role = registration(result, "aws:iam/role:Role", "external-dns-role");
            assert.deepStrictEqual(
                json(role.inputs.assumeRolePolicy),
                trustPolicy(`arn:aws:iam::111122223333:oidc-provider/${issuerHost}`, issuerHost, "system:serviceaccount:kube-system:external-dns"),
            );
            const account = registration(result, "kubernetes:core/v1:ServiceAccount", "external-dns-sa-kube-system/external-dns");
            assert.deepStrictEqual(account.inputs.metadata, {
                name: "external-dns",
                namespace: "kube-system",
                annotations: { "eks.amazonaws.com/role-arn": result.outputs.externalDnsRoleArn },
            });
        });

        it("may change records in the one hosted zone only, and attaches exactly that policy", () => {
            assert.deepStrictEqual(json(registration(result, "aws:iam/policy:Policy", "external-dns").inputs.policy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ChangeRecordsInOneZone",
                        Effect: "Allow",
                        Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"],
                        Resource: "arn:aws:route53:::hostedzone/Z0123456789EXAMPLEABC",
                    },
                    { Sid: "FindTheZone", Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
                ],
            });
            const attachment = registration(result, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "external-dns-policy-0");
            assert.deepStrictEqual(attachment.inputs.policyArn, result.outputs.externalDnsPolicyArn);
        });

        it("passes the project's policy pack (run by the offline plan over the Analyzer protocol) with no violation", function () {
            this.timeout(180_000);
            const example = examples.get("another-addon")!;
            const plan = childProcess.spawnSync(
                process.execPath,
                [path.join(REPO_ROOT, "bin", "eks-irsa-lbc.js"), "plan", "--json", "--cwd", example.dir, "--stack", "dev"],
                { encoding: "utf8", timeout: 170_000 },
            );
            assert.strictEqual(plan.status, 0, `eks-irsa-lbc plan failed:\n${plan.stderr}`);
            const report = JSON.parse(plan.stdout).policy;
            assert.deepStrictEqual(
                report.chains.map((c: any) => ({ role: c.role, serviceAccount: c.serviceAccount, status: c.verdict.status })),
                [{ role: "external-dns-role", serviceAccount: "kube-system/external-dns", status: "works" }],
            );
            // The identity's policies ran (they apply to any IRSA role and account, not only the controller's).
            const policyNames: string[] = report.pack.policies.map((p: any) => p.name);
            for (const name of ["irsa-chain-intact", "irsa-role-trust-valid", "irsa-role-trust-least-privilege", "irsa-service-account-annotation"]) {
                assert.ok(policyNames.includes(name), `the pack has no policy ${name}; it has ${policyNames.join(", ")}`);
            }
            assert.deepStrictEqual({ violations: report.violations, mandatoryFailed: report.mandatoryFailed }, { violations: [], mandatoryFailed: false });
        });

        it("runs the chart as the annotated account, filtered to the zone and domain", () => {
            const release = registration(result, "kubernetes:helm.sh/v3:Release", "external-dns");
            assert.deepStrictEqual(release.inputs.values, {
                provider: { name: "aws" },
                serviceAccount: { create: false, name: "external-dns" },
                env: [{ name: "AWS_DEFAULT_REGION", value: "us-east-1" }],
                domainFilters: ["shop.example.com"],
                extraArgs: ["--zone-id-filter=Z0123456789EXAMPLEABC"],
                txtOwnerId: "shop-prod",
                policy: "upsert-only",
            });
            assert.deepStrictEqual(
                { chart: release.inputs.chart, version: release.inputs.version, namespace: release.inputs.namespace, repo: (release.inputs.repositoryOpts as any)?.repo },
                { chart: "external-dns", version: "1.19.0", namespace: "kube-system", repo: "https://kubernetes-sigs.github.io/external-dns/" },
            );
        });
    });

    describe("multi-env (dev and prod stacks in different partitions)", () => {
        const expectedTypeNames = [
            "aws:ec2/launchTemplate:LaunchTemplate::platform-node-template",
            "aws:eks/nodeGroup:NodeGroup::platform-nodes",
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider::platform-oidc-provider",
            "aws:iam/policy:Policy::platform-lbc-policy",
            "aws:iam/role:Role::platform-lbc-identity-role",
            "aws:iam/role:Role::platform-node-role",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::platform-lbc-identity-policy-0",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::platform-node-cni",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::platform-node-ecr",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::platform-node-worker",
            "eks-irsa-lbc:index:EksLbcPlatform::platform",
            "eks-irsa-lbc:index:IrsaServiceAccount::platform-lbc-identity",
            "eks-irsa-lbc:index:LoadBalancerController::platform-lbc",
            "eks:index:Cluster::platform-cluster",
            "kubernetes:core/v1:ServiceAccount::platform-lbc-identity-sa-kube-system/aws-load-balancer-controller",
            "kubernetes:helm.sh/v3:Release::platform-lbc-chart",
            "pulumi:providers:kubernetes::platform-k8s",
        ];

        /** Every ARN in a document (strings starting `arn:`), to check they all name one partition. */
        function arnsIn(value: unknown): string[] {
            if (typeof value === "string") {
                return value.startsWith("arn:") ? [value] : [];
            }
            if (Array.isArray(value)) {
                return value.flatMap(arnsIn);
            }
            if (value && typeof value === "object") {
                return Object.values(value).flatMap(arnsIn);
            }
            return [];
        }

        const stacks = [
            { stack: "dev", region: "us-west-2", partition: "aws", clusterName: "shop-dev", instanceType: "t3.medium", nodes: 2 },
            { stack: "prod", region: "us-gov-west-1", partition: "aws-us-gov", clusterName: "shop-prod", instanceType: "m6i.large", nodes: 3 },
        ];
        for (const env of stacks) {
            it(`${env.stack}: ${env.region}, every ARN in the ${env.partition} partition, sized from its stack file`, function () {
                this.timeout(120_000);
                const result = runStack(examples.get("multi-env")!, env.stack);
                assert.deepStrictEqual(typeNames(result), expectedTypeNames);

                const issuer = result.outputs.oidcIssuer as string;
                assert.match(issuer, new RegExp(`^https://oidc\\.eks\\.${env.region}\\.amazonaws\\.com/id/[0-9A-F]{32}$`));
                const issuerHost = issuer.slice("https://".length);
                const providerArn = `arn:${env.partition}:iam::${ACCOUNT}:oidc-provider/${issuerHost}`;
                assert.deepStrictEqual(result.outputs.oidcProviderArn, providerArn);
                const role = registration(result, "aws:iam/role:Role", "platform-lbc-identity-role");
                assert.deepStrictEqual(
                    json(role.inputs.assumeRolePolicy),
                    trustPolicy(providerArn, issuerHost, "system:serviceaccount:kube-system:aws-load-balancer-controller"),
                );

                const policyArns = arnsIn(json(registration(result, "aws:iam/policy:Policy", "platform-lbc-policy").inputs.policy));
                assert.ok(policyArns.length > 0, "the controller policy names resources by ARN");
                assert.deepStrictEqual(policyArns.filter((arn) => !arn.startsWith(`arn:${env.partition}:`)), []);
                assert.deepStrictEqual(
                    ["cni", "ecr", "worker"].map((r) => registration(result, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", `platform-node-${r}`).inputs.policyArn),
                    [
                        `arn:${env.partition}:iam::aws:policy/AmazonEKS_CNI_Policy`,
                        `arn:${env.partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly`,
                        `arn:${env.partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy`,
                    ],
                );

                const nodes = registration(result, "aws:eks/nodeGroup:NodeGroup", "platform-nodes").inputs;
                assert.deepStrictEqual(
                    { clusterName: nodes.clusterName, instanceTypes: nodes.instanceTypes, scalingConfig: nodes.scalingConfig },
                    { clusterName: env.clusterName, instanceTypes: [env.instanceType], scalingConfig: { desiredSize: env.nodes, minSize: env.nodes, maxSize: env.nodes + 1 } },
                );
                const values = chainValues(registration(result, "kubernetes:helm.sh/v3:Release", "platform-lbc-chart").inputs.values) as Record<string, unknown>;
                assert.deepStrictEqual(values, {
                    clusterName: env.clusterName,
                    region: env.region,
                    vpcId: result.outputs.vpcId,
                    serviceAccount: { create: false, name: "aws-load-balancer-controller" },
                });
                assert.deepStrictEqual(result.outputs.clusterName, env.clusterName);
            });
        }
    });
});
