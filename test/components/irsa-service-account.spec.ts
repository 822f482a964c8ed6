/** IrsaServiceAccount under mocks: exact role, trust document, attachments and annotated accounts. */
import * as assert from "assert";
import { IrsaServiceAccount, type IrsaServiceAccountArgs } from "../../components/irsa-service-account";
import { InvalidArgumentsError } from "../../components/validation";
import { startMockRun, valueOf, type MockRun } from "../helpers/pulumi-mocks";

const COMPONENT = "urn:pulumi:test::eks-irsa-lbc::eks-irsa-lbc:index:IrsaServiceAccount::app";
const ROLE_URN = "urn:pulumi:test::eks-irsa-lbc::eks-irsa-lbc:index:IrsaServiceAccount$aws:iam/role:Role::app-role";

interface PartitionCase {
    region: string;
    partition: string;
    issuerHost: string;
}

const PARTITIONS: PartitionCase[] = [
    { region: "us-west-2", partition: "aws", issuerHost: "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" },
    { region: "cn-north-1", partition: "aws-cn", issuerHost: "oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLED539D4633E53DE1B71EXAMPLE" },
    { region: "us-gov-west-1", partition: "aws-us-gov", issuerHost: "oidc.eks.us-gov-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" },
];

function argsFor(p: PartitionCase, extra: Partial<IrsaServiceAccountArgs> = {}): IrsaServiceAccountArgs {
    return {
        oidcProviderArn: `arn:${p.partition}:iam::111122223333:oidc-provider/${p.issuerHost}`,
        oidcIssuer: `https://${p.issuerHost}`,
        serviceAccounts: [{ namespace: "kube-system", name: "aws-load-balancer-controller" }],
        policyArns: [`arn:${p.partition}:iam::111122223333:policy/lbc`],
        ...extra,
    };
}

async function build(p: PartitionCase, extra: Partial<IrsaServiceAccountArgs> = {}): Promise<{ run: MockRun; component: IrsaServiceAccount }> {
    const run = await startMockRun({ region: p.region });
    const component = new IrsaServiceAccount("app", argsFor(p, extra));
    await valueOf(component.roleArn);
    await run.settle();
    return { run, component };
}

describe("IrsaServiceAccount", () => {
    for (const p of PARTITIONS) {
        it(`builds the exact role, trust document, attachment and annotated account in ${p.region} (${p.partition})`, async () => {
            const { run, component } = await build(p);
            const roleName = await valueOf(component.roleName);
            assert.match(roleName, /^app-role-[0-9a-f]{7}$/, "auto-named after the child resource");
            const roleArn = `arn:${p.partition}:iam::111122223333:role/${roleName}`;
            assert.deepStrictEqual(
                run.resources.map((r) => [r.type, r.name]),
                [
                    ["eks-irsa-lbc:index:IrsaServiceAccount", "app"],
                    ["aws:iam/role:Role", "app-role"],
                    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "app-policy-0"],
                    ["kubernetes:core/v1:ServiceAccount", "app-sa-kube-system/aws-load-balancer-controller"],
                ],
            );
            const role = run.get("aws:iam/role:Role", "app-role");
            assert.strictEqual(role.parent, COMPONENT);
            assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: `arn:${p.partition}:iam::111122223333:oidc-provider/${p.issuerHost}` },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: {
                                [`${p.issuerHost}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller",
                                [`${p.issuerHost}:aud`]: "sts.amazonaws.com",
                            },
                        },
                    },
                ],
            });
            assert.deepStrictEqual({ ...role.inputs, assumeRolePolicy: "(above)" }, {
                assumeRolePolicy: "(above)",
                path: "/",
                description: "IRSA role for kube-system/aws-load-balancer-controller",
            });
            const attachment = run.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "app-policy-0");
            assert.deepStrictEqual(attachment.inputs, { role: await valueOf(component.roleName), policyArn: `arn:${p.partition}:iam::111122223333:policy/lbc` });
            assert.strictEqual(attachment.parent, COMPONENT);
            assert.deepStrictEqual(attachment.dependencies, [ROLE_URN]);
            const account = run.get("kubernetes:core/v1:ServiceAccount", "app-sa-kube-system/aws-load-balancer-controller");
            assert.deepStrictEqual(account.inputs, {
                apiVersion: "v1",
                kind: "ServiceAccount",
                metadata: {
                    name: "aws-load-balancer-controller",
                    namespace: "kube-system",
                    annotations: { "eks.amazonaws.com/role-arn": roleArn },
                },
            });
            assert.deepStrictEqual(account.dependencies, [ROLE_URN], "the annotation comes from the role's arn output");
            assert.strictEqual(await valueOf(component.roleArn), roleArn);
        });
    }

    it("trusts several service accounts through one :sub value list and creates each account", async () => {
        const p = PARTITIONS[0];
        const { run, component } = await build(p, {
            serviceAccounts: [
                { namespace: "kube-system", name: "aws-load-balancer-controller" },
                { namespace: "apps", name: "lbc-canary" },
                { namespace: "apps", name: "lbc.blue" },
            ],
            policyArns: [],
        });
        const trust = JSON.parse(run.get("aws:iam/role:Role", "app-role").inputs.assumeRolePolicy);
        assert.deepStrictEqual(trust.Statement, [
            {
                Effect: "Allow",
                Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${p.issuerHost}` },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${p.issuerHost}:sub`]: [
                            "system:serviceaccount:kube-system:aws-load-balancer-controller",
                            "system:serviceaccount:apps:lbc-canary",
                            "system:serviceaccount:apps:lbc.blue",
                        ],
                        [`${p.issuerHost}:aud`]: "sts.amazonaws.com",
                    },
                },
            },
        ]);
        const roleArn = await valueOf(component.roleArn);
        assert.deepStrictEqual(
            run.ofType("kubernetes:core/v1:ServiceAccount").map((r) => [r.name, r.inputs.metadata]),
            [
                ["app-sa-kube-system/aws-load-balancer-controller", { name: "aws-load-balancer-controller", namespace: "kube-system", annotations: { "eks.amazonaws.com/role-arn": roleArn } }],
                ["app-sa-apps/lbc-canary", { name: "lbc-canary", namespace: "apps", annotations: { "eks.amazonaws.com/role-arn": roleArn } }],
                ["app-sa-apps/lbc.blue", { name: "lbc.blue", namespace: "apps", annotations: { "eks.amazonaws.com/role-arn": roleArn } }],
            ],
        );
        assert.deepStrictEqual(run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), []);
        assert.match(roleArn, /^arn:aws:iam::111122223333:role\/app-role-[0-9a-f]{7}$/);
        assert.strictEqual((await valueOf(component.trustPolicy)), run.get("aws:iam/role:Role", "app-role").inputs.assumeRolePolicy);
    });

    it("uses a custom role name, path, permissions boundary and tags, and attaches several policies in order", async () => {
        const p = PARTITIONS[2];
        const { run, component } = await build(p, {
            roleName: "lbc-controller",
            rolePath: "/platform/irsa/",
            permissionsBoundary: "arn:aws-us-gov:iam::111122223333:policy/boundaries/workloads",
            tags: { team: "platform", "cost-center": "42" },
            policyArns: ["arn:aws-us-gov:iam::111122223333:policy/lbc", "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"],
        });
        const role = run.get("aws:iam/role:Role", "app-role");
        assert.deepStrictEqual({ ...role.inputs, assumeRolePolicy: undefined }, {
            assumeRolePolicy: undefined,
            name: "lbc-controller",
            path: "/platform/irsa/",
            permissionsBoundary: "arn:aws-us-gov:iam::111122223333:policy/boundaries/workloads",
            description: "IRSA role for kube-system/aws-load-balancer-controller",
            tags: { team: "platform", "cost-center": "42" },
        });
        assert.strictEqual(await valueOf(component.roleArn), "arn:aws-us-gov:iam::111122223333:role/platform/irsa/lbc-controller");
        assert.deepStrictEqual(
            run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => [r.name, r.inputs]),
            [
                ["app-policy-0", { role: "lbc-controller", policyArn: "arn:aws-us-gov:iam::111122223333:policy/lbc" }],
                ["app-policy-1", { role: "lbc-controller", policyArn: "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess" }],
            ],
        );
        assert.deepStrictEqual(run.get("kubernetes:core/v1:ServiceAccount", "app-sa-kube-system/aws-load-balancer-controller").inputs.metadata.annotations, {
            "eks.amazonaws.com/role-arn": "arn:aws-us-gov:iam::111122223333:role/platform/irsa/lbc-controller",
        });
    });

    describe("validation", () => {
        const p = PARTITIONS[0];
        const cases: Array<[string, Partial<IrsaServiceAccountArgs>, string[]]> = [
            ["no service accounts", { serviceAccounts: [] }, ["serviceAccounts: [] is not valid: a list of at least one { namespace, name }"]],
            ["a namespace that is not a DNS-1123 label", { serviceAccounts: [{ namespace: "Kube_System", name: "lbc" }] }, [
                'serviceAccounts[0].namespace: "Kube_System" is not valid: a DNS-1123 label: 1 to 63 lower-case letters, digits or "-", starting and ending with a letter or digit',
            ]],
            ["a service-account name that is not a DNS-1123 subdomain", { serviceAccounts: [{ namespace: "apps", name: "lbc-" }] }, [
                'serviceAccounts[0].name: "lbc-" is not valid: a DNS-1123 subdomain: 1 to 253 lower-case letters, digits, "-" or ".", starting and ending with a letter or digit',
            ]],
            ["the same account twice", { serviceAccounts: [{ namespace: "apps", name: "a" }, { namespace: "apps", name: "a" }] }, [
                'serviceAccounts[1]: {"namespace":"apps","name":"a"} is not valid: each service account once; apps/a is listed twice',
            ]],
            ["a provider ARN that is not one", { oidcProviderArn: "arn:aws:iam::111122223333:role/x" }, [
                'oidcProviderArn: "arn:aws:iam::111122223333:role/x" is not valid: an IAM OIDC provider ARN: arn:<partition>:iam::<account id>:oidc-provider/<issuer host and path>',
            ]],
            ["a provider of another issuer", { oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLEOLDCLUSTER4633E53DE1BOLD" }, [
                'oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLEOLDCLUSTER4633E53DE1BOLD" is not valid: the ARN of the provider for the issuer "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", ending in ":oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"',
            ]],
            ["an issuer with a query", { oidcIssuer: "https://oidc.example.com/?x=1" }, [
                'oidcIssuer: "https://oidc.example.com/?x=1" is not valid: the cluster\'s issuer URL (https://<host>/<path>) or its host and path, without port, query or fragment',
            ]],
            ["a policy ARN that is not one", { policyArns: ["AmazonEKSLoadBalancerControllerPolicy"] }, [
                'policyArns[0]: "AmazonEKSLoadBalancerControllerPolicy" is not valid: an IAM policy ARN: arn:<partition>:iam::<account id or "aws">:policy/<path><name>',
            ]],
            ["a role name with a slash", { roleName: "team/lbc" }, ['roleName: "team/lbc" is not valid: 1 to 64 characters: letters, digits or + = , . @ _ -']],
            ["a role path without a trailing slash", { rolePath: "/platform" }, [
                'rolePath: "/platform" is not valid: an IAM path: "/" or a string that starts and ends with "/" (printable ASCII, no spaces, at most 512 characters)',
            ]],
            ["a permissions boundary that is not a policy ARN", { permissionsBoundary: "boundary" }, [
                'permissionsBoundary: "boundary" is not valid: an IAM policy ARN: arn:<partition>:iam::<account id or "aws">:policy/<path><name>',
            ]],
        ];
        for (const [what, extra, problems] of cases) {
            it(`rejects ${what} before registering anything`, async () => {
                const run = await startMockRun({ region: p.region });
                assert.throws(() => new IrsaServiceAccount("app", argsFor(p, extra)), (err: unknown) => {
                    assert.ok(err instanceof InvalidArgumentsError);
                    assert.deepStrictEqual(
                        { name: err.name, component: err.component, resourceName: err.resourceName, problems: err.problems, message: err.message },
                        {
                            name: "InvalidArgumentsError",
                            component: "eks-irsa-lbc:index:IrsaServiceAccount",
                            resourceName: "app",
                            problems,
                            message: `invalid arguments for eks-irsa-lbc:index:IrsaServiceAccount "app": ${problems.join("; ")}`,
                        },
                    );
                    return true;
                });
                await run.settle();
                assert.deepStrictEqual(run.resources, []);
            });
        }

        it("lists every problem in one error", async () => {
            await startMockRun({ region: p.region });
            assert.throws(
                () => new IrsaServiceAccount("app", argsFor(p, { serviceAccounts: [{ namespace: "", name: "A" }], roleName: "", rolePath: "x" })),
                (err: unknown) => {
                    assert.ok(err instanceof InvalidArgumentsError);
                    assert.deepStrictEqual(err.problems, [
                        'serviceAccounts[0].namespace: "" is not valid: a DNS-1123 label: 1 to 63 lower-case letters, digits or "-", starting and ending with a letter or digit',
                        'serviceAccounts[0].name: "A" is not valid: a DNS-1123 subdomain: 1 to 253 lower-case letters, digits, "-" or ".", starting and ending with a letter or digit',
                        'roleName: "" is not valid: 1 to 64 characters: letters, digits or + = , . @ _ -',
                        'rolePath: "x" is not valid: an IAM path: "/" or a string that starts and ends with "/" (printable ASCII, no spaces, at most 512 characters)',
                    ]);
                    return true;
                },
            );
        });
    });
});
