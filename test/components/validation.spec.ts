/** The argument rules at their edges, and the error that carries the problems. */
import * as assert from "assert";
import {
    clusterNameRule,
    describeValue,
    InvalidArgumentsError,
    issuerUrlRule,
    namespaceRule,
    Problems,
    rolePathRule,
    serviceAccountNameRule,
    vpcIdRule,
} from "../../components/validation";

describe("argument rules", () => {
    const cases: Array<[string, { test(v: unknown): boolean }, unknown[], unknown[]]> = [
        ["cluster names", clusterNameRule, ["a", "0demo", "Demo_cluster-1", "c".repeat(100)], ["", "-a", "_a", "a.b", "a b", "c".repeat(101), 7, undefined]],
        ["namespaces", namespaceRule, ["a", "kube-system", "n".repeat(63)], ["", "Kube", "a-", "-a", "a.b", "n".repeat(64)]],
        ["service-account names", serviceAccountNameRule, ["a", "aws-load-balancer-controller", "a.b-c", "s".repeat(253)], ["", "a_b", "a.", ".a", "A", "s".repeat(254)]],
        ["VPC ids", vpcIdRule, ["vpc-0123abcd", "vpc-0123456789abcdef0"], ["vpc-0123ABCD", "vpc-123", "vpc-0123456789abcdef", "subnet-0123abcd", ""]],
        ["role paths", rolePathRule, ["/", "/a/", "/a/b-c/", `/${"p".repeat(510)}/`], ["", "a/", "/a", "/a b/", `/${"p".repeat(511)}/`]],
    ];
    for (const [what, rule, good, bad] of cases) {
        it(`accept and refuse ${what} at the edges`, () => {
            assert.deepStrictEqual(good.filter((v) => !rule.test(v)), [], "all accepted");
            assert.deepStrictEqual(bad.filter((v) => rule.test(v)), [], "all refused");
        });
    }

    it("check issuers by the EKS shape of the region unless opted out", () => {
        const id = "0123456789ABCDEF0123456789ABCDEF";
        assert.strictEqual(issuerUrlRule("eu-west-1", false).test(`https://oidc.eks.eu-west-1.amazonaws.com/id/${id}`), true);
        assert.strictEqual(issuerUrlRule("cn-north-1", false).test(`https://oidc.eks.cn-north-1.amazonaws.com.cn/id/${id}`), true);
        assert.strictEqual(issuerUrlRule("cn-north-1", false).test(`https://oidc.eks.cn-north-1.amazonaws.com/id/${id}`), false);
        assert.strictEqual(issuerUrlRule("eu-west-1", false).test(`https://oidc.eks.eu-west-1.amazonaws.com/id/${id}/`), false);
        assert.strictEqual(issuerUrlRule("eu-west-1", false).test(`https://oidc.eks.eu-west-1.amazonaws.com/id/${id.toLowerCase()}`), false);
        assert.strictEqual(issuerUrlRule(undefined, false).test(`https://oidc.eks.ap-south-2.amazonaws.com/id/${id}`), true);
        assert.strictEqual(issuerUrlRule("eu-west-1", true).test("https://issuer.example.com"), true);
        assert.strictEqual(issuerUrlRule("eu-west-1", true).test("https://issuer.example.com:8443/x"), false);
        assert.strictEqual(issuerUrlRule("eu-west-1", true).test("https://issuer.example.com/x#y"), false);
    });
});

describe("Problems and InvalidArgumentsError", () => {
    it("collect problems in order and throw them as one error", () => {
        const problems = new Problems();
        problems.check("a", "ok", { allowed: "anything", test: () => true });
        problems.add("b", undefined, "required");
        problems.add("c", { x: [1] }, "a string");
        problems.addLine("d: 1 is not valid: 2");
        assert.throws(() => problems.throwIfAny("eks-irsa-lbc:index:X", "x"), (err: unknown) => {
            assert.ok(err instanceof InvalidArgumentsError);
            assert.deepStrictEqual(
                { name: err.name, message: err.message, problems: err.problems },
                {
                    name: "InvalidArgumentsError",
                    message: 'invalid arguments for eks-irsa-lbc:index:X "x": b is not set: required; c: {"x":[1]} is not valid: a string; d: 1 is not valid: 2',
                    problems: ["b is not set: required", 'c: {"x":[1]} is not valid: a string', "d: 1 is not valid: 2"],
                },
            );
            return true;
        });
    });

    it("does not throw without problems", () => {
        assert.doesNotThrow(() => new Problems().throwIfAny("t", "n"));
    });

    it("describes values as JSON, quoting strings", () => {
        assert.deepStrictEqual([describeValue(""), describeValue(" a"), describeValue(2.5), describeValue(null), describeValue(undefined)], ['""', '" a"', "2.5", "null", "undefined"]);
    });
});
