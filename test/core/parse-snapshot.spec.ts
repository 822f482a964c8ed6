/** parseSnapshot: every field's type per the corpus README, unknown fields refused, one error naming them all. */
import * as assert from "node:assert/strict";
import { parseSnapshot, SnapshotError } from "../../core";

function errorOf(raw: unknown, source?: string): SnapshotError {
    try {
        parseSnapshot(raw, source);
    } catch (err) {
        assert.ok(err instanceof SnapshotError, String(err));
        return err;
    }
    assert.fail("expected a SnapshotError");
}

describe("parseSnapshot", () => {
    const snapshot = {
        cluster: { name: "demo", region: "us-west-2", partition: "aws", accountId: "111122223333", oidcIssuer: "https://oidc.eks.us-west-2.amazonaws.com/id/X" },
        oidcProvider: null,
        trustPolicy: { Statement: [] },
        serviceAccount: { namespace: "kube-system", name: "lbc", roleArnAnnotation: null, audienceAnnotation: null, exists: true },
        helmRelease: { name: "lbc", namespace: "kube-system" },
        helmValues: { clusterName: "demo" },
        controllerPolicy: {},
        nodeMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" },
        subnets: [{ id: "subnet-1", az: "us-west-2a", public: true, tags: { "kubernetes.io/role/elb": "1" } }],
        loadBalancer: { kind: "ALB", scheme: "internal" },
        creationOrder: ["oidcProvider", "role"],
        intendedSubjects: ["system:serviceaccount:kube-system:lbc"],
        podIdentityAssociation: { namespace: "kube-system", serviceAccount: "lbc", roleArn: "arn:aws:iam::111122223333:role/x", associationId: "a-1" },
    };

    it("returns a valid snapshot unchanged, every field present", () => {
        const copy = structuredClone(snapshot);
        assert.deepEqual(parseSnapshot(copy), snapshot);
        assert.deepEqual(copy, snapshot);
    });
    it("accepts the empty snapshot (every field is optional)", () => {
        assert.deepEqual(parseSnapshot({}), {});
    });
    it("takes the input of a corpus case file", () => {
        const input = { cluster: { name: "demo" } };
        assert.equal(parseSnapshot({ id: "c99", kind: "k", source: "s", symptom: "x", cause: "y", stage: "sts", input, expected: { verdict: "ok", why: "z" } }), input);
    });
    it("names the field, the bad value and the expected type, with case paths under input", () => {
        assert.equal(errorOf({ id: "c1", input: { cluster: { region: 3 } } }, "a.json").message,
            "a.json: input.cluster.region is 3 (a number); expected a string");
    });
    it("reports every problem at once", () => {
        const error = errorOf({
            cluster: { accountId: 111122223333, colour: "blue" },
            oidcProvider: { url: "https://x", clientIdList: "sts.amazonaws.com" },
            serviceAccount: { roleArnAnnotation: 5, exists: "yes" },
            nodeMetadataOptions: { httpPutResponseHopLimit: 1.5 },
            subnets: [{ id: "s", tags: { a: 1 } }, "subnet-2"],
            trustPolicy: "{}",
            oidcprovider: null,
        });
        assert.deepEqual(error.problems, [
            "cluster.accountId is 111122223333 (a number); expected a string",
            "cluster.colour is not a field of cluster; allowed: name, region, partition, accountId, oidcIssuer",
            'oidcProvider.clientIdList is "sts.amazonaws.com" (a string); expected a list of strings',
            "serviceAccount.roleArnAnnotation is 5 (a number); expected a string or null",
            'serviceAccount.exists is "yes" (a string); expected true or false',
            "nodeMetadataOptions.httpPutResponseHopLimit is 1.5 (a number); expected an integer from 1 to 64",
            "subnets[0].tags.a is 1 (a number); expected a string",
            'subnets[1] is "subnet-2" (a string); expected an object with fields id, az, public, tags',
            'trustPolicy is "{}" (a string); expected a JSON object',
            "oidcprovider is not a field of a wiring snapshot; allowed: cluster, oidcProvider, trustPolicy, serviceAccount, helmRelease, helmValues, controllerPolicy, nodeMetadataOptions, subnets, loadBalancer, creationOrder, intendedSubjects, podIdentityAssociation",
        ]);
    });
    it("refuses field names that exist only on Object.prototype", () => {
        assert.deepEqual(errorOf(JSON.parse('{"constructor": 1, "cluster": {"toString": "x"}}')).problems, [
            "constructor is not a field of a wiring snapshot; allowed: cluster, oidcProvider, trustPolicy, serviceAccount, helmRelease, helmValues, controllerPolicy, nodeMetadataOptions, subnets, loadBalancer, creationOrder, intendedSubjects, podIdentityAssociation",
            "cluster.toString is not a field of cluster; allowed: name, region, partition, accountId, oidcIssuer",
        ]);
    });
    it("refuses a document that is not an object", () => {
        assert.equal(errorOf([1, 2]).message, 'the document is [1,2] (an array); expected a JSON object (a wiring snapshot, or a case file with "input")');
        assert.equal(errorOf({ id: "c1", input: null }).message, "input is null (null); expected a wiring snapshot object");
    });
    it("refuses values outside the sets and ranges the format (and EC2's API) allows", () => {
        assert.deepEqual(errorOf({
            loadBalancer: { kind: "CLB", scheme: "Internet-Facing" },
            nodeMetadataOptions: { httpTokens: "Required", httpPutResponseHopLimit: -5, httpEndpoint: "off" },
        }).problems, [
            'loadBalancer.kind is "CLB" (a string); expected "ALB" or "NLB"',
            'loadBalancer.scheme is "Internet-Facing" (a string); expected "internet-facing" or "internal"',
            'nodeMetadataOptions.httpTokens is "Required" (a string); expected "required" or "optional"',
            "nodeMetadataOptions.httpPutResponseHopLimit is -5 (a number); expected an integer from 1 to 64",
            'nodeMetadataOptions.httpEndpoint is "off" (a string); expected "enabled" or "disabled"',
        ]);
        assert.deepEqual(errorOf({ nodeMetadataOptions: { httpPutResponseHopLimit: 65 } }).problems, ["nodeMetadataOptions.httpPutResponseHopLimit is 65 (a number); expected an integer from 1 to 64"]);
        const edges = { loadBalancer: { kind: "NLB", scheme: "internal" }, nodeMetadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 64, httpEndpoint: "disabled" } };
        assert.deepEqual(parseSnapshot(structuredClone(edges)), edges);
    });
    it("shows a number literal beyond a double's range as Infinity, never as null", () => {
        // JSON.parse reads 1e400 as Infinity; JSON.stringify would print it as null.
        assert.deepEqual(errorOf(JSON.parse('{"nodeMetadataOptions":{"httpPutResponseHopLimit":1e400}}')).problems,
            ["nodeMetadataOptions.httpPutResponseHopLimit is Infinity (a number: the literal is beyond the range of a double); expected an integer from 1 to 64"]);
        assert.deepEqual(errorOf(JSON.parse('{"cluster":{"name":[1e999]},"nodeMetadataOptions":{"httpPutResponseHopLimit":-1e400}}')).problems, [
            "cluster.name is [Infinity] (an array); expected a string",
            "nodeMetadataOptions.httpPutResponseHopLimit is -Infinity (a number: the literal is beyond the range of a double); expected an integer from 1 to 64",
        ]);
        // A JSON null is still shown as null.
        assert.deepEqual(errorOf({ nodeMetadataOptions: { httpPutResponseHopLimit: null } }).problems,
            ["nodeMetadataOptions.httpPutResponseHopLimit is null (null); expected an integer from 1 to 64"]);
    });
    it("leaves the contents of IAM documents to the rules: a wrong type inside is a finding, not bad input", () => {
        assert.deepEqual(parseSnapshot({ trustPolicy: { Statement: 5 } }), { trustPolicy: { Statement: 5 } });
        assert.deepEqual(errorOf({ trustPolicy: "{}" }).problems, ['trustPolicy is "{}" (a string); expected a JSON object']);
    });
    it("says once that a case file has no input, instead of refusing each case field", () => {
        const error = errorOf({ id: "c46", kind: "k", source: "s", symptom: "x", cause: "y", stage: "sts", expected: { verdict: "allow", why: "z" } }, "c46.json");
        assert.equal(error.message, 'c46.json: "input" is missing: the document is a case file (it has "id", "kind", "expected"); put the wiring snapshot under "input"');
    });
    it("names several unknown fields of one object in one problem, with the allowed fields once", () => {
        assert.deepEqual(errorOf({ a: 1, cluster: { x: 1, y: 2 }, b: 2 }).problems, [
            "a, b are not fields of a wiring snapshot; allowed: cluster, oidcProvider, trustPolicy, serviceAccount, helmRelease, helmValues, controllerPolicy, nodeMetadataOptions, subnets, loadBalancer, creationOrder, intendedSubjects, podIdentityAssociation",
            "cluster.x, cluster.y are not fields of cluster; allowed: name, region, partition, accountId, oidcIssuer",
        ]);
    });
    it("shows the first five problems in the message and counts the rest", () => {
        const error = errorOf({ subnets: ["a", "b", "c", "d", "e", "f", "g"] }, "s.json");
        assert.equal(error.problems.length, 7);
        assert.equal(error.message, "s.json: " + ["a", "b", "c", "d", "e"].map((v, i) => `subnets[${i}] is "${v}" (a string); expected an object with fields id, az, public, tags`).join("; ") + "; and 2 more");
    });
    it("allows null only where the README allows it", () => {
        assert.deepEqual(errorOf({ cluster: null, podIdentityAssociation: null, oidcProvider: null }).problems,
            ["cluster is null (null); expected an object with fields name, region, partition, accountId, oidcIssuer"]);
    });
});
