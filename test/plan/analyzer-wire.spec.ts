/**
 * The hand-written Analyzer request encoder must produce exactly the bytes google-protobuf produces
 * for the same request built the way the client built it before (`Struct.fromJavaScript` of the
 * JSON round trip), so the pack cannot tell the two apart.
 */
import * as assert from "assert";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerWireEncoder, type WireResource } from "../../plan/analyzer-wire";
import { webIdentityTrustPolicy } from "../../components/trust-policy";
import { controllerPolicyDocument } from "../../core/controller-policy";

function struct(value: Record<string, unknown>): structproto.Struct {
    return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as Record<string, structproto.JavaScriptValue>);
}

function options(r: WireResource): analyzerpb.AnalyzerResourceOptions {
    const o = new analyzerpb.AnalyzerResourceOptions();
    o.setProtect(false);
    if (r.parent) o.setParent(r.parent);
    return o;
}

function provider(r: WireResource): analyzerpb.AnalyzerProviderResource | undefined {
    if (!r.provider) return undefined;
    const p = new analyzerpb.AnalyzerProviderResource();
    p.setUrn(r.provider.urn);
    p.setType(r.provider.type);
    p.setName(r.provider.name);
    p.setProperties(struct(r.provider.properties));
    return p;
}

/** The request as the client built it with google-protobuf's message classes. */
function referenceAnalyze(r: WireResource): Buffer {
    const request = new analyzerpb.AnalyzeRequest();
    request.setType(r.type);
    request.setUrn(r.urn);
    request.setName(r.name);
    request.setProperties(struct(r.properties));
    request.setOptions(options(r));
    const p = provider(r);
    if (p) request.setProvider(p);
    return Buffer.from(request.serializeBinary());
}

function referenceStack(resources: WireResource[]): Buffer {
    const request = new analyzerpb.AnalyzeStackRequest();
    request.setResourcesList(resources.map((r) => {
        const resource = new analyzerpb.AnalyzerResource();
        resource.setType(r.type);
        resource.setUrn(r.urn);
        resource.setName(r.name);
        resource.setProperties(struct(r.properties));
        resource.setOptions(options(r));
        if (r.parent) resource.setParent(r.parent);
        resource.setDependenciesList([...r.dependencies]);
        const p = provider(r);
        if (p) resource.setProvider(p);
        return resource;
    }));
    return Buffer.from(request.serializeBinary());
}

const STACK = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev";
const K8S = "urn:pulumi:dev::p::pulumi:providers:kubernetes::k8s";

const RESOURCES: WireResource[] = [
    { type: "pulumi:pulumi:Stack", urn: STACK, name: "p-dev", properties: {}, dependencies: [] },
    {
        type: "aws:iam/role:Role", urn: "urn:pulumi:dev::p::aws:iam/role:Role::r", name: "r", parent: STACK, dependencies: ["urn:a", ""],
        properties: {
            assumeRolePolicy: JSON.stringify(webIdentityTrustPolicy({
                providerArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC",
                issuer: "https://oidc.eks.us-west-2.amazonaws.com/id/ABC",
                subjects: [{ namespace: "kube-system", name: "aws-load-balancer-controller" }],
            })),
            tags: { b: "2", a: "1", "": "empty key", "é": "ü", "Z": "upper before lower" },
            unknownLater: undefined,
            fn: () => 1,
        },
    },
    {
        type: "aws:iam/policy:Policy", urn: "urn:pulumi:dev::p::aws:iam/policy:Policy::pol", name: "pol", dependencies: [],
        // A document larger than 16 KiB grows the encoder's buffer.
        properties: { policy: controllerPolicyDocument("v3.5.0", "aws"), text: JSON.stringify(controllerPolicyDocument("v3.5.0", "aws")) },
    },
    {
        type: "kubernetes:helm.sh/v3:Release", urn: "urn:pulumi:dev::p::kubernetes:helm.sh/v3:Release::chart", name: "chart", parent: STACK,
        dependencies: [STACK], provider: { type: "pulumi:providers:kubernetes", urn: K8S, name: "k8s", properties: { kubeconfig: "{}" } },
        properties: {
            values: {
                replicaCount: 2, zero: 0, negZero: -0, fraction: -1.5, big: 2 ** 53, tiny: 5e-324, nan: NaN, inf: -Infinity,
                on: true, off: false, none: null, empty: "", emptyObject: {}, emptyList: [],
                list: [1, "two", null, undefined, () => 3, [true, { deep: [[]] }]],
                when: new Date(Date.UTC(2026, 11, 3)),
                boxed: [new String("s"), new Number(7), new Boolean(false)],
                emoji: "chart 🚀 \u0000 \n",
            },
        },
    },
];

describe("Analyzer request encoding", () => {
    it("writes each AnalyzeRequest byte for byte as google-protobuf does", () => {
        const encoder = new AnalyzerWireEncoder();
        for (const r of RESOURCES) {
            assert.deepStrictEqual(encoder.analyzeRequest(r), referenceAnalyze(r), r.urn);
        }
    });

    it("writes the AnalyzeStackRequest byte for byte as google-protobuf does", () => {
        assert.deepStrictEqual(new AnalyzerWireEncoder().analyzeStackRequest(RESOURCES), referenceStack(RESOURCES));
    });

    it("keeps earlier results intact when the encoder is reused", () => {
        const encoder = new AnalyzerWireEncoder();
        const first = encoder.analyzeRequest(RESOURCES[3]);
        const copy = Buffer.from(first);
        encoder.analyzeRequest(RESOURCES[2]);
        assert.deepStrictEqual(first, copy);
        assert.deepStrictEqual(
            analyzerpb.AnalyzeRequest.deserializeBinary(first).getProperties()?.toJavaScript(),
            JSON.parse(JSON.stringify(RESOURCES[3].properties)));
    });
});
