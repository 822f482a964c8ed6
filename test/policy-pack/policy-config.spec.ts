import * as assert from "assert";
import { resolvePolicyConfig, PolicyConfigError } from "../../plan/policy-config";
import type { PolicyDescription } from "../../plan/policy-result";

const POLICIES: PolicyDescription[] = [
    { name: "chain", description: "Checks that ...", enforcementLevel: "mandatory", kind: "stack", configSchema: { properties: { managed: { type: "boolean", default: false } } } },
    { name: "trust", description: "Checks that ...", enforcementLevel: "advisory", kind: "resource", configSchema: { properties: { namespaces: { type: "array", items: { type: "string", minLength: 1 }, default: [] }, version: { type: "string", pattern: "^v[0-9]+$" } } } },
];

describe("policy-pack configuration (as --policy-pack-config)", () => {
    it("gives every policy its own level and the schema defaults when there is no file", () => {
        assert.deepStrictEqual([...resolvePolicyConfig(undefined, POLICIES)], [
            ["chain", { enforcementLevel: "mandatory", properties: { managed: false } }],
            ["trust", { enforcementLevel: "advisory", properties: { namespaces: [] } }],
        ]);
    });

    it("applies `all`, then each policy's level and properties", () => {
        assert.deepStrictEqual([...resolvePolicyConfig({ all: "disabled", trust: { enforcementLevel: "mandatory", namespaces: ["apps"], version: "v2" } }, POLICIES)], [
            ["chain", { enforcementLevel: "disabled", properties: { managed: false } }],
            ["trust", { enforcementLevel: "mandatory", properties: { namespaces: ["apps"], version: "v2" } }],
        ]);
    });

    it("refuses every problem at once, naming the key, the value and what is allowed", () => {
        assert.throws(() => resolvePolicyConfig({ all: "loud", chain: { managed: "yes", extra: 1 }, trust: { namespaces: [""], version: "2" }, nope: "advisory" }, POLICIES), new PolicyConfigError([
            `policy config "all": "loud" is not an enforcement level (allowed: advisory, mandatory, remediate, disabled)`,
            `policy config: unknown policy "nope" (allowed: all, chain, trust)`,
            `policy config "chain.managed": "yes" is not of type boolean`,
            `policy config "chain.extra": unknown property (allowed: managed)`,
            `policy config "trust.namespaces[0]": "" is shorter than 1 characters`,
            `policy config "trust.version": "2" does not match ^v[0-9]+$`,
        ].join("; ")));
    });

    it("refuses a file that is not an object", () => {
        assert.throws(() => resolvePolicyConfig(["chain"], POLICIES), new PolicyConfigError(`policy config: expected an object keyed by policy name, got ["chain"]`));
    });
});
