/** Pins the region-to-partition table and the ARN prefixes everything else builds on. */
import * as assert from "assert";
import { arnPrefix, isPartition, KNOWN_REGIONS, Partition, partitionOfRegion, PARTITIONS, regionsOfPartition } from "../../core/partition";

describe("partitions", () => {
    it("are the three this project builds for", () => {
        assert.deepStrictEqual([...PARTITIONS], ["aws", "aws-cn", "aws-us-gov"]);
    });

    it("map regions to their partition", () => {
        const cases: Array<[string, Partition | undefined]> = [
            ["us-east-1", "aws"],
            ["eu-central-2", "aws"],
            ["ap-southeast-7", "aws"],
            ["mx-central-1", "aws"],
            ["ap-east-2", "aws"],
            ["cn-north-1", "aws-cn"],
            ["cn-northwest-1", "aws-cn"],
            ["us-gov-west-1", "aws-us-gov"],
            ["us-gov-east-1", "aws-us-gov"],
            // Other partitions, typos, other spellings: unknown, not guessed.
            ["eusc-de-east-1", undefined],
            ["us-iso-east-1", undefined],
            ["us-east-9", undefined],
            ["US-EAST-1", undefined],
            [" us-east-1", undefined],
            ["", undefined],
            ["us-east-1a", undefined],
        ];
        assert.deepStrictEqual(cases.map(([region]) => [region, partitionOfRegion(region)]), cases);
    });

    it("list every region once, each in exactly one partition", () => {
        assert.strictEqual(new Set(KNOWN_REGIONS).size, KNOWN_REGIONS.length);
        assert.deepStrictEqual(
            PARTITIONS.map((partition) => regionsOfPartition(partition).length),
            [34, 2, 2],
        );
        assert.deepStrictEqual([...regionsOfPartition("aws-cn")], ["cn-north-1", "cn-northwest-1"]);
        assert.deepStrictEqual([...regionsOfPartition("aws-us-gov")], ["us-gov-east-1", "us-gov-west-1"]);
        for (const region of KNOWN_REGIONS) {
            assert.match(region, /^[a-z]{2}(-gov)?-[a-z]+-\d$/);
            assert.ok(regionsOfPartition(partitionOfRegion(region)!).includes(region), region);
        }
    });

    it("give ARN prefixes", () => {
        assert.deepStrictEqual(PARTITIONS.map(arnPrefix), ["arn:aws", "arn:aws-cn", "arn:aws-us-gov"]);
        assert.throws(() => arnPrefix("aws-eusc" as Partition), {
            message: `partition: "aws-eusc" is not a partition; allowed: aws, aws-cn, aws-us-gov`,
        });
    });

    it("recognize partition names exactly", () => {
        assert.deepStrictEqual(
            ["aws", "aws-cn", "aws-us-gov", "AWS", "aws-iso", "", "arn:aws"].map(isPartition),
            [true, true, true, false, false, false, false],
        );
    });
});
