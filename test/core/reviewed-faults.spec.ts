/**
 * Faults a fresh review found, one kind per block, each asserted exactly on the whole analysis the
 * reference wiring (rule-fixtures.ts) gives with that one fact changed.
 */
import * as assert from "node:assert/strict";
import { analyze, evaluateWebIdentityTrust, parseSnapshot, SnapshotError } from "../../core";
import { parseRoleArn, roleArnProblem } from "../../core/wiring";
import { reference, ACCOUNT } from "./rule-fixtures";

describe("reviewed faults", () => {
    describe("role-ARN annotation with a name or path IAM cannot have", () => {
        it("is refused for a space in the name, a trailing space, an empty or over-long name, and a bad path", () => {
            const cases: [string, string][] = [
                [`arn:aws:iam::${ACCOUNT}:role/My Role`, 'whose role name "My Role" is not one IAM allows (1 to 64 letters, digits and + = , . @ _ -; no spaces)'],
                [`arn:aws:iam::${ACCOUNT}:role/lbc `, 'whose role name "lbc " is not one IAM allows (1 to 64 letters, digits and + = , . @ _ -; no spaces)'],
                [`arn:aws:iam::${ACCOUNT}:role/`, 'whose role name "" is not one IAM allows (1 to 64 letters, digits and + = , . @ _ -)'],
                [`arn:aws:iam::${ACCOUNT}:role/${"a".repeat(65)}`, `whose role name "${"a".repeat(65)}" is not one IAM allows (1 to 64 letters, digits and + = , . @ _ -)`],
                [`arn:aws:iam::${ACCOUNT}:role/team a/lbc`, 'whose role path "/team a/" is not one IAM allows (printable ASCII without spaces, at most 512 characters)'],
                [`arn:aws:iam::${ACCOUNT}:role/${"p".repeat(511)}/lbc`, `whose role path "/${"p".repeat(511)}/" is not one IAM allows (printable ASCII without spaces, at most 512 characters)`],
            ];
            for (const [arn, problem] of cases) {
                assert.equal(roleArnProblem(arn), problem, arn);
                assert.equal(parseRoleArn(arn), undefined, arn);
            }
        });
        it("accepts names and paths IAM allows", () => {
            for (const arn of [`arn:aws:iam::${ACCOUNT}:role/a+b=c,d.e@f_g-h`, `arn:aws:iam::${ACCOUNT}:role/${"p".repeat(510)}/lbc`, `arn:aws-cn:iam::${ACCOUNT}:role/x/y!z/lbc`, `arn:aws:iam::${ACCOUNT}:role/${"a".repeat(64)}`]) {
                assert.equal(roleArnProblem(arn), undefined, arn);
                assert.equal(parseRoleArn(arn)?.arn, arn);
            }
        });
        it("breaks the chain at service-account-not-annotated with the bad value in the message", () => {
            const snapshot = reference();
            snapshot.serviceAccount = { ...snapshot.serviceAccount, roleArnAnnotation: `arn:aws:iam::${ACCOUNT}:role/My Role` };
            const analysis = analyze(snapshot);
            assert.equal(analysis.chain.link, "service-account-not-annotated");
            assert.deepEqual(analysis.findings, [{
                rule: "service-account-annotation-malformed",
                severity: "error",
                message: `eks.amazonaws.com/role-arn is "arn:aws:iam::${ACCOUNT}:role/My Role", whose role name "My Role" is not one IAM allows (1 to 64 letters, digits and + = , . @ _ -; no spaces)`,
                fix: "Annotate the account with the role's ARN exactly as IAM returns it.",
                path: "serviceAccount.roleArnAnnotation",
            }]);
        });
    });
});

describe("reviewed faults: vpcTags as the chart's alternative to vpcId", () => {
    const hopLimitOne = (values: Record<string, unknown>) => {
        const snapshot = reference();
        snapshot.helmValues = values;
        snapshot.nodeMetadataOptions = { httpTokens: "required", httpPutResponseHopLimit: 1 };
        return analyze(snapshot);
    };
    const base = { clusterName: "demo", region: "us-west-2", image: { tag: "v2.13.0" }, serviceAccount: { create: false, name: "aws-load-balancer-controller" } };
    it("a non-empty vpcTags map with region set needs no instance metadata, and is no unknown key", () => {
        const analysis = hopLimitOne({ ...base, vpcTags: { Name: "demo-vpc" } });
        assert.deepEqual(analysis.findings, []);
        assert.equal(analysis.chain.status, "works");
    });
    it("an empty vpcTags map is no VPC: hop limit 1 still breaks the controller's start", () => {
        const analysis = hopLimitOne({ ...base, vpcTags: {} });
        assert.deepEqual(analysis.findings.map((f) => [f.rule, f.path]), [["controller-imds-unreachable", "helmValues.vpcId"]]);
    });
});

describe("reviewed faults: aud judged by what the condition matches", () => {
    const H = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    const S = "system:serviceaccount:kube-system:aws-load-balancer-controller";
    const rulesFor = (audCondition: Record<string, unknown>) => {
        const snapshot = reference();
        const statement = (snapshot.trustPolicy as { Statement: Record<string, unknown>[] }).Statement[0];
        statement.Condition = { StringEquals: { [`${H}:sub`]: S }, ...audCondition };
        const analysis = analyze(snapshot);
        assert.equal(analysis.chain.status, "works");
        return analysis.findings.map((f) => f.rule);
    };
    it("accepts one exact audience under StringLike, ForAnyValue:/ForAllValues:StringEquals and StringEqualsIfExists", () => {
        for (const operator of ["StringLike", "ForAnyValue:StringEquals", "ForAllValues:StringEquals", "StringEqualsIfExists", "ForAnyValue:StringLike"]) {
            assert.deepEqual(rulesFor({ [operator]: { [`${H}:aud`]: "sts.amazonaws.com" } }), [], operator);
        }
    });
    it("flags a pattern, a list, a case-insensitive or negated operator, once each", () => {
        for (const operator of ["StringLike", "StringEqualsIgnoreCase", "StringNotEquals", "ForAnyValue:StringLike"]) {
            const value = operator.endsWith("Like") ? "sts.*" : operator === "StringNotEquals" ? "other" : "STS.amazonaws.com";
            assert.deepEqual(rulesFor({ [operator]: { [`${H}:aud`]: value } }), ["trust-aud-not-pinned"], operator);
        }
        assert.deepEqual(rulesFor({ StringLike: { [`${H}:aud`]: ["sts.amazonaws.com", "other"] } }), ["trust-aud-not-pinned"]);
        assert.deepEqual(rulesFor({ StringLike: { [`${H}:aud`]: "sts.amazonaws.co?" } }), ["trust-aud-not-pinned"]);
    });
    it("says what the condition fails to match", () => {
        const snapshot = reference();
        (snapshot.trustPolicy as { Statement: Record<string, unknown>[] }).Statement[0].Condition = { StringEquals: { [`${H}:sub`]: S }, StringLike: { [`${H}:aud`]: "sts.*" } };
        assert.deepEqual(analyze(snapshot).findings, [{
            rule: "trust-aud-not-pinned",
            severity: "warning",
            message: 'trustPolicy.Statement[0] checks aud only with StringLike "sts.*", which does not match exactly one audience (one value, case-sensitive, no * or ? pattern); any token of this issuer for another audience is accepted',
            fix: `Add StringEquals "${H}:aud": "sts.amazonaws.com".`,
            path: `trustPolicy.Statement[0].Condition.StringLike["${H}:aud"]`,
        }]);
    });
});

describe("reviewed faults: deep nesting", () => {
    const nest = (levels: number): unknown => {
        let value: unknown = "x";
        for (let i = 0; i < levels; i++) value = [value];
        return value;
    };
    it("parseSnapshot refuses more than 64 levels in one problem naming the path, before anything recurses", () => {
        assert.throws(() => parseSnapshot({ intendedSubjects: nest(5000) }, "deep.json"), (err: unknown) => {
            assert.ok(err instanceof SnapshotError);
            assert.deepEqual(err.problems, [`intendedSubjects${"[0]".repeat(63)} is nested more than 64 levels deep; no field of a wiring snapshot is (flatten or remove it)`]);
            return true;
        });
        assert.throws(() => parseSnapshot({ id: "c", input: { helmValues: { a: nest(100) } } }), /^SnapshotError: input\.helmValues\.a\[0\]/);
        // 64 levels counted from the snapshot itself (level 1) are still accepted.
        assert.deepEqual(parseSnapshot({ helmValues: { a: nest(62) } }), { helmValues: { a: nest(62) } });
    });
    it("the core judges a deep document handed to it directly without exhausting the stack", () => {
        const deep = nest(20000);
        const token = { issuer: "https://oidc.eks.us-west-2.amazonaws.com/id/X", subject: "system:serviceaccount:a:b", audience: "sts.amazonaws.com" };
        const verdict = evaluateWebIdentityTrust({ Statement: deep }, token, "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/X");
        assert.equal(verdict.decision, "invalid-document");
        assert.equal(verdict.explanation, "trustPolicy.Statement[0] is [[[[[...]]]]], not a statement object");
        const analysis = analyze({ trustPolicy: { Statement: deep }, controllerPolicy: { Statement: deep } });
        assert.equal(analysis.chain.link, "trust-document-invalid");
    });
});

describe("reviewed faults: messages about an account whose name is unknown", () => {
    it("say \"the controller's service account\" once, not \"the service account the controller's service account\"", () => {
        assert.deepEqual(analyze({ helmValues: {} }).findings.find((f) => f.rule === "service-account-not-annotated")?.message,
            "the controller's service account has no eks.amazonaws.com/role-arn annotation, so no web identity token or role is injected and the controller falls back to the node's credentials");
        assert.deepEqual(analyze({ serviceAccount: { exists: false } }).findings.map((f) => f.message), [
            "the controller's service account does not exist; the controller's ReplicaSet cannot create pods",
        ]);
        assert.equal(analyze({ serviceAccount: { namespace: "kube-system", name: "lbc", exists: false } }).findings[0].message,
            "the service account kube-system/lbc does not exist; the controller's ReplicaSet cannot create pods");
    });
});
