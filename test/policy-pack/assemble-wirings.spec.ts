import * as assert from "assert";
import { analyze } from "../../core";
import { assembleWirings, faultUrn, UnknownValue, type GenericResource } from "../../core/assemble";
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
        dependencies: (r.dependsOn ?? []).filter((n) => byName.has(n)).map((n) => urnOf((byName.get(n) as TestResource).type, n)),
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

    it("merges the permissions of every attachment of the role (by name, by ARN, by dependency when it names no role), in the stack's order", () => {
        const doc = (action: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });
        const policy = (name: string, action: string): TestResource => ({
            type: "aws:iam/policy:Policy", name, props: { arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`, policy: JSON.stringify(doc(action)) },
        });
        const attach = (name: string, props: Record<string, unknown>, dependsOn: string[] = []): TestResource => ({
            type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, props, dependsOn,
        });
        const stack = [
            ...irsaStack(),
            policy("p-arn", "elasticloadbalancing:*"), policy("p-dep", "ec2:Describe*"), policy("p-other", "s3:*"),
            attach("by-arn", { role: ROLE_ARN, policyArn: `arn:aws:iam::${ACCOUNT}:policy/p-arn` }),
            attach("other-role", { role: "someone-else", policyArn: `arn:aws:iam::${ACCOUNT}:policy/p-other` }),
            { type: "aws:iam/rolePolicy:RolePolicy", name: "inline", props: { role: "lbc-irsa", policy: JSON.stringify(doc("acm:ListCertificates")) } },
            attach("by-dependency", {}, ["lbc-role", "p-dep"]),
            attach("unnamed-elsewhere", {}, ["p-other"]),
        ];
        const [wiring] = assembleWirings(generic(stack));
        assert.deepStrictEqual(wiring.snapshot.controllerPolicy, {
            Version: "2012-10-17",
            Statement: ["elasticloadbalancing:*", "acm:ListCertificates", "ec2:Describe*"].map((action) => doc(action).Statement[0]),
        });
        assert.strictEqual(wiring.owners.controllerPolicy, URN.role);
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

    it("describes an account the chart needs but the managed stack lacks as absent, with no annotation (as `check` reads it)", () => {
        const stack = irsaStack().filter((r) => r.name !== "lbc-sa");
        const [wiring] = assembleWirings(generic(stack), { serviceAccountsManagedInStack: true });
        assert.deepStrictEqual(wiring.snapshot.serviceAccount, { namespace: "kube-system", name: "aws-load-balancer-controller", exists: false });
        assert.strictEqual(wiring.owners.serviceAccount, URN.release);
        assert.deepStrictEqual(analyze(wiring.snapshot).findings.map((f) => f.rule), ["service-account-missing"]);
        const [unmanaged] = assembleWirings(generic(stack));
        assert.deepStrictEqual(unmanaged.snapshot.serviceAccount, { namespace: "kube-system", name: "aws-load-balancer-controller" });
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

describe("assembleWirings in a stack of several clusters", () => {
    /** The same chain twice, once per cluster: same namespace and account name, different roles. */
    function twoClusters(): GenericResource[] {
        const copy = (suffix: string) => generic(irsaStack().filter((r) => ["oidc", "lbc-role", "lbc-sa", "lbc-chart"].includes(r.name)).map((r) => ({
            ...r,
            name: `${r.name}-${suffix}`,
            dependsOn: r.dependsOn?.map((d) => `${d}-${suffix}`),
            props: r.name === "lbc-role" ? { ...r.props, name: `lbc-irsa-${suffix}`, arn: `${ROLE_ARN}-${suffix}` }
                : r.name === "lbc-sa" ? { metadata: { ...(r.props.metadata as object), annotations: { "eks.amazonaws.com/role-arn": `${ROLE_ARN}-${suffix}` } } }
                : r.name === "oidc" ? { ...r.props, url: `${ISSUER}${suffix}`, arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER.slice(8)}${suffix}` }
                : r.props,
        })));
        return [...copy("a"), ...copy("b")];
    }

    it("ties each chart to the account of its own cluster, by dependency", () => {
        const wirings = assembleWirings(twoClusters());
        assert.deepStrictEqual(wirings.map((w) => [w.roleUrn.split("::").pop(), w.owners.serviceAccount?.split("::").pop(), w.owners.helmRelease?.split("::").pop()]), [
            ["lbc-role-a", "lbc-sa-a", "lbc-chart-a"],
            ["lbc-role-b", "lbc-sa-b", "lbc-chart-b"],
        ]);
    });

    it("tells accounts apart by their Kubernetes provider", () => {
        const resources = twoClusters().map((r) => ({
            ...r,
            provider: r.name.endsWith("-a") ? "urn:pulumi:dev::proj::pulumi:providers:kubernetes::k8s-a::id-a" : "urn:pulumi:dev::proj::pulumi:providers:kubernetes::k8s-b::id-b",
            // No dependency from the chart to its account: only the provider says which cluster it is in.
            dependencies: r.type === "kubernetes:helm.sh/v3:Release" ? [] : r.dependencies,
        }));
        assert.deepStrictEqual(assembleWirings(resources).map((w) => [w.roleUrn.split("::").pop(), w.owners.helmRelease?.split("::").pop()]), [
            ["lbc-role-a", "lbc-chart-a"],
            ["lbc-role-b", "lbc-chart-b"],
        ]);
    });

    it("does not take an annotation that names a role outside the stack for one of its own", () => {
        const elsewhere = `arn:aws:iam::${ACCOUNT}:role/managed-elsewhere`;
        // Without the chart, the account is tied to no role of the stack, although it depends on one.
        const alone = generic(withResource(irsaStack(), serviceAccount({ annotations: { "eks.amazonaws.com/role-arn": elsewhere } })).filter((r) => r.name !== "lbc-chart"));
        assert.deepStrictEqual(assembleWirings(alone).map((w) => w.owners.serviceAccount), [undefined]);
        // With it, the role that trusts exactly the chart's account is tied to the chart, and the account is described as it is.
        const [wiring] = assembleWirings(generic(withResource(irsaStack(), serviceAccount({ annotations: { "eks.amazonaws.com/role-arn": elsewhere } }))));
        assert.deepStrictEqual([wiring.owners.serviceAccount, wiring.owners.helmRelease, wiring.snapshot.serviceAccount?.roleArnAnnotation], [URN.sa, URN.release, elsewhere]);
    });
});

describe("assembleWirings and an account without a role annotation in a stack of several clusters", () => {
    const SA_TYPE = "kubernetes:core/v1:ServiceAccount";
    const issuerOf = (c: string) => `https://oidc.eks.us-west-2.amazonaws.com/id/${c.toUpperCase().padStart(32, "0")}`;
    const urns = (c: string) => ({
        provider: urnOf("aws:iam/openIdConnectProvider:OpenIdConnectProvider", `oidc-${c}`),
        kubernetes: `${urnOf("pulumi:providers:kubernetes", `k8s-${c}`)}::k8s-${c}-id`,
        role: urnOf("aws:iam/role:Role", `lbc-role-${c}`),
        sa: urnOf(SA_TYPE, `lbc-sa-${c}`),
        release: urnOf("kubernetes:helm.sh/v3:Release", `lbc-chart-${c}`),
    });
    const trustOf = (c: string) => {
        const host = issuerOf(c).slice("https://".length);
        return {
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}` },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: { [`${host}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller", [`${host}:aud`]: "sts.amazonaws.com" } },
            }],
        };
    };
    const roleArnOf = (c: string) => `arn:aws:iam::${ACCOUNT}:role/lbc-irsa-${c}`;
    const valuesOf = (c: string) => helmValues({ clusterName: c });

    /**
     * One chain per cluster, as bench/pack-load.ts generates them: the account and the chart in
     * their cluster's Kubernetes provider, the account built from its role, the chart waiting for
     * the account only. Every role trusts the same `system:serviceaccount:kube-system:aws-load-balancer-controller`.
     */
    function chain(c: string, annotated: boolean): GenericResource[] {
        const u = urns(c);
        const host = issuerOf(c).slice("https://".length);
        return [
            {
                urn: u.provider, type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider", name: `oidc-${c}`,
                props: { url: issuerOf(c), clientIdLists: ["sts.amazonaws.com"], arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}` }, dependencies: [],
            },
            {
                urn: u.role, type: "aws:iam/role:Role", name: `lbc-role-${c}`,
                props: { name: `lbc-irsa-${c}`, arn: roleArnOf(c), assumeRolePolicy: JSON.stringify(trustOf(c)) }, dependencies: [u.provider],
            },
            {
                urn: u.sa, type: SA_TYPE, name: `lbc-sa-${c}`, provider: u.kubernetes,
                props: { metadata: { name: "aws-load-balancer-controller", namespace: "kube-system", annotations: annotated ? { "eks.amazonaws.com/role-arn": roleArnOf(c) } : {} } },
                dependencies: [u.role],
            },
            {
                urn: u.release, type: "kubernetes:helm.sh/v3:Release", name: `lbc-chart-${c}`, provider: u.kubernetes,
                props: { name: "aws-load-balancer-controller", chart: "aws-load-balancer-controller", namespace: "kube-system", values: valuesOf(c) },
                dependencies: [u.sa],
            },
        ];
    }

    function expected(c: string, roleArnAnnotation: string | null): unknown {
        const u = urns(c);
        return {
            snapshot: {
                trustPolicy: trustOf(c),
                oidcProvider: { url: issuerOf(c), clientIdList: ["sts.amazonaws.com"], accountId: ACCOUNT },
                creationOrder: ["oidcProvider", "iamRole"],
                cluster: { region: "us-west-2", partition: "aws", accountId: ACCOUNT, oidcIssuer: issuerOf(c) },
                serviceAccount: { namespace: "kube-system", exists: true, name: "aws-load-balancer-controller", roleArnAnnotation },
                helmRelease: { name: "aws-load-balancer-controller", namespace: "kube-system" },
                helmValues: valuesOf(c),
            },
            owners: { role: u.role, oidcProvider: u.provider, serviceAccount: u.sa, helmRelease: u.release },
            roleUrn: u.role,
            unknowns: [],
            problems: [],
        };
    }

    const notAnnotatedOn = (wiring: ReturnType<typeof assembleWirings>[number]) => analyze(wiring.snapshot).findings
        .filter((f) => f.rule === "service-account-not-annotated")
        .map((f) => faultUrn(wiring.owners, wiring.roleUrn, f.path));

    it("ties the second cluster's unannotated account to the role that trusts it there, and reports it on that account", () => {
        const wirings = assembleWirings([...chain("a", true), ...chain("b", false)]);
        assert.deepStrictEqual(wirings, [expected("a", roleArnOf("a")), expected("b", null)]);
        assert.deepStrictEqual(wirings.map(notAnnotatedOn), [[], [urns("b").sa]]);
    });

    it("does the same whichever cluster's account lacks the annotation, as with one cluster", () => {
        assert.deepStrictEqual(assembleWirings([...chain("a", false), ...chain("b", true)]), [expected("a", null), expected("b", roleArnOf("b"))]);
        assert.deepStrictEqual(assembleWirings(chain("b", false)), [expected("b", null)]);
    });
});
