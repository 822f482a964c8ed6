/**
 * The pack judges a resource (or a stack) once for the policies that share the judgement: the two
 * policies of a role or chart, the two stack policies. The engine hands each policy its own
 * freshly decoded properties, so the judgement is shared only after a value-by-value check; these
 * tests pin that a second policy, or a second stack, sees exactly what it would see alone, whatever
 * was judged just before.
 */
import * as assert from "assert";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { UnknownValue } from "../../core/assemble";
import {
    helmReleaseKnownKeys, helmReleaseValues, irsaChainIntact, irsaWiringLeastPrivilege, roleTrustLeastPrivilege, roleTrustValid,
} from "../../policy-pack/policies";
import { plainProperties, resourceOfPolicyResource, sameAsPlain } from "../../policy-pack/policies/engine-values";
import { reportChainFindings } from "../../policy-pack/policies/irsa-chain";
import { runResourcePolicy, runStackPolicy, stackArgs, UNKNOWN, type RunOptions, type TestResource } from "../helpers/policy-args";
import { helmValues, irsaStack, provider, release, role, serviceAccount, trustPolicy, withResource } from "./irsa-stack";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxyModule = require("@pulumi/policy/proxy") as Record<string, string>;

/** The stack policy's verdict with nothing judged before (another stack judged in between). */
async function alone(policy: StackValidationPolicy, stack: TestResource[], opts: RunOptions = {}) {
    await runStackPolicy(policy, [{ type: "pulumi:pulumi:Stack", name: `unrelated-${Math.random()}`, props: {} }]);
    return runStackPolicy(policy, stack, opts);
}

/** Variants of the correct stack, each one value (or one link) away from it. */
function variants(): [string, TestResource[], RunOptions?][] {
    return [
        ["the correct stack", irsaStack()],
        ["a chart value deep in the values", withResource(irsaStack(), release({ values: helmValues({ serviceAccount: { create: false, name: "lbc" } }) }))],
        ["a wildcard subject", withResource(irsaStack(), role({ assumeRolePolicy: JSON.stringify(trustPolicy({ sub: "system:serviceaccount:kube-system:*", operator: "StringLike" })) }))],
        ["an audience not pinned", withResource(irsaStack(), role({ assumeRolePolicy: JSON.stringify(trustPolicy({ aud: null })) }))],
        ["a trust unknown during preview", withResource(irsaStack(), role({ assumeRolePolicy: UNKNOWN }))],
        ["a role that does not wait for its provider", withResource(irsaStack(), { ...role(), dependsOn: [] })],
        ["the provider in another account", withResource(irsaStack(), provider({ arn: "arn:aws:iam::444455556666:oidc-provider/x" }))],
        ["an account without the annotation", withResource(irsaStack(), serviceAccount({ annotations: {} }))],
        ["providers said to be managed, none in the stack", irsaStack().filter((r) => r.name !== "oidc"), { config: { oidcProvidersManagedInStack: true } }],
        ["no provider, not said to be managed", irsaStack().filter((r) => r.name !== "oidc")],
    ];
}

describe("judgements shared between policies", () => {
    it("the second stack policy reports what it reports alone, on every variant", async () => {
        for (const [what, stack, opts] of variants()) {
            const expected = { intact: await alone(irsaChainIntact, stack, opts), hardening: await alone(irsaWiringLeastPrivilege, stack, opts) };
            await runStackPolicy(irsaChainIntact, stack, opts);
            assert.deepStrictEqual(await runStackPolicy(irsaWiringLeastPrivilege, stack, opts), expected.hardening, what);
            await runStackPolicy(irsaWiringLeastPrivilege, stack, opts);
            assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, stack, opts), expected.intact, what);
        }
    });

    it("a stack one value away from the one judged just before is judged afresh", async () => {
        const all = variants();
        for (const [before, previous, previousOpts] of all) {
            for (const [what, stack, opts] of all) {
                const expected = await alone(irsaChainIntact, stack, opts);
                await runStackPolicy(irsaChainIntact, previous, previousOpts);
                assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, stack, opts), expected, `${what}, after ${before}`);
            }
        }
    });

    it("the same stack under other assembly options is judged afresh", async () => {
        const stack = irsaStack().filter((r) => r.name !== "lbc-sa");
        const unmanaged = await alone(irsaChainIntact, stack);
        const managed = await alone(irsaChainIntact, stack, { config: { serviceAccountsManagedInStack: true } });
        assert.notDeepStrictEqual(managed, unmanaged);
        await runStackPolicy(irsaChainIntact, stack);
        assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, stack, { config: { serviceAccountsManagedInStack: true } }), managed);
        assert.deepStrictEqual(await runStackPolicy(irsaChainIntact, stack), unmanaged);
    });

    it("a shared stack judgement reports what the uncached path reports", async () => {
        for (const [what, stack, opts] of variants()) {
            for (const [policy, severity] of [[irsaChainIntact, "error"], [irsaWiringLeastPrivilege, "warning"]] as const) {
                const direct: string[] = [];
                const options = { serviceAccountsManagedInStack: false, oidcProvidersManagedInStack: false, ...(opts?.config ?? {}) };
                reportChainFindings(stackArgs(stack, opts).resources.map(resourceOfPolicyResource), options, severity, () => true, (m, urn) => direct.push(`${urn} ${m}`));
                await runStackPolicy(irsaChainIntact, stack, opts);
                const run = await runStackPolicy(policy, stack, opts);
                const shared = run.violations.filter((v) => !v.message.startsWith("can't run")).map((v) => `${v.urn} ${v.message.slice(policy.description.length + 1)}`);
                assert.deepStrictEqual(shared, direct, `${what}, ${policy.name}`);
            }
        }
    });

    it("the second policy of a role or chart reports what it reports alone, after the same URN with other content", async () => {
        const roles: TestResource[] = [
            role(),
            role({ assumeRolePolicy: JSON.stringify(trustPolicy({ sub: "system:serviceaccount:kube-system:*", operator: "StringLike" })) }),
            role({ assumeRolePolicy: JSON.stringify(trustPolicy({ aud: null })) }),
            role({ assumeRolePolicy: JSON.stringify(trustPolicy({ operator: "StringEqualz" })) }),
            role({ assumeRolePolicy: UNKNOWN }),
            role({ assumeRolePolicy: "{" }),
        ];
        const releases: TestResource[] = [
            release(),
            release({ values: helmValues({ clusterName: undefined, clusterNmae: "demo" }) }),
            release({ values: helmValues({ serviceAccount: { create: false } }) }),
            release({ values: UNKNOWN }),
        ];
        let unique = 0;
        /** The policy's verdict on a resource whose URN nothing judged before (the messages name no resource). */
        const fresh = (policy: ResourceValidationPolicy, resource: TestResource) => runResourcePolicy(policy, { ...resource, name: `${resource.name}-fresh-${unique++}` });
        for (const [group, [first, second]] of [["role", [roleTrustValid, roleTrustLeastPrivilege]], ["chart", [helmReleaseValues, helmReleaseKnownKeys]]] as const) {
            const resources = group === "role" ? roles : releases;
            for (const previous of resources) {
                for (const resource of resources) {
                    for (const [a, b] of [[first, second], [second, first]]) {
                        const expected = await fresh(b, resource);
                        await runResourcePolicy(a, previous);
                        assert.deepStrictEqual(await runResourcePolicy(b, resource), expected, `${group}: ${b.name} after ${a.name} on other content`);
                        await runResourcePolicy(a, resource);
                        assert.deepStrictEqual(await runResourcePolicy(b, resource), expected, `${group}: ${b.name} after ${a.name} on the same content`);
                    }
                }
            }
        }
    });

    it("the same role under another configuration keeps its configured verdict", async () => {
        const wildcardNamespace = role({ assumeRolePolicy: JSON.stringify(trustPolicy({ sub: "system:serviceaccount:apps:lbc" })) });
        const allowed = { config: { allowedNamespaces: ["kube-system"] } };
        await runResourcePolicy(roleTrustValid, wildcardNamespace);
        const restricted = await runResourcePolicy(roleTrustLeastPrivilege, wildcardNamespace, allowed);
        assert.strictEqual(restricted.violations.filter((v) => v.message.includes("allowed")).length > 0, true);
        const open = await runResourcePolicy(roleTrustLeastPrivilege, wildcardNamespace);
        assert.strictEqual(open.violations.some((v) => v.message.includes("allowedNamespaces")), false);
    });
});

describe("sameAsPlain", () => {
    const raw = () => ({ a: 1, b: ["x", { c: null, d: true }], e: { f: "g", n: Number.NaN }, u: proxyModule.unknownStringValue });

    it("holds for the copy plainProperties makes, sentinels included", () => {
        const copy = plainProperties(raw());
        assert.ok(copy.u instanceof UnknownValue);
        assert.strictEqual(sameAsPlain(raw(), copy), true);
    });

    it("fails on any difference: a value, a key, key order, an array's length, a sentinel's kind, -0", () => {
        const copy = plainProperties(raw());
        const changed: [string, unknown][] = [
            ["value", { ...raw(), a: 2 }],
            ["nested value", { ...raw(), b: ["x", { c: null, d: false }] }],
            ["missing key", (({ a: _a, ...rest }) => rest)(raw())],
            ["extra key", { ...raw(), z: 1 }],
            ["key order", (({ a, ...rest }) => ({ ...rest, a }))(raw())],
            ["array length", { ...raw(), b: ["x"] }],
            ["sentinel kind", { ...raw(), u: proxyModule.unknownNumberValue }],
            ["sentinel vs literal", { ...raw(), u: "x" }],
            ["null vs object", { ...raw(), e: null }],
            ["-0", { ...raw(), a: -0 }],
        ];
        for (const [what, value] of changed) assert.strictEqual(sameAsPlain(value, copy), false, what);
        assert.strictEqual(sameAsPlain({ a: 0 }, plainProperties({ a: -0 })), false, "0 vs -0");
    });

    it("vouches for nothing it cannot compare: the very same object, class instances", () => {
        const value = { a: { b: 1 } };
        assert.strictEqual(sameAsPlain(value, value), false);
        class Asset { constructor(readonly path: string) {} }
        assert.strictEqual(sameAsPlain({ a: new Asset("x") }, plainProperties({ a: new Asset("x") })), false);
        const shared = new Asset("x");
        assert.strictEqual(sameAsPlain({ a: shared }, plainProperties({ a: shared })), false);
    });
});
