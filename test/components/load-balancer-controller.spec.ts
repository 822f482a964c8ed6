/** LoadBalancerController under mocks: exact policy, identity, Helm release, ordering and errors. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancerController, type LoadBalancerControllerArgs } from "../../components/load-balancer-controller";
import { InvalidArgumentsError } from "../../components/validation";
import { controllerPolicyDocument, SUPPORTED_CONTROLLER_VERSIONS } from "../../core/controller-policy";
import { KNOWN_REGIONS, type Partition } from "../../core/partition";
import { settledValueOf, startMockRun, valueOf, type MockRun } from "../helpers/pulumi-mocks";

const SHARED = path.resolve(__dirname, "..", "..", "..", "..", "shared");
const UPSTREAM = path.join(SHARED, "upstream", "aws-load-balancer-controller", "iam-policy");

const T = "eks-irsa-lbc:index:";
const LBC_URN = `urn:pulumi:test::eks-irsa-lbc::${T}LoadBalancerController::lbc`;
const IDENTITY_URN = `urn:pulumi:test::eks-irsa-lbc::${T}LoadBalancerController$${T}IrsaServiceAccount::lbc-identity`;
const urnIn = (parentType: string, type: string, name: string) => `urn:pulumi:test::eks-irsa-lbc::${parentType}$${type}::${name}`;
const ROLE_URN = urnIn(`${T}IrsaServiceAccount`, "aws:iam/role:Role", "lbc-identity-role");
const ATTACHMENT_URN = urnIn(`${T}IrsaServiceAccount`, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "lbc-identity-policy-0");
const SA_URN = urnIn(`${T}IrsaServiceAccount`, "kubernetes:core/v1:ServiceAccount", "lbc-identity-sa-kube-system/aws-load-balancer-controller");
const POLICY_URN = urnIn(`${T}LoadBalancerController`, "aws:iam/policy:Policy", "lbc-policy");

const PARTITIONS: Array<{ region: string; partition: Partition; issuerHost: string }> = [
    { region: "us-west-2", partition: "aws", issuerHost: "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" },
    { region: "cn-northwest-1", partition: "aws-cn", issuerHost: "oidc.eks.cn-northwest-1.amazonaws.com.cn/id/EXAMPLED539D4633E53DE1B71EXAMPLE" },
    { region: "us-gov-east-1", partition: "aws-us-gov", issuerHost: "oidc.eks.us-gov-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" },
];

function argsFor(p: (typeof PARTITIONS)[number], extra: Partial<LoadBalancerControllerArgs> = {}): LoadBalancerControllerArgs {
    return {
        clusterName: "demo",
        region: p.region,
        vpcId: "vpc-0123456789abcdef0",
        oidcProviderArn: `arn:${p.partition}:iam::111122223333:oidc-provider/${p.issuerHost}`,
        oidcIssuer: `https://${p.issuerHost}`,
        ...extra,
    };
}

async function build(p: (typeof PARTITIONS)[number], extra: Partial<LoadBalancerControllerArgs> = {}): Promise<{ run: MockRun; lbc: LoadBalancerController }> {
    const run = await startMockRun({ region: p.region });
    const lbc = new LoadBalancerController("lbc", argsFor(p, extra));
    await valueOf(lbc.chartValues);
    await run.settle();
    return { run, lbc };
}

/** A statement with its lists sorted, so documents compare regardless of order. */
function canonical(document: any): string[] {
    const sortDeep = (value: any): any =>
        Array.isArray(value)
            ? value.map(sortDeep).map((v) => JSON.stringify(v)).sort().map((v) => JSON.parse(v))
            : value && typeof value === "object"
              ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortDeep(value[k])]))
              : value;
    return document.Statement.map((s: any) => JSON.stringify(sortDeep(s))).sort();
}

describe("LoadBalancerController", () => {
    for (const p of PARTITIONS) {
        it(`creates the policy, identity and chart with exact inputs in ${p.region} (${p.partition})`, async () => {
            const { run, lbc } = await build(p);
            assert.deepStrictEqual(
                run.resources.map((r) => [r.type, r.name, r.parent]),
                [
                    [`${T}LoadBalancerController`, "lbc", undefined],
                    [`${T}IrsaServiceAccount`, "lbc-identity", LBC_URN],
                    ["aws:iam/policy:Policy", "lbc-policy", LBC_URN],
                    ["aws:iam/role:Role", "lbc-identity-role", IDENTITY_URN],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "lbc-identity-policy-0", IDENTITY_URN],
                    ["kubernetes:core/v1:ServiceAccount", "lbc-identity-sa-kube-system/aws-load-balancer-controller", IDENTITY_URN],
                    ["kubernetes:helm.sh/v3:Release", "lbc-chart", LBC_URN],
                ],
            );
            const policy = run.get("aws:iam/policy:Policy", "lbc-policy");
            assert.deepStrictEqual({ ...policy.inputs, policy: JSON.parse(policy.inputs.policy) }, {
                path: "/",
                description: `AWS Load Balancer Controller v3.5.0 permissions (${p.partition} partition)`,
                policy: controllerPolicyDocument("v3.5.0", p.partition),
            });

            const roleArn = await valueOf(lbc.roleArn);
            const policyArn = await valueOf(lbc.policyArn);
            assert.match(roleArn, new RegExp(`^arn:${p.partition}:iam::111122223333:role/lbc-identity-role-[0-9a-f]{7}$`));
            assert.match(policyArn, new RegExp(`^arn:${p.partition}:iam::111122223333:policy/lbc-policy-[0-9a-f]{7}$`));
            assert.deepStrictEqual(run.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "lbc-identity-policy-0").inputs, {
                role: roleArn.split("/").pop(),
                policyArn,
            });
            assert.deepStrictEqual(JSON.parse(run.get("aws:iam/role:Role", "lbc-identity-role").inputs.assumeRolePolicy).Statement[0].Condition, {
                StringEquals: {
                    [`${p.issuerHost}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller",
                    [`${p.issuerHost}:aud`]: "sts.amazonaws.com",
                },
            });
            assert.deepStrictEqual(run.get("kubernetes:core/v1:ServiceAccount", "lbc-identity-sa-kube-system/aws-load-balancer-controller").inputs.metadata, {
                name: "aws-load-balancer-controller",
                namespace: "kube-system",
                annotations: { "eks.amazonaws.com/role-arn": roleArn },
            });

            const release = run.get("kubernetes:helm.sh/v3:Release", "lbc-chart");
            assert.deepStrictEqual(release.inputs, {
                name: "aws-load-balancer-controller",
                namespace: "kube-system",
                chart: "aws-load-balancer-controller",
                version: "3.5.0",
                repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
                compat: "true",
                values: {
                    clusterName: "demo",
                    region: p.region,
                    vpcId: "vpc-0123456789abcdef0",
                    serviceAccount: { create: false, name: "aws-load-balancer-controller" },
                    image: { tag: "v3.5.0" },
                    replicaCount: 2,
                    podDisruptionBudget: { maxUnavailable: 1 },
                    keepTLSSecret: true,
                },
            });
            assert.deepStrictEqual(run.resources.filter((r) => r.ignoreChanges.length > 0), [], "no input is ignored");
            // The release waits for the annotated account and for the attached policy.
            assert.deepStrictEqual(release.dependencies, [ROLE_URN, ATTACHMENT_URN, SA_URN].sort());
            assert.deepStrictEqual(run.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "lbc-identity-policy-0").dependencies, [POLICY_URN, ROLE_URN].sort());

            assert.deepStrictEqual(
                {
                    serviceAccount: await valueOf(lbc.serviceAccount),
                    chartVersion: await valueOf(lbc.chartVersion),
                    controllerVersion: await valueOf(lbc.controllerVersion),
                },
                { serviceAccount: "kube-system/aws-load-balancer-controller", chartVersion: "3.5.0", controllerVersion: "v3.5.0" },
            );
        });

        it(`attaches exactly the upstream v3.5.0 permissions of ${p.partition} (order aside)`, async () => {
            const index = JSON.parse(fs.readFileSync(path.join(UPSTREAM, "index.json"), "utf8"));
            const upstream = JSON.parse(fs.readFileSync(path.join(UPSTREAM, index["v3.5.0"][p.partition]), "utf8"));
            const { run } = await build(p);
            assert.deepStrictEqual(canonical(JSON.parse(run.get("aws:iam/policy:Policy", "lbc-policy").inputs.policy)), canonical(upstream));
        });
    }

    for (const [given, tag, chart] of [["v2.13.0", "v2.13.0", "1.13.0"], ["v2.17.0", "v2.17.0", "1.16.0"], ["v3.4.1", "v3.4.1", "3.4.0"], ["3.0.0", "v3.0.0", "3.0.0"]]) {
        it(`pins chart ${chart} and image ${tag} for controller ${JSON.stringify(given)}`, async () => {
            const { run, lbc } = await build(PARTITIONS[0], { controllerVersion: given });
            const release = run.get("kubernetes:helm.sh/v3:Release", "lbc-chart");
            assert.deepStrictEqual([release.inputs.version, release.inputs.values.image], [chart, { tag }]);
            assert.deepStrictEqual([await valueOf(lbc.chartVersion), await valueOf(lbc.controllerVersion)], [chart, tag]);
            assert.deepStrictEqual(JSON.parse(run.get("aws:iam/policy:Policy", "lbc-policy").inputs.policy), controllerPolicyDocument(tag, "aws"));
            assert.strictEqual(run.get("aws:iam/policy:Policy", "lbc-policy").inputs.description, `AWS Load Balancer Controller ${tag} permissions (aws partition)`);
        });
    }

    it("runs in another namespace under another account name, and merges user values", async () => {
        const { run } = await build(PARTITIONS[0], {
            namespace: "ingress",
            serviceAccountName: "lbc",
            values: { replicaCount: 3, enableServiceMutatorWebhook: false, image: { repository: "registry.example/lbc" }, clusterName: "demo" },
            rolePath: "/controllers/",
            tags: { team: "platform" },
        });
        const release = run.get("kubernetes:helm.sh/v3:Release", "lbc-chart");
        assert.strictEqual(release.inputs.namespace, "ingress");
        assert.deepStrictEqual(release.inputs.values, {
            clusterName: "demo",
            region: "us-west-2",
            vpcId: "vpc-0123456789abcdef0",
            serviceAccount: { create: false, name: "lbc" },
            image: { repository: "registry.example/lbc", tag: "v3.5.0" },
            replicaCount: 2,
            enableServiceMutatorWebhook: false,
            podDisruptionBudget: { maxUnavailable: 1 },
            keepTLSSecret: true,
        });
        assert.deepStrictEqual(run.get("kubernetes:core/v1:ServiceAccount", "lbc-identity-sa-ingress/lbc").inputs.metadata.namespace, "ingress");
        const role = run.get("aws:iam/role:Role", "lbc-identity-role");
        assert.deepStrictEqual([role.inputs.path, role.inputs.tags], ["/controllers/", { team: "platform" }]);
        const policy = run.get("aws:iam/policy:Policy", "lbc-policy");
        assert.deepStrictEqual([policy.inputs.path, policy.inputs.tags], ["/controllers/", { team: "platform" }]);
        assert.strictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals[`${PARTITIONS[0].issuerHost}:sub`], "system:serviceaccount:ingress:lbc");
    });

    describe("validation", () => {
        const p = PARTITIONS[0];
        const supported = SUPPORTED_CONTROLLER_VERSIONS.join(", ");
        const cases: Array<[string, Partial<LoadBalancerControllerArgs>, string[]]> = [
            ["a cluster name starting with a dash", { clusterName: "-demo" }, ['clusterName: "-demo" is not valid: 1 to 100 characters: a letter or digit, then letters, digits, "-" or "_"']],
            ["a cluster name of 101 characters", { clusterName: "c".repeat(101) }, [`clusterName: "${"c".repeat(101)}" is not valid: 1 to 100 characters: a letter or digit, then letters, digits, "-" or "_"`]],
            ["an unknown region", { region: "us-west-9" }, [`region: "us-west-9" is not valid: a region of a known partition (aws, aws-cn, aws-us-gov): ${KNOWN_REGIONS.join(", ")}`]],
            ["a VPC id that is not one", { vpcId: "vpc-XYZ" }, ['vpcId: "vpc-XYZ" is not valid: "vpc-" followed by 8 or 17 lower-case hex digits']],
            ["a controller version older than v2.13", { controllerVersion: "v2.12.0" }, [`controllerVersion: "v2.12.0" is not valid: a supported AWS Load Balancer Controller release, with or without the leading "v" (default v3.5.0): ${supported}`]],
            ["a controller version that is a range", { controllerVersion: "^3.5.0" }, [`controllerVersion: "^3.5.0" is not valid: a supported AWS Load Balancer Controller release, with or without the leading "v" (default v3.5.0): ${supported}`]],
            ["a namespace with capitals", { namespace: "Kube-System" }, ['namespace: "Kube-System" is not valid: a DNS-1123 label: 1 to 63 lower-case letters, digits or "-", starting and ending with a letter or digit']],
            ["a service-account name with an underscore", { serviceAccountName: "aws_lbc" }, ['serviceAccountName: "aws_lbc" is not valid: a DNS-1123 subdomain: 1 to 253 lower-case letters, digits, "-" or ".", starting and ending with a letter or digit']],
            ["a role path without leading slash", { rolePath: "controllers/" }, ['rolePath: "controllers/" is not valid: an IAM path: "/" or a string that starts and ends with "/" (printable ASCII, no spaces, at most 512 characters)']],
            ["chart values that create the account", { values: { serviceAccount: { create: true } } }, [
                "values.serviceAccount.create: true is not valid: serviceAccount.create is set by the component to false (the component creates the annotated ServiceAccount itself); leave it out of values or give the same value",
            ]],
            ["chart values naming another cluster", { values: { clusterName: "prod" } }, [
                'values.clusterName: "prod" is not valid: clusterName is set by the component to "demo" (the cluster the controller manages); leave it out of values or give the same value',
            ]],
        ];
        for (const [what, extra, problems] of cases) {
            it(`rejects ${what} before registering anything`, async () => {
                const run = await startMockRun({ region: p.region });
                assert.throws(() => new LoadBalancerController("lbc", argsFor(p, extra)), (err: unknown) => {
                    assert.ok(err instanceof InvalidArgumentsError);
                    assert.deepStrictEqual([err.component, err.resourceName, err.problems], ["eks-irsa-lbc:index:LoadBalancerController", "lbc", problems]);
                    return true;
                });
                await run.settle();
                assert.deepStrictEqual(run.resources, []);
            });
        }

        it("lists every problem in one error, values conflicts last", async () => {
            await startMockRun({ region: p.region });
            assert.throws(
                () => new LoadBalancerController("lbc", argsFor(p, { clusterName: "", region: "mars-1", vpcId: "vpc-1", values: { serviceAccount: { name: "default" } } })),
                (err: unknown) => {
                    assert.ok(err instanceof InvalidArgumentsError);
                    assert.deepStrictEqual(err.problems, [
                        'clusterName: "" is not valid: 1 to 100 characters: a letter or digit, then letters, digits, "-" or "_"',
                        `region: "mars-1" is not valid: a region of a known partition (aws, aws-cn, aws-us-gov): ${KNOWN_REGIONS.join(", ")}`,
                        'vpcId: "vpc-1" is not valid: "vpc-" followed by 8 or 17 lower-case hex digits',
                        'values.serviceAccount.name: "default" is not valid: serviceAccount.name is set by the component to "aws-load-balancer-controller" (the pods must run as the annotated ServiceAccount); leave it out of values or give the same value',
                    ]);
                    return true;
                },
            );
        });

        it("rejects a values conflict with a VPC id that is only known once the VPC exists", async () => {
            await startMockRun({ region: p.region });
            const lbc = new LoadBalancerController("lbc", argsFor(p, { vpcId: pulumi.output("vpc-0123456789abcdef0"), values: { vpcId: "vpc-89abcdef" } }));
            await assert.rejects(settledValueOf(lbc.chartValues), (err: unknown) => {
                assert.ok(err instanceof InvalidArgumentsError);
                assert.deepStrictEqual(err.problems, [
                    'values.vpcId: "vpc-89abcdef" is not valid: vpcId is set by the component to "vpc-0123456789abcdef0" (the controller must not ask instance metadata for its VPC); leave it out of values or give the same value',
                ]);
                return true;
            });
        });

        it("rejects a role annotation in values that differs from the role the component creates", async () => {
            await startMockRun({ region: p.region });
            const other = "arn:aws:iam::444455556666:role/other";
            const lbc = new LoadBalancerController("lbc", argsFor(p, { values: { serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": other } } } }));
            const roleArn = await valueOf(lbc.roleArn);
            await assert.rejects(settledValueOf(lbc.chartValues), (err: unknown) => {
                assert.ok(err instanceof InvalidArgumentsError);
                assert.deepStrictEqual(err.problems, [
                    `values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]: "${other}" is not valid: the component annotates the ServiceAccount with its own role "${roleArn}"; leave it out or give the same value`,
                ]);
                return true;
            });
        });
    });
});
