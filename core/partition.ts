/**
 * AWS partitions and the regions that belong to them. Everything partition-dependent in the
 * project (ARN prefixes in the controller policy, the OIDC provider ARN, region validation in the
 * components) asks this file, so a region added by AWS is added in one place.
 */

export type Partition = "aws" | "aws-cn" | "aws-us-gov";

export const PARTITIONS: readonly Partition[] = Object.freeze(["aws", "aws-cn", "aws-us-gov"] as Partition[]);

/**
 * Regions per partition, as known to the AWS SDKs and to @pulumi/aws 7.48 (late 2026).
 * Deliberately absent: the European Sovereign Cloud (`eusc-de-east-1`, partition `aws-eusc`) and
 * the isolated ISO partitions, whose ARNs and endpoints this project does not build.
 */
const REGIONS_BY_PARTITION: Readonly<Record<Partition, readonly string[]>> = Object.freeze({
    "aws": Object.freeze([
        "af-south-1",
        "ap-east-1", "ap-east-2",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
        "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2",
        "eu-north-1",
        "eu-south-1", "eu-south-2",
        "eu-west-1", "eu-west-2", "eu-west-3",
        "il-central-1",
        "me-central-1", "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1", "us-east-2",
        "us-west-1", "us-west-2",
    ]),
    "aws-cn": Object.freeze(["cn-north-1", "cn-northwest-1"]),
    "aws-us-gov": Object.freeze(["us-gov-east-1", "us-gov-west-1"]),
});

export const KNOWN_REGIONS: readonly string[] = Object.freeze(
    PARTITIONS.flatMap((partition) => REGIONS_BY_PARTITION[partition]),
);

const PARTITION_BY_REGION: ReadonlyMap<string, Partition> = new Map(
    PARTITIONS.flatMap((partition) => REGIONS_BY_PARTITION[partition].map((region) => [region, partition] as const)),
);

/** The partition of a known region; `undefined` for anything else (no guessing from the prefix). */
export function partitionOfRegion(region: string): Partition | undefined {
    return PARTITION_BY_REGION.get(region);
}

/** The regions of one partition, in the order listed above. */
export function regionsOfPartition(partition: Partition): readonly string[] {
    return REGIONS_BY_PARTITION[partition];
}

/** `arn:aws`, `arn:aws-cn` or `arn:aws-us-gov`: ARNs never carry the region's partition any other way. */
export function arnPrefix(partition: Partition): string {
    if (!isPartition(partition)) {
        throw new Error(`partition: "${String(partition)}" is not a partition; allowed: ${PARTITIONS.join(", ")}`);
    }
    return `arn:${partition}`;
}

export function isPartition(value: string): value is Partition {
    return (PARTITIONS as readonly string[]).includes(value);
}
