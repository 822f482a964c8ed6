/**
 * The offline plan end to end on the fixture project (test/plan/fixtures/mini): what it records,
 * how it prints it, and that it leaves the project as it found it. The real program's plan is
 * pinned in test/cli/plan.spec.ts.
 */
import * as assert from "assert";
import { MINI_PROJECT, runCli, snapshotDir } from "./cli-runner";

const PROGRAM_PRINT = "mini: planning cluster demo in us-west-2\n";
const ISSUER = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const ROLE_ARN = "arn:aws:iam::111122223333:role/mini-role-5bd74e0";
const STACK_URN = "urn:pulumi:dev::mini::pulumi:pulumi:Stack::mini-dev";
const COMPONENT_URN = "urn:pulumi:dev::mini::pulumi:pulumi:Stack$mini:index:MiniController::mini";
const urnOf = (type: string, name: string) => `urn:pulumi:dev::mini::mini:index:MiniController$${type}::${name}`;

const TRUST_DOCUMENT = {
    Version: "2012-10-17",
    Statement: [{
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:kube-system:mini", [`${ISSUER}:aud`]: "sts.amazonaws.com" } },
    }],
};

describe("plan on the fixture project", function () {
    this.timeout(60_000);

    describe("--json on the dev stack", () => {
        let run: ReturnType<typeof runCli>;
        let plan: any;
        before(() => {
            run = runCli(["plan", "--json"], MINI_PROJECT);
            plan = JSON.parse(run.stdout);
        });

        it("exits 0, with the program's own print on stderr, not in the JSON", () => {
            assert.deepStrictEqual({ status: run.status, stderr: run.stderr }, { status: 0, stderr: PROGRAM_PRINT });
        });

        it("names the stack, the stand-ins and the resolved config", () => {
            assert.deepStrictEqual(
                { stack: plan.stack, project: plan.project, offline: plan.offline, standIns: plan.standIns, config: plan.config },
                {
                    stack: "dev", project: "mini", offline: true,
                    standIns: { accountId: "111122223333", region: "us-west-2", partition: "aws" },
                    config: {
                        "aws:region": "us-west-2", "mini:clusterName": "demo", "mini:enableShield": false,
                        "mini:failInApply": false, "mini:licenseKey": "[secret]", "mini:replicas": 2, "mini:subnetTags": [],
                    },
                });
        });

        it("records every resource with its type, name, parent and dependencies, in registration order", () => {
            assert.deepStrictEqual(
                plan.resources.map((r: any) => ({ type: r.type, name: r.name, custom: r.custom, parent: r.parent, dependencies: r.dependencies })),
                [
                    { type: "pulumi:pulumi:Stack", name: "mini-dev", custom: false, parent: undefined, dependencies: [] },
                    { type: "mini:index:MiniController", name: "mini", custom: false, parent: STACK_URN, dependencies: [] },
                    { type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider", name: "mini-oidc", custom: true, parent: COMPONENT_URN, dependencies: [] },
                    {
                        type: "aws:iam/role:Role", name: "mini-role", custom: true, parent: COMPONENT_URN,
                        dependencies: [urnOf("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "mini-oidc")],
                    },
                    {
                        type: "kubernetes:core/v1:ServiceAccount", name: "mini-sa", custom: true, parent: COMPONENT_URN,
                        dependencies: [urnOf("aws:iam/role:Role", "mini-role")],
                    },
                    {
                        type: "kubernetes:helm.sh/v3:Release", name: "mini-chart", custom: true, parent: COMPONENT_URN,
                        dependencies: [urnOf("kubernetes:core/v1:ServiceAccount", "mini-sa")],
                    },
                ]);
        });

        it("records inputs as plain JSON and the stand-ins' outputs", () => {
            const provider = plan.resources[2];
            assert.deepStrictEqual(provider, {
                urn: urnOf("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "mini-oidc"),
                type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
                name: "mini-oidc",
                custom: true,
                dependencies: [],
                inputs: { clientIdLists: ["sts.amazonaws.com"], url: `https://${ISSUER}` },
                outputs: {
                    arn: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}`,
                    clientIdLists: ["sts.amazonaws.com"],
                    tagsAll: {},
                    url: `https://${ISSUER}`,
                },
                parent: COMPONENT_URN,
                id: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}`,
            });
            assert.deepStrictEqual(plan.resources[1].outputs, { roleArn: ROLE_ARN }, "a component's registerOutputs are its outputs");
        });

        it("shows the trust policy, the ServiceAccount and the Helm release in full", () => {
            assert.deepStrictEqual(
                { trustPolicies: plan.trustPolicies, serviceAccounts: plan.serviceAccounts, helmReleases: plan.helmReleases },
                {
                    trustPolicies: [{ urn: urnOf("aws:iam/role:Role", "mini-role"), name: "mini-role", document: TRUST_DOCUMENT }],
                    serviceAccounts: [{
                        urn: urnOf("kubernetes:core/v1:ServiceAccount", "mini-sa"),
                        namespace: "kube-system", name: "mini", annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN },
                    }],
                    helmReleases: [{
                        urn: urnOf("kubernetes:helm.sh/v3:Release", "mini-chart"),
                        resourceName: "mini-chart", chart: "aws-load-balancer-controller", version: "1.13.0",
                        repo: "https://aws.github.io/eks-charts", namespace: "kube-system",
                        values: { clusterName: "demo", enableShield: false, replicaCount: 2, serviceAccount: { create: false, name: "mini" }, subnetTags: [] },
                    }],
                });
        });

        it("hides secret stack outputs and counts resources by type", () => {
            assert.deepStrictEqual({ outputs: plan.outputs, summary: plan.summary }, {
                outputs: { clusterSecret: "[secret]", license: "[secret]", roleArn: ROLE_ARN },
                summary: {
                    resources: 6,
                    byType: [
                        { type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider", count: 1 },
                        { type: "aws:iam/role:Role", count: 1 },
                        { type: "kubernetes:core/v1:ServiceAccount", count: 1 },
                        { type: "kubernetes:helm.sh/v3:Release", count: 1 },
                        { type: "mini:index:MiniController", count: 1 },
                        { type: "pulumi:pulumi:Stack", count: 1 },
                    ],
                },
            });
        });
    });

    it("prints the text plan: header, tree, trust policy, ServiceAccount, Helm values, outputs, count", () => {
        const run = runCli(["plan"], MINI_PROJECT);
        assert.deepStrictEqual({ status: run.status, stderr: run.stderr }, { status: 0, stderr: PROGRAM_PRINT });
        // The policy step's sections follow (pinned by its own tests); the plan's part comes first, whole.
        const summaryAt = run.stdout.indexOf("\n6 resources: ");
        const planPart = run.stdout.slice(0, run.stdout.indexOf("\n", summaryAt + 1) + 1);
        assert.strictEqual(planPart, [
            `Offline plan of stack "dev" (project mini) under Pulumi's mock runtime: nothing was sent to AWS or Kubernetes.`,
            "Stand-ins answered for the cloud: account 111122223333, region us-west-2, partition aws.",
            "",
            "Resources `pulumi up` would create:",
            "  + pulumi:pulumi:Stack mini-dev",
            "      + mini:index:MiniController mini",
            "          + aws:iam/openIdConnectProvider:OpenIdConnectProvider mini-oidc",
            "          + aws:iam/role:Role mini-role",
            "          + kubernetes:core/v1:ServiceAccount mini-sa",
            "          + kubernetes:helm.sh/v3:Release mini-chart",
            "",
            "Trust policy of role mini-role:",
            JSON.stringify(TRUST_DOCUMENT, null, 2),
            "",
            "ServiceAccount kube-system/mini:",
            `  eks.amazonaws.com/role-arn: ${ROLE_ARN}`,
            "",
            "Helm release mini-chart: chart aws-load-balancer-controller 1.13.0 from https://aws.github.io/eks-charts into namespace kube-system",
            "Values:",
            JSON.stringify({ clusterName: "demo", enableShield: false, replicaCount: 2, serviceAccount: { create: false, name: "mini" }, subnetTags: [] }, null, 2),
            "",
            "Outputs:",
            "  clusterSecret: [secret]",
            "  license: [secret]",
            `  roleArn: ${ROLE_ARN}`,
            "",
            "6 resources: 1 aws:iam/openIdConnectProvider:OpenIdConnectProvider, 1 aws:iam/role:Role, 1 kubernetes:core/v1:ServiceAccount, " +
            "1 kubernetes:helm.sh/v3:Release, 1 mini:index:MiniController, 1 pulumi:pulumi:Stack",
            "",
        ].join("\n"));
    });

    it("plans another stack in its partition: bare keys, typed strings, an encrypted value as a secret", () => {
        const run = runCli(["plan", "--stack", "gov", "--json"], MINI_PROJECT);
        assert.strictEqual(run.status, 0, run.stderr);
        const plan = JSON.parse(run.stdout);
        const govIssuer = "oidc.eks.us-gov-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
        assert.deepStrictEqual(
            {
                standIns: plan.standIns, config: plan.config, outputs: plan.outputs,
                principal: plan.trustPolicies[0].document.Statement[0].Principal, values: plan.helmReleases[0].values,
            },
            {
                standIns: { accountId: "111122223333", region: "us-gov-west-1", partition: "aws-us-gov" },
                config: {
                    "aws:region": "us-gov-west-1", "mini:clusterName": "demo-gov", "mini:enableShield": true, "mini:failInApply": false,
                    "mini:licenseKey": "[secret]", "mini:replicas": 3, "mini:subnetTags": ["a", "b"],
                },
                outputs: { clusterSecret: "[secret]", license: "[secret]", roleArn: "arn:aws-us-gov:iam::111122223333:role/mini-role-cccc948" },
                principal: { Federated: `arn:aws-us-gov:iam::111122223333:oidc-provider/${govIssuer}` },
                values: { clusterName: "demo-gov", enableShield: true, replicaCount: 3, serviceAccount: { create: false, name: "mini" }, subnetTags: ["a", "b"] },
            });
    });

    it("takes the project dir from --cwd and writes nothing into the project", () => {
        const before = snapshotDir(MINI_PROJECT);
        const run = runCli(["plan", "--json", "--cwd", MINI_PROJECT], "/");
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(JSON.parse(run.stdout).project, "mini");
        assert.deepStrictEqual(snapshotDir(MINI_PROJECT), before);
    });
});
