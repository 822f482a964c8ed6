/** Decoding the SDK's wire values (what the mock monitor receives) into plain JSON. */
import * as assert from "assert";
import { MASKED_SECRET, UNKNOWN_VALUE, decodeWireObject, decodeWireValue } from "../../plan/wire-values";

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });

describe("wire values", () => {
    const wire = {
        name: "demo",
        count: 2,
        on: true,
        none: null,
        pending: UNKNOWN_VALUE,
        token: secret("s3cret"),
        nested: { list: [1, secret({ a: "b" }), UNKNOWN_VALUE] },
        provider: { [SIG]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:pulumi:dev::p::pulumi:providers:aws::aws", id: "x" },
        file: { [SIG]: "c44067f5952c0a294b673a41bacd8c17", path: "./values.yaml" },
        text: { [SIG]: "c44067f5952c0a294b673a41bacd8c17", text: "hello" },
        output: { [SIG]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: "known", secret: true },
    };

    it("unwraps secrets for resource inputs, drops unknowns, reduces references and assets", () => {
        assert.deepStrictEqual(decodeWireObject(wire, "unwrap"), {
            name: "demo", count: 2, on: true, none: null,
            token: "s3cret",
            nested: { list: [1, { a: "b" }, undefined] },
            provider: "urn:pulumi:dev::p::pulumi:providers:aws::aws",
            file: "./values.yaml",
            text: "hello",
            output: "known",
        });
    });

    it("masks secrets for stack outputs", () => {
        assert.deepStrictEqual(
            [decodeWireValue(wire.token, "mask"), decodeWireValue(wire.nested, "mask"), decodeWireValue(wire.output, "mask")],
            [MASKED_SECRET, { list: [1, MASKED_SECRET, undefined] }, MASKED_SECRET]);
    });

    it("treats a missing object as empty", () => {
        assert.deepStrictEqual([decodeWireObject(undefined, "unwrap"), decodeWireObject(null, "mask")], [{}, {}]);
    });
});
