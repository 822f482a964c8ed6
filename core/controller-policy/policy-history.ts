/**
 * How the upstream controller policy grew from v2.4.0 to its newest form, release by release and
 * partition by partition. A release's permission set is the newest set minus everything added
 * after it; the same facts answer "since when does the controller need this action?".
 */
import type { Partition } from "../partition";
import type { StatementKey } from "./newest-statements";

export interface PolicyAddition {
    /** The first release whose policy carries the addition (in every partition not overridden below). */
    readonly since: string;
    /** A partition whose policy caught up later than `since`, with its own first release. */
    readonly sinceInPartition?: Readonly<Partial<Record<Partition, string>>>;
    /** A whole statement that older releases lack. */
    readonly statement?: StatementKey;
    /** Actions that older releases lack, in the statement that carries them. */
    readonly actions?: { readonly statement: StatementKey; readonly names: readonly string[] };
    /** Why the controller started needing it. */
    readonly purpose: string;
}

/** Everything in the newest set that v2.4.0 did not have. */
export const POLICY_ADDITIONS: readonly PolicyAddition[] = Object.freeze([
    {
        since: "v2.4.7",
        statement: "add-tags-on-create",
        purpose: "Elastic Load Balancing authorizes AddTags on create calls that carry tags",
    },
    {
        since: "v2.7.0",
        // The China policy was not updated until the next minor release.
        sinceInPartition: { "aws-cn": "v2.8.0" },
        actions: { statement: "describe", names: ["elasticloadbalancing:DescribeTrustStores"] },
        purpose: "mutual TLS trust stores on ALB listeners",
    },
    {
        since: "v2.9.0",
        actions: { statement: "describe", names: ["elasticloadbalancing:DescribeListenerAttributes"] },
        purpose: "listener attributes",
    },
    {
        since: "v2.9.0",
        actions: { statement: "modify-own-load-balancers-and-target-groups", names: ["elasticloadbalancing:ModifyListenerAttributes"] },
        purpose: "listener attributes",
    },
    {
        since: "v2.10.0",
        actions: { statement: "describe", names: ["ec2:GetSecurityGroupsForVpc"] },
        purpose: "security group discovery per VPC",
    },
    {
        since: "v2.11.0",
        actions: { statement: "describe", names: ["elasticloadbalancing:DescribeCapacityReservation"] },
        purpose: "load balancer capacity reservations",
    },
    {
        since: "v2.11.0",
        actions: { statement: "modify-own-load-balancers-and-target-groups", names: ["elasticloadbalancing:ModifyCapacityReservation"] },
        purpose: "load balancer capacity reservations",
    },
    {
        since: "v2.12.0",
        actions: { statement: "describe", names: ["ec2:DescribeIpamPools"] },
        purpose: "IPAM pools for load balancer addresses",
    },
    {
        since: "v2.12.0",
        actions: { statement: "modify-own-load-balancers-and-target-groups", names: ["elasticloadbalancing:ModifyIpPools"] },
        purpose: "IPAM pools for load balancer addresses",
    },
    {
        since: "v2.12.0",
        actions: { statement: "modify-listeners-and-rules", names: ["elasticloadbalancing:SetRulePriorities"] },
        purpose: "listener rule priorities",
    },
    {
        since: "v2.13.0",
        actions: { statement: "describe", names: ["ec2:DescribeRouteTables"] },
        purpose: "subnet discovery by route-table reachability",
    },
] as PolicyAddition[]);

/** The first release whose `partition` policy carries `addition`. */
export function additionSince(addition: PolicyAddition, partition: Partition): string {
    return addition.sinceInPartition?.[partition] ?? addition.since;
}

/**
 * Upstream's statement order. The China and GovCloud files, and the commercial file of v2.4.7,
 * put "add tags on create" before "modify own load balancers and target groups"; from v2.5.0 the
 * commercial file has them the other way round. Order carries no meaning to IAM; keeping it makes
 * the generated document identical to upstream's.
 */
export function addTagsOnCreateComesFirst(partition: Partition, versionIsBefore2_5: boolean): boolean {
    return partition !== "aws" || versionIsBefore2_5;
}
