/** The views the plan prints first: web-identity trust policies, ServiceAccounts, Helm releases, counts. */
import * as assert from "assert";
import { countByType, helmReleases, serviceAccounts, webIdentityTrustPolicies } from "../../plan/chain-views";
import type { RecordedResource } from "../../plan/recorded-resource";

function resource(type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}): RecordedResource {
    return { urn: `urn:pulumi:dev::p::${type}::${name}`, type, name, custom: true, dependencies: [], inputs, outputs };
}

const WEB_IDENTITY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: "arn" }, Action: ["sts:TagSession", "STS:AssumeRoleWithWebIdentity"] }] };
const EC2_TRUST = { Version: "2012-10-17", Statement: { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" } };

describe("chain views", () => {
    it("keeps only roles whose trust allows AssumeRoleWithWebIdentity, from a JSON string or an object, any case", () => {
        const resources = [
            resource("aws:iam/role:Role", "irsa", { assumeRolePolicy: JSON.stringify(WEB_IDENTITY) }),
            resource("aws:iam/role:Role", "irsa-object", { assumeRolePolicy: WEB_IDENTITY }),
            resource("aws:iam/role:Role", "nodes", { assumeRolePolicy: JSON.stringify(EC2_TRUST) }),
            resource("aws:iam/role:Role", "unreadable", { assumeRolePolicy: "{not json" }),
            resource("aws:iam/role:Role", "pending", {}),
        ];
        assert.deepStrictEqual(webIdentityTrustPolicies(resources).map((v) => [v.name, v.document]), [["irsa", WEB_IDENTITY], ["irsa-object", WEB_IDENTITY]]);
    });

    it("shows a ServiceAccount's namespace, name and annotations, with Kubernetes' defaults when unset", () => {
        const resources = [
            resource("kubernetes:core/v1:ServiceAccount", "sa", { metadata: { namespace: "kube-system", name: "lbc", annotations: { "eks.amazonaws.com/role-arn": "arn:x" } } }),
            resource("kubernetes:core/v1:ServiceAccount", "bare", {}, { metadata: { name: "bare-1a2b3c4" } }),
        ];
        assert.deepStrictEqual(serviceAccounts(resources).map(({ urn: _urn, ...view }) => view), [
            { namespace: "kube-system", name: "lbc", annotations: { "eks.amazonaws.com/role-arn": "arn:x" } },
            { namespace: "default", name: "bare-1a2b3c4", annotations: {} },
        ]);
    });

    it("shows Helm v3 releases and v4 charts alike", () => {
        const resources = [
            resource("kubernetes:helm.sh/v3:Release", "r", { chart: "c", version: "1.0.0", repositoryOpts: { repo: "https://x" }, namespace: "ns", values: { a: 1 } }),
            resource("kubernetes:helm.sh/v4:Chart", "c4", { chart: "oci://y/c" }),
        ];
        assert.deepStrictEqual(helmReleases(resources).map(({ urn: _urn, ...view }) => view), [
            { resourceName: "r", chart: "c", version: "1.0.0", repo: "https://x", namespace: "ns", values: { a: 1 } },
            { resourceName: "c4", chart: "oci://y/c", version: undefined, repo: undefined, namespace: "default", values: {} },
        ]);
    });

    it("counts by type, most frequent first, then by name", () => {
        const resources = ["b", "a", "b", "c", "b", "a"].map((type, i) => resource(type, `r${i}`, {}));
        assert.deepStrictEqual(countByType(resources), [{ type: "b", count: 3 }, { type: "a", count: 2 }, { type: "c", count: 1 }]);
    });
});
