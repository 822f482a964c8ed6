/** Suggestions for misspelt stack names and config keys. */
import * as assert from "assert";
import { closestMatch, editDistance } from "../../plan/did-you-mean";

describe("did-you-mean", () => {
    it("counts insertions, deletions, substitutions and swaps as one edit each", () => {
        assert.deepStrictEqual(
            [editDistance("", ""), editDistance("abc", "abc"), editDistance("replica", "replicas"), editDistance("replicas", "replica"),
                editDistance("region", "regoin"), editDistance("prdo", "prod"), editDistance("aws", "awz"), editDistance("kitten", "sitting")],
            [0, 0, 1, 1, 1, 1, 1, 3]);
    });

    it("suggests the nearest candidate only when it is a plausible typo", () => {
        const keys = ["clusterName", "replicas", "enableShield", "subnetTags"];
        assert.deepStrictEqual(
            [closestMatch("clustername", keys), closestMatch("replica", keys), closestMatch("enableShiled", keys), closestMatch("vpcId", keys),
                closestMatch("prdo", ["dev", "prod"]), closestMatch("x", ["dev", "prod"]), closestMatch("dev", [])],
            ["clusterName", "replicas", "enableShield", undefined, "prod", undefined, undefined]);
    });
});
