import * as assert from "assert";
import { analyze, parseSnapshot, type WiringSnapshot } from "../../core";
import { irsaChainIntact, irsaWiringLeastPrivilege, roleTrustLeastPrivilege } from "../../policy-pack/policies";
import { runResourcePolicy, runStackPolicy, UNKNOWN, urnOf, unknownDuringPreview, type TestResource } from "../helpers/policy-args";
import { fromCore } from "./expect";
import {
    ACCOUNT, HOST_PATH, ISSUER, ROLE_ARN, helmValues, irsaStack, launchTemplate, provider, release, role, serviceAccount, trustPolicy, withResource,
} from "./irsa-stack";

const CLEAN = { violations: [], notApplicable: [] };
const CONTEXT = "role lbc-role, service account kube-system/aws-load-balancer-controller";
const ROLE_URN = urnOf("aws:iam/role:Role", "lbc-role");
const PROVIDER_URN = urnOf("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "oidc");
const RELEASE_URN = urnOf("kubernetes:helm.sh/v3:Release", "lbc-chart");

/** The snapshot the correct stack assembles to (asserted in assemble-wirings.spec.ts). */
function stackSnapshot(): WiringSnapshot {
    return {
        trustPolicy: trustPolicy(),
        oidcProvider: { url: ISSUER, clientIdList: ["sts.amazonaws.com"], accountId: ACCOUNT },
        creationOrder: ["oidcProvider", "iamRole"],
        cluster: { name: "demo", region: "us-west-2", partition: "aws", accountId: ACCOUNT, oidcIssuer: ISSUER },
        serviceAccount: { namespace: "kube-system", exists: true, name: "aws-load-balancer-controller", roleArnAnnotation: ROLE_ARN },
        helmRelease: { name: "aws-load-balancer-controller", namespace: "kube-system" },
        helmValues: helmValues(),
        nodeMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 },
    };
}

describe("policy irsa-chain-intact", () => {
    it("passes the correct stack", async () => {
        assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, irsaStack()), CLEAN);
    });

    it("fails a chart that runs the pods as another account than the trusted one, on the role and on the release", async () => {
        const stack = withResource(irsaStack(), release({ values: helmValues({ serviceAccount: { create: false, name: "lbc" } }) }));
        const snapshot = { ...stackSnapshot(), helmValues: helmValues({ serviceAccount: { create: false, name: "lbc" } }) };
        assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, stack), {
            violations: [
                fromCore(irsaChainIntact, snapshot, "trust-policy-denies", { urn: ROLE_URN, context: CONTEXT }),
                fromCore(irsaChainIntact, snapshot, "helm-service-account-mismatch", { urn: RELEASE_URN, context: CONTEXT }),
            ],
            notApplicable: [],
        });
    });

    it("fails a provider in another account than the role, on the provider", async () => {
        const foreign = `arn:aws:iam::444455556666:oidc-provider/${HOST_PATH}`;
        const run = await runStackPolicy(irsaChainIntact, withResource(irsaStack(), provider({ arn: foreign })));
        const snapshot = { ...stackSnapshot(), oidcProvider: { url: ISSUER, clientIdList: ["sts.amazonaws.com"], accountId: "444455556666" } };
        assert.deepStrictEqual(run.violations, [fromCore(irsaChainIntact, snapshot, "oidc-provider-wrong-account", { urn: PROVIDER_URN, context: CONTEXT })]);
    });

    it("fails a role that does not wait for the provider it trusts", async () => {
        const run = await runStackPolicy(irsaChainIntact, withResource(irsaStack(), { ...role(), dependsOn: [] }));
        const snapshot = { ...stackSnapshot(), creationOrder: ["iamRole", "oidcProvider"] };
        assert.deepStrictEqual(run.violations, [fromCore(irsaChainIntact, snapshot, "trust-provider-created-after-role", { urn: ROLE_URN, context: CONTEXT })]);
    });

    it("fails a missing provider only when the stack is said to manage its providers", async () => {
        const stack = irsaStack().filter((r) => r.name !== "oidc");
        assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, stack), CLEAN);
        const { creationOrder: _, ...rest } = stackSnapshot();
        const run = await runStackPolicy(irsaChainIntact, stack, { config: { oidcProvidersManagedInStack: true } });
        assert.deepStrictEqual(run.violations, [fromCore(irsaChainIntact, { ...rest, oidcProvider: null }, "oidc-provider-missing", { urn: ROLE_URN, context: CONTEXT })]);
    });

    it("fails a service account the chart needs but nobody creates, when the stack is said to manage its accounts", async () => {
        const stack = irsaStack().filter((r) => r.name !== "lbc-sa");
        assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, stack), CLEAN);
        const snapshot = {
            ...stackSnapshot(),
            serviceAccount: { namespace: "kube-system", name: "aws-load-balancer-controller", exists: false },
        };
        const run = await runStackPolicy(irsaChainIntact, stack, { config: { serviceAccountsManagedInStack: true } });
        // Only "missing": an account that does not exist has no annotation to complain about.
        assert.deepStrictEqual(run.violations, [
            fromCore(irsaChainIntact, snapshot, "service-account-missing", { urn: RELEASE_URN, context: CONTEXT }),
        ]);
    });

    it("gives the verdict `check` gives on the same facts for a missing account, however the snapshot spells them", async () => {
        const stack = irsaStack().filter((r) => r.name !== "lbc-sa");
        const run = await runStackPolicy(irsaChainIntact, stack, { config: { serviceAccountsManagedInStack: true } });
        assert.deepStrictEqual(run.violations.map((v) => / \[rule ([a-z-]+) at /.exec(v.message)?.[1]), ["service-account-missing"]);
        // As `check` reads a hand-written snapshot: with or without roleArnAnnotation, an absent account is one finding.
        for (const roleArnAnnotation of [undefined, null, ROLE_ARN]) {
            const serviceAccount = { namespace: "kube-system", name: "aws-load-balancer-controller", exists: false, ...(roleArnAnnotation !== undefined ? { roleArnAnnotation } : {}) };
            const analysis = analyze(parseSnapshot({ ...stackSnapshot(), serviceAccount }, "check"));
            assert.deepStrictEqual(analysis.findings.map((f) => [f.rule, f.path]), [["service-account-missing", "serviceAccount.exists"]], String(roleArnAnnotation));
            assert.strictEqual(analysis.chain.link, "service-account-missing");
        }
    });

    it("fails nodes with hop limit 1 under a chart that sets neither region nor vpcId, on the release", async () => {
        const values = helmValues({ region: undefined, vpcId: undefined });
        const stack = withResource(withResource(irsaStack(), launchTemplate({ httpTokens: "required", httpPutResponseHopLimit: 1 })), release({ values }));
        const snapshot = { ...stackSnapshot(), helmValues: JSON.parse(JSON.stringify(values)), nodeMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } };
        assert.deepStrictEqual((await runStackPolicy(irsaChainIntact, stack)).violations, [
            fromCore(irsaChainIntact, snapshot, "controller-imds-unreachable", { urn: RELEASE_URN, context: CONTEXT }),
        ]);
    });

    it("does not repeat what a resource policy reports about one resource", async () => {
        const stack = withResource(irsaStack(), provider({ clientIdLists: ["sts.us-west-2.amazonaws.com"] }));
        assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, stack), CLEAN);
    });

    it("reports the audience the wiring shows: a custom audience annotation that neither the provider nor the trust accepts", async () => {
        const stack = withResource(irsaStack(), serviceAccount({ annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN, "eks.amazonaws.com/audience": "sts.us-west-2.amazonaws.com" } }));
        const snapshot = { ...stackSnapshot(), serviceAccount: { namespace: "kube-system", exists: true, name: "aws-load-balancer-controller", roleArnAnnotation: ROLE_ARN, audienceAnnotation: "sts.us-west-2.amazonaws.com" } };
        assert.deepStrictEqual((await runStackPolicy(irsaChainIntact, stack)).violations, [
            fromCore(irsaChainIntact, snapshot, "token-audience-not-accepted", { urn: PROVIDER_URN, context: CONTEXT }),
            fromCore(irsaChainIntact, snapshot, "trust-policy-denies", { urn: ROLE_URN, context: CONTEXT }),
        ]);
    });

    it("judges the known facts and reports an unknown annotation as checked at update time", async () => {
        const stack = withResource(irsaStack(), serviceAccount({ annotations: { "eks.amazonaws.com/role-arn": UNKNOWN } }));
        assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, stack), {
            violations: [{
                policyName: "irsa-chain-intact",
                enforcementLevel: "advisory",
                message: unknownDuringPreview("irsa-chain-intact", "string value at .lbc-sa.metadata.annotations.eks.amazonaws.com/role-arn can't be known during preview"),
            }],
            notApplicable: [],
        });
        // The unknown annotation does not hide a broken link elsewhere.
        const broken = withResource(stack, release({ values: helmValues({ serviceAccount: { create: false, name: "lbc" } }) }));
        assert.deepStrictEqual((await runStackPolicy(irsaChainIntact, broken)).violations.map((v) => [v.enforcementLevel, v.urn]), [
            ["mandatory", ROLE_URN],
            ["mandatory", RELEASE_URN],
            ["advisory", undefined],
        ]);
    });

    it("is not applicable to a stack without IRSA roles", async () => {
        assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, irsaStack().filter((r) => r.name === "cluster")), {
            violations: [],
            notApplicable: [{ policyName: "irsa-chain-intact", reason: "the stack has no IAM role used through IRSA or Pod Identity" }],
        });
    });
});

describe("policy irsa-wiring-least-privilege", () => {
    const OTHER_ISSUER = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLEOLDCLUSTER4633E53DE1BOLD";
    /** Any principal, with conditions on another cluster's issuer: only the cluster in view says they never apply. */
    const wildcardTrust = {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow", Principal: "*", Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { [`${OTHER_ISSUER}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller", [`${OTHER_ISSUER}:aud`]: "sts.amazonaws.com" } },
        }],
    };

    it("passes the correct stack", async () => {
        assert.deepStrictEqual(await runStackPolicy(irsaWiringLeastPrivilege, irsaStack()), CLEAN);
    });

    it("reports what only the wiring shows, and not what the role's own policy reports", async () => {
        const stack = withResource(irsaStack(), role({ assumeRolePolicy: JSON.stringify(wildcardTrust) }));
        const { creationOrder: _, ...rest } = stackSnapshot();
        const snapshot = { ...rest, trustPolicy: wildcardTrust };
        const run = await runStackPolicy(irsaWiringLeastPrivilege, stack);
        assert.deepStrictEqual(run.violations.map((v) => /\[rule ([a-z-]+) at /.exec(v.message)?.[1]), [
            "trust-sub-condition-missing", "trust-aud-not-pinned", "trust-condition-key-foreign-provider", "trust-condition-key-foreign-provider",
        ]);
        assert.deepStrictEqual(run.violations.slice(0, 2), [
            fromCore(irsaWiringLeastPrivilege, snapshot, "trust-sub-condition-missing", { urn: ROLE_URN, context: CONTEXT }),
            fromCore(irsaWiringLeastPrivilege, snapshot, "trust-aud-not-pinned", { urn: ROLE_URN, context: CONTEXT }),
        ]);
        const alone = await runResourcePolicy(roleTrustLeastPrivilege, role({ assumeRolePolicy: JSON.stringify(wildcardTrust) }));
        assert.deepStrictEqual(alone.violations.map((v) => /\[rule ([a-z-]+) at /.exec(v.message)?.[1]), ["trust-principal-wildcard"]);
    });

    it("drops the aud finding when configured not to require it", async () => {
        const stack = withResource(irsaStack(), role({ assumeRolePolicy: JSON.stringify(wildcardTrust) }));
        const run = await runStackPolicy(irsaWiringLeastPrivilege, stack, { config: { requireAudienceCondition: false } });
        assert.deepStrictEqual(run.violations.map((v) => /\[rule ([a-z-]+) at /.exec(v.message)?.[1]), [
            "trust-sub-condition-missing", "trust-condition-key-foreign-provider", "trust-condition-key-foreign-provider",
        ]);
    });

    it("reports an unknown annotation as checked at update time", async () => {
        const stack = withResource(irsaStack(), serviceAccount({ annotations: { "eks.amazonaws.com/role-arn": UNKNOWN } }));
        assert.deepStrictEqual((await runStackPolicy(irsaWiringLeastPrivilege, stack)).violations, [{
            policyName: "irsa-wiring-least-privilege",
            enforcementLevel: "advisory",
            message: unknownDuringPreview("irsa-wiring-least-privilege", "string value at .lbc-sa.metadata.annotations.eks.amazonaws.com/role-arn can't be known during preview"),
        }]);
    });
});

describe("policy irsa-chain-intact and subnet discovery", () => {
    /** Two private subnets in two zones behind a route table without an internet gateway, one public. */
    function network(tags: Record<string, string>, scheme = "internal"): TestResource[] {
        return [
            { type: "aws:ec2/internetGateway:InternetGateway", name: "igw", props: { id: "igw-1" } },
            { type: "aws:ec2/routeTable:RouteTable", name: "public", props: { id: "rtb-pub", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }] } },
            { type: "aws:ec2/routeTable:RouteTable", name: "private", props: { id: "rtb-priv", routes: [] } },
            { type: "aws:ec2/subnet:Subnet", name: "private-a", props: { id: "subnet-a", vpcId: "vpc-0example", availabilityZone: "us-west-2a", tags } },
            { type: "aws:ec2/subnet:Subnet", name: "private-b", props: { id: "subnet-b", vpcId: "vpc-0example", availabilityZone: "us-west-2b", tags } },
            { type: "aws:ec2/subnet:Subnet", name: "public-a", props: { id: "subnet-c", vpcId: "vpc-0example", availabilityZone: "us-west-2a", tags: {} } },
            { type: "aws:ec2/routeTableAssociation:RouteTableAssociation", name: "a", props: { subnetId: "subnet-a", routeTableId: "rtb-priv" } },
            { type: "aws:ec2/routeTableAssociation:RouteTableAssociation", name: "b", props: { subnetId: "subnet-b", routeTableId: "rtb-priv" } },
            { type: "aws:ec2/routeTableAssociation:RouteTableAssociation", name: "c", props: { subnetId: "subnet-c", routeTableId: "rtb-pub" } },
            {
                type: "kubernetes:networking.k8s.io/v1:Ingress", name: "app",
                props: { metadata: { name: "app", annotations: { "alb.ingress.kubernetes.io/scheme": scheme } }, spec: { ingressClassName: "alb" } },
            },
        ];
    }
    const oldController = () => withResource(irsaStack(), release({ values: helmValues({ image: { tag: "v2.5.2" } }) }));
    const subnets = (tags: Record<string, string>) => [
        { id: "subnet-a", public: false, tags, az: "us-west-2a" },
        { id: "subnet-b", public: false, tags, az: "us-west-2b" },
        { id: "subnet-c", public: true, tags: {}, az: "us-west-2a" },
    ];

    it("passes an internal ALB when two private subnets carry the internal-elb tag", async () => {
        assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, [...oldController(), ...network({ "kubernetes.io/role/internal-elb": "1" })]), CLEAN);
    });

    it("fails an internal ALB when no subnet is tagged and the controller predates discovery by reachability, on a subnet", async () => {
        const run = await runStackPolicy(irsaChainIntact, [...oldController(), ...network({})]);
        const snapshot = {
            ...stackSnapshot(), helmValues: helmValues({ image: { tag: "v2.5.2" } }),
            subnets: subnets({}), loadBalancer: { kind: "ALB", scheme: "internal" },
        };
        assert.deepStrictEqual(run.violations, [
            fromCore(irsaChainIntact, snapshot, "subnet-discovery-no-candidates", { urn: urnOf("aws:ec2/subnet:Subnet", "private-a"), context: CONTEXT }),
        ]);
    });

    it("judges public subnets by their route to the internet gateway, and leaves out subnets whose routing the stack does not show", async () => {
        // v2.13.0 finds untagged subnets by reachability: one public subnet is too few for an internet-facing ALB.
        const routed = [...irsaStack(), ...network({}, "internet-facing")];
        assert.deepStrictEqual((await runStackPolicy(irsaChainIntact, routed)).violations.map((v) => [v.urn, /\[rule ([a-z-]+) at /.exec(v.message)?.[1]]), [
            [urnOf("aws:ec2/subnet:Subnet", "private-a"), "subnet-discovery-no-candidates"],
        ]);
        // Without the associations nothing says which subnets are public: no guess, no finding.
        const unrouted = routed.filter((r) => r.type !== "aws:ec2/routeTableAssociation:RouteTableAssociation");
        assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, unrouted), CLEAN);
    });
});
