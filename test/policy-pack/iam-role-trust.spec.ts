import * as assert from "assert";
import { roleTrustLeastPrivilege, roleTrustValid } from "../../policy-pack/policies";
import { runResourcePolicy, UNKNOWN } from "../helpers/policy-args";
import { fromCore, unknownValue, violation } from "./expect";
import { HOST_PATH, ISSUER, PROVIDER_ARN, role, SUBJECT, trustPolicy } from "./irsa-stack";

const SUB_KEY = `${HOST_PATH}:sub`;

describe("policy irsa-role-trust-valid", () => {
    it("passes the correct trust, as a JSON string and as an object", async () => {
        assert.deepStrictEqual(await runResourcePolicy(roleTrustValid, role()), { violations: [], notApplicable: [] });
        assert.deepStrictEqual(await runResourcePolicy(roleTrustValid, role({ assumeRolePolicy: trustPolicy() })), { violations: [], notApplicable: [] });
    });

    it("fails a condition key written with https://", async () => {
        const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: PROVIDER_ARN }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${ISSUER}:sub`]: SUBJECT } } }] };
        const run = await runResourcePolicy(roleTrustValid, role({ assumeRolePolicy: JSON.stringify(trust) }));
        assert.deepStrictEqual(run, {
            violations: [fromCore(roleTrustValid, { trustPolicy: trust }, "trust-condition-key-malformed")],
            notApplicable: [],
        });
    });

    it("fails a trust policy that is not JSON", async () => {
        const run = await runResourcePolicy(roleTrustValid, role({ assumeRolePolicy: "{not json" }));
        assert.deepStrictEqual(run.violations, [violation(roleTrustValid,
            "assumeRolePolicy is not valid JSON (Expected property name or '}' in JSON at position 1 (line 1 column 2)): {not json. " +
            "Fix: make assumeRolePolicy a JSON object (a JSON string of one, or the object itself).")]);
    });

    it("reports an unknown trust policy as checked at update time, never as passing", async () => {
        assert.deepStrictEqual(await runResourcePolicy(roleTrustValid, role({ assumeRolePolicy: UNKNOWN })), {
            violations: [unknownValue(roleTrustValid, "assumeRolePolicy")],
            notApplicable: [],
        });
    });

    it("is not applicable to a role that trusts an AWS service", async () => {
        const ec2 = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] };
        assert.deepStrictEqual(await runResourcePolicy(roleTrustValid, role({ assumeRolePolicy: JSON.stringify(ec2) })), {
            violations: [],
            notApplicable: [{ policyName: "irsa-role-trust-valid", reason: "the role trusts neither an OIDC provider nor EKS Pod Identity" }],
        });
    });
});

describe("policy irsa-role-trust-least-privilege", () => {
    it("passes an exact sub and pinned aud", async () => {
        assert.deepStrictEqual(await runResourcePolicy(roleTrustLeastPrivilege, role()), { violations: [], notApplicable: [] });
    });

    // An exact aud under StringLike matches like StringEquals; only a pattern leaves aud unpinned.
    it("fails a wildcard sub and a Like-pattern aud", async () => {
        const run = await runResourcePolicy(roleTrustLeastPrivilege, role({ assumeRolePolicy: JSON.stringify(trustPolicy({ operator: "StringLike", sub: "system:serviceaccount:*:*", aud: "sts.*" })) }));
        const snapshot = { trustPolicy: trustPolicy({ operator: "StringLike", sub: "system:serviceaccount:*:*", aud: "sts.*" }) };
        assert.deepStrictEqual(run.violations, [
            fromCore(roleTrustLeastPrivilege, snapshot, "trust-sub-wildcard"),
            fromCore(roleTrustLeastPrivilege, snapshot, "trust-aud-not-pinned"),
        ]);
    });

    it("passes an exact sub and aud written under StringLike (terraform-aws-modules' assume_role_condition_test)", async () => {
        assert.deepStrictEqual(await runResourcePolicy(roleTrustLeastPrivilege, role({ assumeRolePolicy: JSON.stringify(trustPolicy({ operator: "StringLike" })) })), { violations: [], notApplicable: [] });
    });

    it("fails a trust without aud, unless configured not to require it", async () => {
        const noAud = role({ assumeRolePolicy: JSON.stringify(trustPolicy({ aud: null })) });
        assert.deepStrictEqual((await runResourcePolicy(roleTrustLeastPrivilege, noAud)).violations, [
            fromCore(roleTrustLeastPrivilege, { trustPolicy: trustPolicy({ aud: null }) }, "trust-aud-not-pinned"),
        ]);
        assert.deepStrictEqual(await runResourcePolicy(roleTrustLeastPrivilege, noAud, { config: { requireAudienceCondition: false } }), { violations: [], notApplicable: [] });
    });

    it("fails subjects outside the allowed namespaces and providers outside the allowed accounts", async () => {
        const run = await runResourcePolicy(roleTrustLeastPrivilege, role(), { config: { allowedNamespaces: ["apps"], allowedProviderAccounts: ["444455556666"] } });
        assert.deepStrictEqual(run.violations, [
            violation(roleTrustLeastPrivilege,
                `The trust names the OIDC provider ${PROVIDER_ARN} in account 111122223333, which is not among the allowed provider accounts ["444455556666"]. Fix: trust a provider in an allowed account, or add 111122223333 to allowedProviderAccounts.`),
            violation(roleTrustLeastPrivilege,
                `The trust lets "${SUBJECT}" (StringEquals at trustPolicy.Statement[0].Condition.StringEquals["${SUB_KEY}"]) assume the role, but only service accounts in the namespaces ["apps"] may. Fix: name exact service accounts in those namespaces, or add the namespace to allowedNamespaces.`),
        ]);
        assert.deepStrictEqual(await runResourcePolicy(roleTrustLeastPrivilege, role(), { config: { allowedNamespaces: ["kube-system"], allowedProviderAccounts: ["111122223333"] } }), { violations: [], notApplicable: [] });
    });

    it("reports an unknown trust policy as checked at update time", async () => {
        assert.deepStrictEqual((await runResourcePolicy(roleTrustLeastPrivilege, role({ assumeRolePolicy: UNKNOWN }))).violations, [unknownValue(roleTrustLeastPrivilege, "assumeRolePolicy")]);
    });

    it("does nothing when disabled by configuration", async () => {
        const wildcard = role({ assumeRolePolicy: JSON.stringify(trustPolicy({ operator: "StringLike", sub: "system:serviceaccount:*:*" })) });
        assert.deepStrictEqual(await runResourcePolicy(roleTrustLeastPrivilege, wildcard, { enforcementLevel: "disabled" }), { violations: [], notApplicable: [] });
    });
});
