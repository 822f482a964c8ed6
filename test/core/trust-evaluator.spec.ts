/**
 * The IAM evaluator on each condition operator and each edge IAM documents: value lists, absent keys,
 * IfExists, set qualifiers, wildcards only where they are wildcards, key-name case, Deny precedence,
 * NotAction, NotPrincipal refused in trust policies, and action wildcards.
 */
import * as assert from "node:assert/strict";
import { evaluatePolicy, type AuthorizationRequest } from "../../core/iam/evaluate";
import { readPolicy } from "../../core/iam/policy-document";
import { evaluateWebIdentityTrust } from "../../core/iam/web-identity";

const PROVIDER = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC";
const SCOPE = "oidc.eks.us-west-2.amazonaws.com/id/ABC";
const SUB = "system:serviceaccount:kube-system:aws-load-balancer-controller";

function request(context: Record<string, string | string[]>, action = "sts:AssumeRoleWithWebIdentity", principal: AuthorizationRequest["principal"] = { type: "Federated", id: PROVIDER }): AuthorizationRequest {
    return {
        action,
        principal,
        context: new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v : [v]])),
    };
}

/** IAM's decision for one Allow statement with `condition`, against `context`. */
function decide(condition: Record<string, unknown> | undefined, context: Record<string, string | string[]>, statement: Record<string, unknown> = {}) {
    const document = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", ...(condition ? { Condition: condition } : {}), ...statement }],
    };
    const read = readPolicy(document, "trustPolicy");
    assert.deepEqual(read.problems, []);
    return evaluatePolicy(read.statements, request(context)).decision;
}

const ctx = { [`${SCOPE}:sub`]: SUB, [`${SCOPE}:aud`]: "sts.amazonaws.com" };

describe("IAM trust evaluator", () => {
    describe("string operators", () => {
        it("StringEquals matches exactly and case-sensitively", () => {
            assert.equal(decide({ StringEquals: { [`${SCOPE}:sub`]: SUB } }, ctx), "allow");
            assert.equal(decide({ StringEquals: { [`${SCOPE}:sub`]: SUB.toUpperCase() } }, ctx), "implicit-deny");
        });
        it("a value list is any-of", () => {
            assert.equal(decide({ StringEquals: { [`${SCOPE}:sub`]: ["system:serviceaccount:a:b", SUB] } }, ctx), "allow");
            assert.equal(decide({ StringEquals: { [`${SCOPE}:sub`]: ["system:serviceaccount:a:b", "system:serviceaccount:c:d"] } }, ctx), "implicit-deny");
        });
        it("StringEquals treats * and ? as literal characters", () => {
            assert.equal(decide({ StringEquals: { [`${SCOPE}:sub`]: "system:serviceaccount:kube-system:*" } }, ctx), "implicit-deny");
            assert.equal(decide({ StringEquals: { [`${SCOPE}:sub`]: "system:serviceaccount:kube-system:*" } }, { ...ctx, [`${SCOPE}:sub`]: "system:serviceaccount:kube-system:*" }), "allow");
        });
        it("StringLike expands * and ?", () => {
            assert.equal(decide({ StringLike: { [`${SCOPE}:sub`]: "system:serviceaccount:kube-system:*" } }, ctx), "allow");
            assert.equal(decide({ StringLike: { [`${SCOPE}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controlle?" } }, ctx), "allow");
            assert.equal(decide({ StringLike: { [`${SCOPE}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controll?" } }, ctx), "implicit-deny");
            assert.equal(decide({ StringLike: { [`${SCOPE}:sub`]: "system:serviceaccount:default:*" } }, ctx), "implicit-deny");
        });
        it("StringLike treats regular-expression characters literally", () => {
            assert.equal(decide({ StringLike: { [`${SCOPE}:aud`]: "sts.amazonaws.co." } }, ctx), "implicit-deny");
            assert.equal(decide({ StringLike: { [`${SCOPE}:aud`]: "sts.amazonaws.com" } }, ctx), "allow");
        });
        it("StringEqualsIgnoreCase ignores case only", () => {
            assert.equal(decide({ StringEqualsIgnoreCase: { [`${SCOPE}:sub`]: SUB.toUpperCase() } }, ctx), "allow");
            assert.equal(decide({ StringEqualsIgnoreCase: { [`${SCOPE}:sub`]: "SYSTEM:SERVICEACCOUNT:*" } }, ctx), "implicit-deny");
        });
        it("StringNotEquals with a list is none-of", () => {
            assert.equal(decide({ StringNotEquals: { [`${SCOPE}:sub`]: ["system:serviceaccount:a:b", "system:serviceaccount:c:d"] } }, ctx), "allow");
            assert.equal(decide({ StringNotEquals: { [`${SCOPE}:sub`]: ["system:serviceaccount:a:b", SUB] } }, ctx), "implicit-deny");
        });
        it("StringNotEqualsIgnoreCase and StringNotLike negate their positive forms", () => {
            assert.equal(decide({ StringNotEqualsIgnoreCase: { [`${SCOPE}:sub`]: SUB.toUpperCase() } }, ctx), "implicit-deny");
            assert.equal(decide({ StringNotLike: { [`${SCOPE}:sub`]: "system:serviceaccount:default:*" } }, ctx), "allow");
            assert.equal(decide({ StringNotLike: { [`${SCOPE}:sub`]: "system:serviceaccount:kube-system:*" } }, ctx), "implicit-deny");
        });
    });

    describe("absent keys", () => {
        it("make a positive operator false and a negated one true", () => {
            assert.equal(decide({ StringEquals: { "oidc.eks.us-west-2.amazonaws.com:sub": SUB } }, ctx), "implicit-deny");
            assert.equal(decide({ StringNotEquals: { "oidc.eks.us-west-2.amazonaws.com:sub": SUB } }, ctx), "allow");
            assert.equal(decide({ StringNotLike: { "aws:PrincipalTag/team": "x*" } }, ctx), "allow");
        });
        it("...IfExists is true when the key is absent and evaluated when present", () => {
            assert.equal(decide({ StringEqualsIfExists: { "oidc.eks.us-west-2.amazonaws.com:sub": "nobody" } }, ctx), "allow");
            assert.equal(decide({ StringEqualsIfExists: { [`${SCOPE}:sub`]: "nobody" } }, ctx), "implicit-deny");
            assert.equal(decide({ StringLikeIfExists: { [`${SCOPE}:sub`]: "system:serviceaccount:kube-system:*" } }, ctx), "allow");
        });
        it("Null tests presence: true asks for absence, false for presence", () => {
            assert.equal(decide({ Null: { [`${SCOPE}:sub`]: "false" } }, ctx), "allow");
            assert.equal(decide({ Null: { [`${SCOPE}:sub`]: "true" } }, ctx), "implicit-deny");
            assert.equal(decide({ Null: { "aws:PrincipalTag/team": "true" } }, ctx), "allow");
            assert.equal(decide({ Null: { "aws:PrincipalTag/team": false } }, ctx), "implicit-deny");
        });
    });

    describe("set qualifiers", () => {
        it("ForAnyValue: needs one request value to match and is false on an absent key", () => {
            assert.equal(decide({ "ForAnyValue:StringLike": { [`${SCOPE}:aud`]: ["other", "sts.*"] } }, ctx), "allow");
            assert.equal(decide({ "ForAnyValue:StringLike": { [`${SCOPE}:aud`]: "other*" } }, ctx), "implicit-deny");
            assert.equal(decide({ "ForAnyValue:StringEquals": { "aws:TagKeys": "team" } }, ctx), "implicit-deny");
            assert.equal(decide({ "ForAnyValue:StringEquals": { "aws:TagKeys": "team" } }, { ...ctx, "aws:TagKeys": ["env", "team"] }), "allow");
        });
        it("ForAllValues: needs every request value to match and is true on an absent key", () => {
            assert.equal(decide({ "ForAllValues:StringEquals": { "aws:TagKeys": ["env", "team"] } }, { ...ctx, "aws:TagKeys": ["env", "team"] }), "allow");
            assert.equal(decide({ "ForAllValues:StringEquals": { "aws:TagKeys": ["env"] } }, { ...ctx, "aws:TagKeys": ["env", "team"] }), "implicit-deny");
            assert.equal(decide({ "ForAllValues:StringEquals": { "aws:TagKeys": ["env"] } }, ctx), "allow");
        });
        it("ForAnyValue with a negated operator holds when one request value matches none", () => {
            assert.equal(decide({ "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["env"] } }, { ...ctx, "aws:TagKeys": ["env", "team"] }), "allow");
            assert.equal(decide({ "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["env", "team"] } }, { ...ctx, "aws:TagKeys": ["env", "team"] }), "implicit-deny");
        });
    });

    describe("other operator families", () => {
        it("Bool compares true/false case-insensitively", () => {
            assert.equal(decide({ Bool: { "aws:SecureTransport": "true" } }, { ...ctx, "aws:SecureTransport": "TRUE" }), "allow");
            assert.equal(decide({ Bool: { "aws:SecureTransport": true } }, { ...ctx, "aws:SecureTransport": "false" }), "implicit-deny");
        });
        it("ArnEquals and ArnLike match segment by segment with wildcards", () => {
            const arn = "arn:aws:iam::111122223333:role/demo";
            assert.equal(decide({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/*" } }, { ...ctx, "aws:PrincipalArn": arn }), "allow");
            assert.equal(decide({ ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::*:role/demo" } }, { ...ctx, "aws:PrincipalArn": arn }), "allow");
            assert.equal(decide({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::444455556666:role/*" } }, { ...ctx, "aws:PrincipalArn": arn }), "implicit-deny");
            assert.equal(decide({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:*" } }, { ...ctx, "aws:PrincipalArn": "not-an-arn" }), "implicit-deny");
            assert.equal(decide({ ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/*" } }, { ...ctx, "aws:PrincipalArn": arn }), "implicit-deny");
            assert.equal(decide({ ArnNotEquals: { "aws:PrincipalArn": arn } }, ctx), "allow");
        });
        it("Numeric, Date and IpAddress compare as numbers, instants and CIDRs", () => {
            assert.equal(decide({ NumericLessThanEquals: { "aws:MultiFactorAuthAge": "3600" } }, { ...ctx, "aws:MultiFactorAuthAge": "60" }), "allow");
            assert.equal(decide({ NumericGreaterThan: { "aws:MultiFactorAuthAge": "3600" } }, { ...ctx, "aws:MultiFactorAuthAge": "60" }), "implicit-deny");
            assert.equal(decide({ DateLessThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" } }, { ...ctx, "aws:CurrentTime": "2026-12-03T16:00:00Z" }), "allow");
            assert.equal(decide({ DateGreaterThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" } }, { ...ctx, "aws:CurrentTime": "2026-12-03T16:00:00Z" }), "implicit-deny");
            assert.equal(decide({ IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, { ...ctx, "aws:SourceIp": "10.1.2.3" }), "allow");
            assert.equal(decide({ NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, { ...ctx, "aws:SourceIp": "10.1.2.3" }), "implicit-deny");
        });
    });

    describe("keys, operators and conditions", () => {
        it("matches condition key names case-insensitively", () => {
            assert.equal(decide({ StringEquals: { [`${SCOPE.toUpperCase()}:SUB`]: SUB } }, ctx), "allow");
        });
        it("requires every key and every operator to hold (AND)", () => {
            assert.equal(decide({ StringEquals: { [`${SCOPE}:sub`]: SUB, [`${SCOPE}:aud`]: "other" } }, ctx), "implicit-deny");
            assert.equal(decide({ StringEquals: { [`${SCOPE}:sub`]: SUB }, StringLike: { [`${SCOPE}:aud`]: "sts.*" } }, ctx), "allow");
        });
        it("refuses operator names IAM does not know, and Null with IfExists or a qualifier", () => {
            for (const operator of ["StringEqual", "stringequals", "ForSomeValues:StringEquals", "NullIfExists", "ForAnyValue:Null"]) {
                const read = readPolicy({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Condition: { [operator]: { k: "v" } } }] }, "trustPolicy");
                assert.equal(read.problems.length, 1, operator);
                assert.equal(read.problems[0].path, `trustPolicy.Statement[0].Condition${/^[A-Za-z]+$/.test(operator) ? `.${operator}` : `[${JSON.stringify(operator)}]`}`);
            }
        });
    });

    describe("statements", () => {
        it("an explicit Deny overrides an Allow", () => {
            const read = readPolicy({
                Statement: [
                    { Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity" },
                    { Effect: "Deny", Principal: "*", Action: "sts:*", Condition: { StringLike: { [`${SCOPE}:sub`]: "system:serviceaccount:kube-system:*" } } },
                ],
            }, "trustPolicy");
            const decision = evaluatePolicy(read.statements, request(ctx));
            assert.equal(decision.decision, "explicit-deny");
            assert.equal(decision.decidingStatement?.path, "trustPolicy.Statement[1]");
        });
        it("a Deny that does not match leaves the Allow in force", () => {
            const read = readPolicy({
                Statement: [
                    { Effect: "Deny", Principal: "*", Action: "*", Condition: { StringEquals: { [`${SCOPE}:sub`]: "system:serviceaccount:default:default" } } },
                    { Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity" },
                ],
            }, "trustPolicy");
            assert.equal(evaluatePolicy(read.statements, request(ctx)).decision, "allow");
        });
        it("matches actions with wildcards, case-insensitively, and NotAction by exclusion", () => {
            for (const action of ["sts:*", "*", "sts:AssumeRole*", "STS:assumerolewithwebidentity", "sts:AssumeRoleWith?ebIdentity"]) {
                assert.equal(decide(undefined, ctx, { Action: action }), "allow", action);
            }
            assert.equal(decide(undefined, ctx, { Action: "sts:AssumeRole" }), "implicit-deny");
            assert.equal(decide(undefined, ctx, { Action: undefined, NotAction: "sts:AssumeRole" }), "allow");
            assert.equal(decide(undefined, ctx, { Action: undefined, NotAction: "sts:AssumeRoleWith*" }), "implicit-deny");
        });
        it("matches principals: exact Federated ARN, *, {AWS: *}", () => {
            assert.equal(decide(undefined, ctx, { Principal: { Federated: PROVIDER.replace("ABC", "OLD") } }), "implicit-deny");
            assert.equal(decide(undefined, ctx, { Principal: "*" }), "allow");
            assert.equal(decide(undefined, ctx, { Principal: { AWS: "*" } }), "allow");
            assert.equal(decide(undefined, ctx, { Principal: { Service: "ec2.amazonaws.com" } }), "implicit-deny");
        });
        it("refuses NotPrincipal in a trust policy with Allow or Deny, as IAM does at CreateRole", () => {
            const allow = readPolicy({ Statement: [{ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRoleWithWebIdentity" }] }, "trustPolicy");
            assert.deepEqual(allow.problems, [{
                rule: "trust-document-malformed",
                path: "trustPolicy.Statement[0].NotPrincipal",
                message: 'trustPolicy.Statement[0].NotPrincipal is {"AWS":"arn:aws:iam::111122223333:root"}; IAM does not allow NotPrincipal in a role trust policy (with "Allow" or any Effect) and refuses the document',
                fix: 'Name who may assume the role in "Principal", e.g. {"Federated": "<OIDC provider ARN>"}.',
            }]);
            assert.deepEqual(allow.statements, []);
            const deny = readPolicy({ Statement: [
                { Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity" },
                { Effect: "Deny", NotPrincipal: { Federated: PROVIDER }, Action: "*" },
            ] }, "trustPolicy");
            assert.deepEqual(deny.problems.map((p) => [p.path, p.fix]), [["trustPolicy.Statement[1].NotPrincipal",
                'Remove the statement, or write it with "Principal": "*" and a condition such as ArnNotEquals on "aws:PrincipalArn" for the principals to exempt.']]);
            const none = readPolicy({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity" }] }, "trustPolicy");
            assert.deepEqual(none.problems.map((p) => p.message), ["trustPolicy.Statement[0] has no Principal; IAM requires one in every statement of a trust policy"]);
        });
        it("compares service principals case-insensitively", () => {
            const read = readPolicy({ Statement: { Effect: "Allow", Principal: { Service: "Pods.EKS.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] } }, "trustPolicy");
            assert.equal(evaluatePolicy(read.statements, request({}, "sts:TagSession", { type: "Service", id: "pods.eks.amazonaws.com" })).decision, "allow");
        });
    });

    describe("evaluateWebIdentityTrust", () => {
        const token = { issuer: `https://${SCOPE}`, subject: SUB, audience: "sts.amazonaws.com" };
        it("says which condition refused and what the token carried", () => {
            const verdict = evaluateWebIdentityTrust({
                Statement: [{ Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${SCOPE}:sub`]: "system:serviceaccount:kube-system:other" } } }],
            }, token, PROVIDER);
            assert.deepEqual({ decision: verdict.decision, explanation: verdict.explanation, fix: verdict.fix, path: verdict.path }, {
                decision: "implicit-deny",
                explanation: `trustPolicy.Statement[0].Condition.StringEquals["${SCOPE}:sub"]: StringEquals "system:serviceaccount:kube-system:other" does not hold: the token's value is "${SUB}"`,
                fix: `Trust exactly "${SUB}" with StringEquals on "${SCOPE}:sub", or run the pods as the account the role trusts.`,
                path: `trustPolicy.Statement[0].Condition.StringEquals["${SCOPE}:sub"]`,
            });
        });
        it("names the missing statement when nothing covers the web-identity action", () => {
            const verdict = evaluateWebIdentityTrust({ Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }, token, PROVIDER);
            assert.equal(verdict.decision, "implicit-deny");
            assert.equal(verdict.explanation, "no Allow statement covers sts:AssumeRoleWithWebIdentity (the Allow statements cover sts:AssumeRole only)");
        });
        it("gives conditions on keys whose values are unknowable offline the benefit of the doubt", () => {
            const base = { Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity" };
            const sourceIp = { Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" }, Bool: { "aws:SecureTransport": "true" } } };
            assert.equal(evaluateWebIdentityTrust({ Statement: [{ ...base, ...sourceIp }] }, token, PROVIDER).decision, "allow");
            const deny = { Effect: "Deny", Principal: "*", Action: "*", Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } } };
            assert.equal(evaluateWebIdentityTrust({ Statement: [base, deny] }, token, PROVIDER).decision, "allow");
            const known = { Condition: { StringEquals: { "aws:PrincipalTag/team": "ops" } } };
            assert.equal(evaluateWebIdentityTrust({ Statement: [{ ...base, ...known }] }, token, PROVIDER).decision, "implicit-deny");
        });
        it("reports a document IAM would refuse instead of evaluating it", () => {
            const verdict = evaluateWebIdentityTrust({ Statement: [{ Effect: "allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Resource: "*" }] }, token, PROVIDER);
            assert.equal(verdict.decision, "invalid-document");
            assert.deepEqual(verdict.problems.map((p) => p.path), ["trustPolicy.Statement[0].Effect", "trustPolicy.Statement[0].Resource"]);
        });
    });
});
