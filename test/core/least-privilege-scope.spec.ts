/**
 * The IRSA least-privilege rules (sub, aud, vacuous conditions, action wildcards) judge only what a
 * statement admits for the cluster's tokens: statements of other identity providers never admit the
 * pod's token, and the condition entries on one key are ANDed, so an exact entry bounds the key
 * whatever patterns or negations stand beside it. Asserted exactly on the reference wiring.
 */
import * as assert from "node:assert/strict";
import { analyze, type WiringSnapshot } from "../../core";
import { ACCOUNT, ISSUER_HOST as H, PROVIDER_ARN, reference, SUBJECT as S } from "./rule-fixtures";

type Statement = Record<string, unknown>;

const IRSA: Statement = {
    Effect: "Allow", Principal: { Federated: PROVIDER_ARN }, Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { [`${H}:sub`]: S, [`${H}:aud`]: "sts.amazonaws.com" } },
};
const web = (federated: string | string[], condition?: Record<string, unknown>, action: unknown = "sts:AssumeRoleWithWebIdentity"): Statement =>
    ({ Effect: "Allow", Principal: { Federated: federated }, Action: action, ...(condition !== undefined ? { Condition: condition } : {}) });

const COGNITO = web("cognito-identity.amazonaws.com", {
    StringEquals: { "cognito-identity.amazonaws.com:aud": "us-east-1:12345678-1234-1234-1234-123456789012" },
    "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
});
const GITHUB_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const OTHER_CLUSTER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLEOLDCLUSTER4633E53DE1BOLD`;
const FOREIGN: [string, Statement][] = [
    ["a Cognito identity pool", COGNITO],
    ["Cognito without any condition", web("cognito-identity.amazonaws.com")],
    ["GitHub Actions with a repo pattern and no aud", web(GITHUB_ARN, { StringLike: { "token.actions.githubusercontent.com:sub": "repo:example-org/*" } })],
    ["GitHub Actions with a negated sub and IfExists on a key it lacks", web(GITHUB_ARN, {
        StringNotEquals: { "token.actions.githubusercontent.com:sub": "repo:example-org/other:ref:refs/heads/main" },
        StringEqualsIfExists: { "aws:PrincipalTag/team": "x" },
    })],
    ["another cluster's provider with no condition", web(OTHER_CLUSTER_ARN)],
    ["Google with sts:* and no condition", web("accounts.google.com", undefined, "sts:*")],
    ["a SAML provider with sts:*", web(`arn:aws:iam::${ACCOUNT}:saml-provider/corp-idp`, { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } }, "sts:*")],
];

function analyzeWith(statements: Statement[], change?: (snapshot: WiringSnapshot) => void) {
    const snapshot = reference();
    snapshot.trustPolicy = { Version: "2012-10-17", Statement: statements };
    change?.(snapshot);
    return analyze(snapshot);
}
const rules = (statements: Statement[], change?: (snapshot: WiringSnapshot) => void) =>
    analyzeWith(statements, change).findings.map((f) => [f.rule, f.path]);

describe("least privilege: statements of other identity providers", () => {
    for (const [name, statement] of FOREIGN) {
        it(`says nothing about ${name} beside an exact IRSA statement`, () => {
            const analysis = analyzeWith([IRSA, statement]);
            assert.equal(analysis.chain.status, "works");
            assert.deepEqual(analysis.findings, []);
        });
    }

    it("still flags the cluster's statement without sub, and only it, beside a Cognito statement", () => {
        const analysis = analyzeWith([web(PROVIDER_ARN, { StringEquals: { [`${H}:aud`]: "sts.amazonaws.com" } }), COGNITO]);
        assert.deepEqual(analysis.findings, [{
            rule: "trust-sub-condition-missing", severity: "warning", path: "trustPolicy.Statement[0].Condition",
            message: `trustPolicy.Statement[0] lets every service account of the cluster assume the role: it has no condition on "${H}:sub"`,
            fix: `Add StringEquals "${H}:sub": "${S}".`,
        }]);
    });

    it("judges a statement naming the cluster's provider among others by the cluster's key", () => {
        assert.deepEqual(rules([web([PROVIDER_ARN, GITHUB_ARN], { StringEquals: { [`${H}:aud`]: "sts.amazonaws.com" } })]),
            [["trust-sub-condition-missing", "trustPolicy.Statement[0].Condition"]]);
        const analysis = analyzeWith([web([GITHUB_ARN, PROVIDER_ARN], { StringEquals: { [`${H}:sub`]: S } })]);
        assert.deepEqual(analysis.findings.map((f) => f.message), [
            `trustPolicy.Statement[0] has no condition on "${H}:aud"; any token of this issuer for another audience is accepted`,
        ]);
    });

    it("judges a provider for the cluster's issuer in another account (the account is the provider rules' matter)", () => {
        const otherAccount = PROVIDER_ARN.replace(ACCOUNT, "444455556666");
        assert.deepEqual(rules([IRSA, web(otherAccount, { StringEquals: { [`${H}:aud`]: "sts.amazonaws.com" } })]),
            [["trust-sub-condition-missing", "trustPolicy.Statement[1].Condition"]]);
    });

    it("still counts a * principal as admitting the pod's token", () => {
        assert.deepEqual(rules([IRSA, { Effect: "Allow", Principal: "*", Action: "sts:AssumeRoleWithWebIdentity" }]), [
            ["trust-principal-wildcard", "trustPolicy.Statement[1].Principal"],
            ["trust-sub-condition-missing", "trustPolicy.Statement[1].Condition"],
            ["trust-aud-not-pinned", "trustPolicy.Statement[1].Condition"],
        ]);
    });

    it("without a known issuer judges every OIDC provider statement, but not Cognito", () => {
        const noIssuer = (s: WiringSnapshot) => { delete s.cluster?.oidcIssuer; };
        assert.deepEqual(rules([IRSA, COGNITO], noIssuer), []);
        assert.deepEqual(rules([IRSA, web(OTHER_CLUSTER_ARN)], noIssuer), [
            ["trust-sub-condition-missing", "trustPolicy.Statement[1].Condition"],
            ["trust-aud-not-pinned", "trustPolicy.Statement[1].Condition"],
        ]);
    });

    it("alone (no cluster, as the pack judges a role), tells another provider's statement by a sub no service account can have", () => {
        const alone = (statements: Statement[]) => analyze({ trustPolicy: { Version: "2012-10-17", Statement: statements } }).findings.map((f) => [f.rule, f.path]);
        const gh = (condition: Record<string, unknown>) => web(GITHUB_ARN, { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, ...condition });
        assert.deepEqual(alone([IRSA, gh({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:example-org/*" } })]), []);
        assert.deepEqual(alone([IRSA, gh({ StringLike: { "token.actions.githubusercontent.com:sub": ["repo:example-org/a:*", "repo:example-org/b:*"] } })]), []);
        assert.deepEqual(alone([IRSA, COGNITO]), []);
        // A sub that could be a service account's, or none at all, is still judged.
        for (const pattern of ["system:serviceaccount:kube-system:*", "sys*", "*"]) {
            assert.deepEqual(alone([IRSA, gh({ StringLike: { "token.actions.githubusercontent.com:sub": pattern } })]),
                [["trust-sub-wildcard", 'trustPolicy.Statement[1].Condition.StringLike["token.actions.githubusercontent.com:sub"]']], pattern);
        }
        assert.deepEqual(alone([IRSA, gh({})]), [["trust-sub-condition-missing", "trustPolicy.Statement[1].Condition"]]);
    });
});

describe("least privilege: entries on one key are ANDed", () => {
    const cond = (condition: Record<string, unknown>) => rules([web(PROVIDER_ARN, condition)]);
    const AUD = { [`${H}:aud`]: "sts.amazonaws.com" };

    it("an exact sub beside a namespace pattern or a negation is no finding", () => {
        assert.deepEqual(cond({ StringEquals: { [`${H}:sub`]: S, ...AUD }, StringLike: { [`${H}:sub`]: "system:serviceaccount:kube-system:*" } }), []);
        assert.deepEqual(cond({ StringEquals: AUD, StringLike: { [`${H}:sub`]: ["system:serviceaccount:kube-system:*", S] }, "ForAnyValue:StringEquals": { [`${H}:sub`]: S } }), []);
        assert.deepEqual(cond({ StringEquals: { [`${H}:sub`]: S, ...AUD }, StringNotEquals: { [`${H}:sub`]: "system:serviceaccount:kube-system:default" } }), []);
        // StringLike without * or ? is as exact as StringEquals.
        assert.deepEqual(cond({ StringEquals: AUD, StringLike: { [`${H}:sub`]: S }, StringNotLike: { [`${H}:sub`]: "system:serviceaccount:default:*" } }), []);
    });

    it("a pattern or a negation with no exact entry on the key is still flagged, each entry once", () => {
        const like = `trustPolicy.Statement[0].Condition.StringLike["${H}:sub"]`;
        const notEquals = `trustPolicy.Statement[0].Condition.StringNotEquals["${H}:sub"]`;
        assert.deepEqual(cond({ StringEquals: AUD, StringLike: { [`${H}:sub`]: "system:serviceaccount:kube-system:*" } }), [["trust-sub-wildcard", like]]);
        assert.deepEqual(cond({ StringEquals: AUD, StringLike: { [`${H}:sub`]: "system:serviceaccount:kube-system:*" }, StringNotEquals: { [`${H}:sub`]: "system:serviceaccount:kube-system:default" } }),
            [["trust-sub-wildcard", like], ["trust-sub-negated", notEquals]]);
    });

    it("aud is pinned when the entries together admit one audience, and not when a list admits two", () => {
        assert.deepEqual(cond({ StringEquals: { [`${H}:sub`]: S, ...AUD }, StringLike: { [`${H}:aud`]: "*" } }), []);
        assert.deepEqual(cond({ StringEquals: { [`${H}:sub`]: S, [`${H}:aud`]: ["sts.amazonaws.com", "other"] }, "ForAnyValue:StringEquals": { [`${H}:aud`]: ["sts.amazonaws.com", "third"] } }), []);
        assert.deepEqual(cond({ StringEquals: { [`${H}:sub`]: S, ...AUD }, StringEqualsIgnoreCase: { [`${H}:aud`]: "STS.amazonaws.com" } }), []);
        const analysis = analyzeWith([web(PROVIDER_ARN, { StringEquals: { [`${H}:sub`]: S, [`${H}:aud`]: ["sts.amazonaws.com", "other"] }, StringLike: { [`${H}:aud`]: "*" } })]);
        assert.deepEqual(analysis.findings.map((f) => [f.rule, f.message]), [["trust-aud-not-pinned",
            `trustPolicy.Statement[0] checks aud only with StringEquals ["sts.amazonaws.com","other"] and StringLike "*", which does not match exactly one audience (one value, case-sensitive, no * or ? pattern); any token of this issuer for another audience is accepted`]]);
        assert.deepEqual(cond({ StringEquals: { [`${H}:sub`]: S }, StringEqualsIgnoreCase: AUD }).map(([rule]) => rule), ["trust-aud-not-pinned"]);
    });
});
