/**
 * The DNS suffix of a partition: China's endpoints, EKS issuers and EC2's service principal end in
 * `amazonaws.com.cn`, every other partition here uses `amazonaws.com`. One definition, so issuer
 * checks, node roles and the offline stand-ins agree.
 */
import type { Partition } from "../core/partition";

export function dnsSuffixOf(partition: Partition): string {
    return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}
