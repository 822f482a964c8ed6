/** The IRSA trust document builder: exact documents for every issuer spelling and subject count. */
import * as assert from "assert";
import { issuerHostPath, serviceAccountSubject, webIdentityTrustPolicy } from "../../components/trust-policy";

const ISSUER_HOST = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER_ARN = `arn:aws:iam::111122223333:oidc-provider/${ISSUER_HOST}`;
const LBC = { namespace: "kube-system", name: "aws-load-balancer-controller" };

describe("webIdentityTrustPolicy", () => {
    it("builds one Allow statement with StringEquals on sub and aud for one service account", () => {
        assert.deepStrictEqual(webIdentityTrustPolicy({ providerArn: PROVIDER_ARN, issuer: `https://${ISSUER_HOST}`, subjects: [LBC] }), {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: PROVIDER_ARN },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            [`${ISSUER_HOST}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller",
                            [`${ISSUER_HOST}:aud`]: "sts.amazonaws.com",
                        },
                    },
                },
            ],
        });
    });

    it("puts several service accounts under one :sub key as a value list, in the order given, once each", () => {
        const document = webIdentityTrustPolicy({
            providerArn: PROVIDER_ARN,
            issuer: ISSUER_HOST,
            subjects: [LBC, { namespace: "apps", name: "ingress-admin" }, LBC],
        });
        assert.deepStrictEqual((document.Statement as any[])[0].Condition, {
            StringEquals: {
                [`${ISSUER_HOST}:sub`]: ["system:serviceaccount:kube-system:aws-load-balancer-controller", "system:serviceaccount:apps:ingress-admin"],
                [`${ISSUER_HOST}:aud`]: "sts.amazonaws.com",
            },
        });
        assert.strictEqual((document.Statement as any[]).length, 1);
    });

    for (const spelling of [`https://${ISSUER_HOST}`, ISSUER_HOST, `https://${ISSUER_HOST}/`, `HTTPS://${ISSUER_HOST}`, ` https://${ISSUER_HOST} `]) {
        it(`uses the issuer without scheme in condition keys when given ${JSON.stringify(spelling)}`, () => {
            const condition = (webIdentityTrustPolicy({ providerArn: PROVIDER_ARN, issuer: spelling, subjects: [LBC] }).Statement as any[])[0].Condition;
            assert.deepStrictEqual(Object.keys(condition.StringEquals), [`${ISSUER_HOST}:sub`, `${ISSUER_HOST}:aud`]);
        });
    }

    it("keeps the audience sts.amazonaws.com in the China and GovCloud partitions", () => {
        for (const host of ["oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC", "oidc.eks.us-gov-west-1.amazonaws.com/id/ABC"]) {
            const condition = (webIdentityTrustPolicy({ providerArn: "arn:aws-cn:iam::111122223333:oidc-provider/x", issuer: host, subjects: [LBC] }).Statement as any[])[0].Condition;
            assert.strictEqual(condition.StringEquals[`${host}:aud`], "sts.amazonaws.com");
        }
    });

    it("takes another audience when asked", () => {
        const condition = (webIdentityTrustPolicy({ providerArn: PROVIDER_ARN, issuer: ISSUER_HOST, subjects: [LBC], audience: "custom" }).Statement as any[])[0].Condition;
        assert.strictEqual(condition.StringEquals[`${ISSUER_HOST}:aud`], "custom");
    });

    it("refuses an empty subject list", () => {
        assert.throws(() => webIdentityTrustPolicy({ providerArn: PROVIDER_ARN, issuer: ISSUER_HOST, subjects: [] }), {
            message: "webIdentityTrustPolicy: at least one subject is required",
        });
    });
});

describe("issuerHostPath and serviceAccountSubject", () => {
    it("strip the scheme and trailing slashes only", () => {
        assert.strictEqual(issuerHostPath("https://issuer.example.com/a/b//"), "issuer.example.com/a/b");
        assert.strictEqual(issuerHostPath("issuer.example.com"), "issuer.example.com");
    });

    it("forms the sub claim Kubernetes projects", () => {
        assert.strictEqual(serviceAccountSubject({ namespace: "ns", name: "sa" }), "system:serviceaccount:ns:sa");
    });
});
