/**
 * IAM's default ACLSizePerRole quota: a trust policy of more than 2,048 characters, whitespace not
 * counted, is refused. Documents are sized at the boundary, with whitespace inside strings, with
 * escapes, and with numbers, since the reader only serialises documents near the limit.
 */
import * as assert from "node:assert/strict";
import { readPolicy, TRUST_POLICY_DEFAULT_SIZE_LIMIT } from "../../core/iam/policy-document";

const PROVIDER = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC";

/** A valid web-identity trust whose `sub` list is padded with `pad` (one value) to reach a size. */
function trustWith(pad: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Federated: PROVIDER },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { "oidc.eks.us-west-2.amazonaws.com/id/ABC:sub": ["system:serviceaccount:a:b", pad], ...extra } },
        }],
    };
}

/** The count IAM applies: the compact JSON without whitespace. */
function counted(document: unknown): number {
    return JSON.stringify(document).replace(/\s+/g, "").length;
}

/** `trustWith` padded so that its counted size is exactly `size`. */
function trustOfSize(size: number): Record<string, unknown> {
    const base = counted(trustWith(""));
    return trustWith("x".repeat(size - base));
}

function sizeProblems(document: unknown): string[] {
    return readPolicy(document, "trustPolicy", "trust").problems.filter((p) => p.message.includes("ACLSizePerRole")).map((p) => p.message);
}

describe("trust policy size (ACLSizePerRole)", () => {
    it("accepts exactly 2,048 counted characters and refuses 2,049, naming the size", () => {
        assert.equal(counted(trustOfSize(TRUST_POLICY_DEFAULT_SIZE_LIMIT)), 2048);
        assert.deepEqual(sizeProblems(trustOfSize(2048)), []);
        assert.deepEqual(sizeProblems(trustOfSize(2049)), [
            "trustPolicy is 2049 characters long without whitespace, more than the 2048 of IAM's default ACLSizePerRole quota; IAM refuses it (LimitExceeded: Cannot exceed quota for ACLSizePerRole) unless the account's quota was raised",
        ]);
    });

    it("does not count whitespace inside strings", () => {
        // 2,100 characters serialised, 2,040 of them counted.
        const spaced = trustWith("x".repeat(2040 - counted(trustWith(""))) + " ".repeat(60));
        assert.ok(JSON.stringify(spaced).length > 2048);
        assert.equal(counted(spaced), 2040);
        assert.deepEqual(sizeProblems(spaced), []);
    });

    it("counts escapes: quotes and backslashes that push a document past the limit are found", () => {
        // Plain length about 1,900, but every quote and backslash serialises as two characters.
        const document = trustWith("\"\\".repeat(150) + "x".repeat(1900 - counted(trustWith("")) - 300));
        assert.ok(counted(document) > 2048);
        assert.deepEqual(sizeProblems(document), [
            `trustPolicy is ${counted(document)} characters long without whitespace, more than the 2048 of IAM's default ACLSizePerRole quota; IAM refuses it (LimitExceeded: Cannot exceed quota for ACLSizePerRole) unless the account's quota was raised`,
        ]);
    });

    it("counts numbers by their digits", () => {
        const numbers = Array.from({ length: 120 }, (_, i) => 1e15 + i);
        const document = trustWith("", { "aws:EpochTime": numbers });
        assert.ok(counted(document) > 2048);
        assert.equal(sizeProblems(document).length, 1);
    });
});
