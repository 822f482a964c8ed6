import * as assert from "assert";
import {
    controllerPolicyPermissions, helmReleaseKnownKeys, helmReleaseValues, nodeMetadataOptions, oidcProviderAcceptsAudience, serviceAccountAnnotation,
} from "../../policy-pack/policies";
import { analyze } from "../../core";
import { runResourcePolicy, UNKNOWN } from "../helpers/policy-args";
import { fromCore, unknownValue } from "./expect";
import { helmValues, ISSUER, launchTemplate, provider, release, serviceAccount } from "./irsa-stack";
import { controllerPolicyDocument } from "./controller-policy-document";

const CLEAN = { violations: [], notApplicable: [] };

describe("policy irsa-oidc-provider-client-ids", () => {
    it("passes a provider that lists sts.amazonaws.com", async () => {
        assert.deepStrictEqual(await runResourcePolicy(oidcProviderAcceptsAudience, provider()), CLEAN);
    });

    it("fails a provider that lists only the regional STS endpoint", async () => {
        const run = await runResourcePolicy(oidcProviderAcceptsAudience, provider({ clientIdLists: ["sts.us-west-2.amazonaws.com"] }));
        assert.deepStrictEqual(run, {
            violations: [fromCore(oidcProviderAcceptsAudience, {
                cluster: { oidcIssuer: ISSUER },
                oidcProvider: { url: ISSUER, clientIdList: ["sts.us-west-2.amazonaws.com"], accountId: "111122223333" },
            }, "token-audience-not-accepted")],
            notApplicable: [],
        });
    });

    it("judges the client IDs against a configured audience", async () => {
        const govCloud = provider({ clientIdLists: ["sts.us-gov-west-1.amazonaws.com"] });
        assert.deepStrictEqual(await runResourcePolicy(oidcProviderAcceptsAudience, govCloud, { config: { audience: "sts.us-gov-west-1.amazonaws.com" } }), CLEAN);
        assert.strictEqual((await runResourcePolicy(oidcProviderAcceptsAudience, provider(), { config: { audience: "sts.us-gov-west-1.amazonaws.com" } })).violations.length, 1);
    });

    it("says a configured audience came from the policy configuration, not from a service account's annotation", async () => {
        const run = await runResourcePolicy(oidcProviderAcceptsAudience, provider(), { config: { audience: "other" } });
        assert.deepStrictEqual(run.violations.map((v) => v.message.split("\n")[1]), [
            'the token\'s audience "other" (stated in the policy configuration "irsa-oidc-provider-client-ids.audience", not read from a service account) '
            + 'is not in the provider\'s client IDs ["sts.amazonaws.com"]; STS refuses it (InvalidIdentityToken: Incorrect token audience). '
            + 'Fix: Add "other" to the provider\'s client IDs, or correct the policy configuration "irsa-oidc-provider-client-ids.audience" if the service accounts\' tokens carry another audience. '
            + "[rule token-audience-not-accepted at oidcProvider.clientIdList]",
        ]);
        assert.doesNotMatch(run.violations[0].message, /annotation\)/);
        // The core keeps naming the annotation when a real account carries it (check, the stack policy).
        const analysis = analyze({
            cluster: { oidcIssuer: ISSUER }, oidcProvider: { url: ISSUER, clientIdList: ["sts.amazonaws.com"] },
            serviceAccount: { namespace: "kube-system", name: "lbc", audienceAnnotation: "other" },
        });
        assert.match(analysis.findings[0].message, /^the token's audience "other" \(set by the service account's eks.amazonaws.com\/audience annotation\)/);
    });

    it("reports unknown client IDs as checked at update time", async () => {
        assert.deepStrictEqual(await runResourcePolicy(oidcProviderAcceptsAudience, provider({ clientIdLists: UNKNOWN })), {
            violations: [unknownValue(oidcProviderAcceptsAudience, "clientIdLists")],
            notApplicable: [],
        });
    });
});

describe("policy irsa-service-account-annotation", () => {
    it("passes a role ARN", async () => {
        assert.deepStrictEqual(await runResourcePolicy(serviceAccountAnnotation, serviceAccount()), CLEAN);
    });

    it("fails a role name where the ARN belongs", async () => {
        const run = await runResourcePolicy(serviceAccountAnnotation, serviceAccount({ annotations: { "eks.amazonaws.com/role-arn": "lbc-irsa" } }));
        assert.deepStrictEqual(run.violations, [fromCore(serviceAccountAnnotation,
            { serviceAccount: { namespace: "kube-system", name: "aws-load-balancer-controller", roleArnAnnotation: "lbc-irsa" } }, "service-account-annotation-malformed")]);
    });

    it("reports an unknown annotation as checked at update time", async () => {
        const run = await runResourcePolicy(serviceAccountAnnotation, serviceAccount({ annotations: { "eks.amazonaws.com/role-arn": UNKNOWN } }));
        assert.deepStrictEqual(run.violations, [unknownValue(serviceAccountAnnotation, "metadata.annotations.eks.amazonaws.com/role-arn")]);
    });

    it("is not applicable to an account without the annotation", async () => {
        assert.deepStrictEqual(await runResourcePolicy(serviceAccountAnnotation, serviceAccount({ annotations: {} })), {
            violations: [],
            notApplicable: [{ policyName: "irsa-service-account-annotation", reason: "the service account has no eks.amazonaws.com/role-arn annotation" }],
        });
    });
});

describe("policy lbc-helm-release-values", () => {
    it("passes the controller chart with name, clusterName, region and vpcId", async () => {
        assert.deepStrictEqual(await runResourcePolicy(helmReleaseValues, release()), CLEAN);
    });

    it("fails values without clusterName and without serviceAccount.name under create=false", async () => {
        const run = await runResourcePolicy(helmReleaseValues, release({ values: helmValues({ clusterName: undefined, serviceAccount: { create: false } }) }));
        const snapshot = {
            helmRelease: { name: "aws-load-balancer-controller", namespace: "kube-system" },
            helmValues: helmValues({ clusterName: undefined, serviceAccount: { create: false } }),
        };
        assert.deepStrictEqual(run.violations, [
            fromCore(helmReleaseValues, snapshot, "helm-service-account-name-missing"),
            fromCore(helmReleaseValues, snapshot, "helm-cluster-name-missing"),
        ]);
    });

    it("reads values given as a JSON string", async () => {
        const run = await runResourcePolicy(helmReleaseValues, release({ values: JSON.stringify(helmValues({ clusterName: undefined })) }));
        assert.deepStrictEqual(run.violations, [fromCore(helmReleaseValues, {
            helmRelease: { name: "aws-load-balancer-controller", namespace: "kube-system" },
            helmValues: helmValues({ clusterName: undefined }),
        }, "helm-cluster-name-missing")]);
    });

    it("reports unknown values as checked at update time", async () => {
        assert.deepStrictEqual(await runResourcePolicy(helmReleaseValues, release({ values: { ...helmValues(), clusterName: UNKNOWN } })), {
            violations: [unknownValue(helmReleaseValues, "values")],
            notApplicable: [],
        });
    });

    it("is not applicable to another chart", async () => {
        assert.deepStrictEqual(await runResourcePolicy(helmReleaseValues, release({ chart: "external-dns" })), {
            violations: [],
            notApplicable: [{ policyName: "lbc-helm-release-values", reason: `not the aws-load-balancer-controller chart (chart "external-dns")` }],
        });
    });
});

describe("policy lbc-helm-release-known-keys", () => {
    it("passes known keys", async () => {
        assert.deepStrictEqual(await runResourcePolicy(helmReleaseKnownKeys, release()), CLEAN);
    });

    it("fails a misspelt key", async () => {
        const run = await runResourcePolicy(helmReleaseKnownKeys, release({ values: helmValues({ clustername: "demo" }) }));
        assert.deepStrictEqual(run.violations, [fromCore(helmReleaseKnownKeys, {
            helmRelease: { name: "aws-load-balancer-controller", namespace: "kube-system" },
            helmValues: helmValues({ clustername: "demo" }),
        }, "helm-values-unknown-key")]);
    });

    it("reports unknown values as checked at update time", async () => {
        assert.deepStrictEqual((await runResourcePolicy(helmReleaseKnownKeys, release({ values: UNKNOWN }))).violations, [unknownValue(helmReleaseKnownKeys, "values")]);
    });
});

describe("policy lbc-controller-policy-permissions", () => {
    const policyResource = (document: unknown) => ({ type: "aws:iam/policy:Policy", name: "lbc-policy", props: { policy: JSON.stringify(document) } });

    it("passes the full v2.13.0 policy against a configured v2.13.0", async () => {
        assert.deepStrictEqual(await runResourcePolicy(controllerPolicyPermissions, policyResource(controllerPolicyDocument()), { config: { controllerVersion: "v2.13.0" } }), CLEAN);
    });

    it("fails a policy without AddTags on create", async () => {
        const run = await runResourcePolicy(controllerPolicyPermissions, policyResource(controllerPolicyDocument({ withoutAddTagsOnCreate: true })), { config: { controllerVersion: "2.13.0" } });
        assert.deepStrictEqual(run.violations, [fromCore(controllerPolicyPermissions, {
            controllerPolicy: controllerPolicyDocument({ withoutAddTagsOnCreate: true }),
            helmValues: { image: { tag: "v2.13.0" } },
        }, "controller-policy-missing-actions")]);
    });

    it("leaves the version to the stack policy when none is configured", async () => {
        assert.deepStrictEqual(await runResourcePolicy(controllerPolicyPermissions, policyResource(controllerPolicyDocument())), {
            violations: [],
            notApplicable: [{ policyName: "lbc-controller-policy-permissions", reason: "no controllerVersion configured: the stack policy judges the permissions against the chart's image.tag" }],
        });
    });

    it("reports an unknown document as checked at update time", async () => {
        const unknown = { type: "aws:iam/policy:Policy", name: "lbc-policy", props: { policy: UNKNOWN } };
        assert.deepStrictEqual((await runResourcePolicy(controllerPolicyPermissions, unknown, { config: { controllerVersion: "v2.13.0" } })).violations, [unknownValue(controllerPolicyPermissions, "policy")]);
    });

    it("is not applicable to other permissions", async () => {
        const s3 = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
        assert.deepStrictEqual((await runResourcePolicy(controllerPolicyPermissions, policyResource(s3), { config: { controllerVersion: "v2.13.0" } })).notApplicable, [
            { policyName: "lbc-controller-policy-permissions", reason: "not the AWS Load Balancer Controller's permissions (it grants no elasticloadbalancing:CreateLoadBalancer)" },
        ]);
    });
});

describe("policy node-instance-metadata-options", () => {
    const hopLimit1 = launchTemplate({ httpTokens: "required", httpPutResponseHopLimit: 1 });

    it("passes hop limit 2 even for a controller that relies on instance metadata", async () => {
        assert.deepStrictEqual(await runResourcePolicy(nodeMetadataOptions, launchTemplate(), { config: { controllerReliesOnInstanceMetadata: true } }), CLEAN);
    });

    it("passes hop limit 1 by default: the controller gets region and vpcId from its values", async () => {
        assert.deepStrictEqual(await runResourcePolicy(nodeMetadataOptions, hopLimit1), CLEAN);
    });

    it("fails hop limit 1 when the controller relies on instance metadata", async () => {
        const run = await runResourcePolicy(nodeMetadataOptions, hopLimit1, { config: { controllerReliesOnInstanceMetadata: true } });
        assert.deepStrictEqual(run.violations, [fromCore(nodeMetadataOptions,
            { nodeMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 }, helmValues: {} }, "controller-imds-unreachable")]);
    });

    it("reports an unknown hop limit as checked at update time", async () => {
        const run = await runResourcePolicy(nodeMetadataOptions, launchTemplate({ httpTokens: "required", httpPutResponseHopLimit: UNKNOWN }), { config: { controllerReliesOnInstanceMetadata: true } });
        assert.deepStrictEqual(run.violations, [unknownValue(nodeMetadataOptions, "metadataOptions.httpPutResponseHopLimit")]);
    });
});

describe("resource policies and other resource types", () => {
    it("are skipped by the server for other types, before the properties are read", async () => {
        const bucket = { type: "aws:s3/bucket:Bucket", name: "b", props: { bucket: "b" } };
        assert.deepStrictEqual(await runResourcePolicy(serviceAccountAnnotation, bucket), {
            violations: [],
            notApplicable: [{ policyName: "irsa-service-account-annotation", reason: "Policy only applies to resources of type 'kubernetes:core/v1:ServiceAccount'" }],
        });
    });
});

describe("policy lbc-controller-policy-permissions and other load-balancer policies", () => {
    it("is not applicable to a read-only Elastic Load Balancing policy with Resource *", async () => {
        const readOnly = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["elasticloadbalancing:Describe*"], Resource: "*" }] };
        const run = await runResourcePolicy(controllerPolicyPermissions, { type: "aws:iam/policy:Policy", name: "monitoring", props: { policy: JSON.stringify(readOnly) } }, { config: { controllerVersion: "v2.13.0" } });
        assert.deepStrictEqual(run, {
            violations: [],
            notApplicable: [{ policyName: "lbc-controller-policy-permissions", reason: "not the AWS Load Balancer Controller's permissions (it grants no elasticloadbalancing:CreateLoadBalancer)" }],
        });
    });
});
