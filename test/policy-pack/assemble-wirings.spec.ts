import * as assert from "assert";
import { assembleWirings, UnknownValue, type GenericResource } from "../../core/assemble";
import { urnOf, type TestResource } from "../helpers/policy-args";
import { ACCOUNT, helmValues, irsaStack, ISSUER, release, ROLE_ARN, role, serviceAccount, trustPolicy, withResource } from "./irsa-stack";

/** The stack as the assembler sees it (the same conversion the pack applies to PolicyResources). */
function generic(stack: TestResource[]): GenericResource[] {
    const byName = new Map(stack.map((r) => [r.name, r]));
    return stack.map((r) => ({
        urn: urnOf(r.type, r.name),
        type: r.type,
        name: r.name,
        props: JSON.parse(JSON.stringify(r.props)),
        dependencies: (r.dependsOn ?? []).map((n) => urnOf((byName.get(n) as TestResource).type, n)),
    }));
}

const URN = {
    role: urnOf("aws:iam/role:Role", "lbc-role"),
    provider: urnOf("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "oidc"),
    cluster: urnOf("aws:eks/cluster:Cluster", "cluster"),
    sa: urnOf("kubernetes:core/v1:ServiceAccount", "lbc-sa"),
    release: urnOf("kubernetes:helm.sh/v3:Release", "lbc-chart"),
    template: urnOf("aws:ec2/launchTemplate:LaunchTemplate", "nodes-lt"),
};

describe("assembleWirings", () => {
    it("turns a hand-written stack into one snapshot for the controller's role, with the owner of every part", () => {
        assert.deepStrictEqual(assembleWirings(generic(irsaStack())), [{
            snapshot: {
                trustPolicy: trustPolicy(),
                oidcProvider: { url: ISSUER, clientIdList: ["sts.amazonaws.com"], accountId: ACCOUNT },
                creationOrder: ["oidcProvider", "iamRole"],
                cluster: { name: "demo", region: "us-west-2", partition: "aws", accountId: ACCOUNT, oidcIssuer: ISSUER },
                serviceAccount: { namespace: "kube-system", exists: true, name: "aws-load-balancer-controller", roleArnAnnotation: ROLE_ARN },
                helmRelease: { name: "aws-load-balancer-controller", namespace: "kube-system" },
                helmValues: helmValues(),
                nodeMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 },
            },
            owners: {
                role: URN.role, oidcProvider: URN.provider, cluster: URN.cluster, serviceAccount: URN.sa,
                helmRelease: URN.release, nodeMetadata: URN.template,
            },
            roleUrn: URN.role,
            unknowns: [],
            problems: [],
        }]);
    });

    it("reads Helm values given as a JSON string and a trust given as an object", () => {
        const stack = withResource(withResource(irsaStack(), release({ values: JSON.stringify(helmValues()) })), role({ assumeRolePolicy: trustPolicy() }));
        const [wiring] = assembleWirings(generic(stack));
        assert.deepStrictEqual([wiring.snapshot.helmValues, wiring.snapshot.trustPolicy], [helmValues(), trustPolicy()]);
    });

    it("links the account to its role by dependency while the annotation is unknown, and says what is unknown", () => {
        const resources = generic(irsaStack());
        const sa = resources.find((r) => r.name === "lbc-sa") as GenericResource;
        (sa.props.metadata as Record<string, any>).annotations["eks.amazonaws.com/role-arn"] = new UnknownValue("string");
        const [wiring] = assembleWirings(resources);
        assert.deepStrictEqual(wiring.snapshot.serviceAccount, { namespace: "kube-system", exists: true, name: "aws-load-balancer-controller" });
        assert.deepStrictEqual(wiring.owners.serviceAccount, URN.sa);
        assert.deepStrictEqual(wiring.unknowns, [{
            urn: URN.sa,
            property: "metadata.annotations.eks.amazonaws.com/role-arn",
            path: ["metadata", "annotations", "eks.amazonaws.com/role-arn"],
            message: "metadata.annotations.eks.amazonaws.com/role-arn is not known until the resource is created; the check runs at update time",
        }]);
    });

    it("takes the account a chart creates from its values, and the permissions attached to the role", () => {
        const chartCreates = release({
            values: helmValues({ serviceAccount: { create: true, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN } } }),
        });
        const document = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "elasticloadbalancing:*", Resource: "*" }] };
        const stack = [
            ...withResource(irsaStack(), { ...chartCreates, dependsOn: ["lbc-role"] }).filter((r) => r.name !== "lbc-sa"),
            { type: "aws:iam/policy:Policy", name: "lbc-policy", props: { arn: `arn:aws:iam::${ACCOUNT}:policy/lbc`, policy: JSON.stringify(document) } },
            { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "lbc-attach", props: { role: "lbc-irsa", policyArn: `arn:aws:iam::${ACCOUNT}:policy/lbc` } },
        ];
        const [wiring] = assembleWirings(generic(stack));
        assert.deepStrictEqual(wiring.snapshot.serviceAccount, { namespace: "kube-system", name: "aws-load-balancer-controller" });
        assert.deepStrictEqual(wiring.owners.serviceAccount, URN.release);
        assert.deepStrictEqual(wiring.snapshot.controllerPolicy, document);
        assert.deepStrictEqual(wiring.owners.controllerPolicy, urnOf("aws:iam/policy:Policy", "lbc-policy"));
    });

    it("makes one wiring per account a shared role serves, each naming every intended subject", () => {
        const other: TestResource = { ...serviceAccount({ name: "other", namespace: "apps" }), name: "other-sa" };
        const stack = [...irsaStack().filter((r) => r.name !== "lbc-chart"), other];
        const wirings = assembleWirings(generic(stack));
        assert.deepStrictEqual(wirings.map((w) => [w.snapshot.serviceAccount?.name, w.snapshot.intendedSubjects]), [
            ["aws-load-balancer-controller", ["system:serviceaccount:kube-system:aws-load-balancer-controller", "system:serviceaccount:apps:other"]],
            ["other", ["system:serviceaccount:kube-system:aws-load-balancer-controller", "system:serviceaccount:apps:other"]],
        ]);
    });

    it("ignores roles that are not used through IRSA or Pod Identity", () => {
        const ec2 = role({ assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }) });
        assert.deepStrictEqual(assembleWirings(generic([{ ...ec2, dependsOn: [] }])), []);
    });

    it("reports a trust policy that is not JSON as a problem of the role", () => {
        const [wiring] = assembleWirings(generic(withResource(irsaStack(), role({ assumeRolePolicy: "{" }))));
        assert.deepStrictEqual(wiring.problems.map((p) => [p.urn, p.property]), [[URN.role, "assumeRolePolicy"]]);
        assert.strictEqual(wiring.snapshot.trustPolicy, undefined);
    });
});

describe("assembleWirings and roles pods cannot assume", () => {
    it("does not tie the controller's chart to a node role built in the same component", () => {
        const nodeRole: TestResource = {
            type: "aws:iam/role:Role", name: "node-role", parent: "platform",
            props: { name: "node-role", assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }) },
        };
        const platform: TestResource = { type: "my:index:Platform", name: "platform", props: {} };
        const chart: TestResource = { ...release(), parent: "platform", dependsOn: ["node-role"] };
        const resources = generic([platform, nodeRole, chart]).map((r) => ({ ...r, parent: r.name === "platform" ? undefined : urnOf("my:index:Platform", "platform") }));
        assert.deepStrictEqual(assembleWirings(resources), []);
    });
});
