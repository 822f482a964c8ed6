/**
 * Whether the controller can find subnets for the load balancer asked for. Before v2.13.0 it only
 * considers subnets carrying the role tag of the scheme (kubernetes.io/role/elb for internet-facing,
 * kubernetes.io/role/internal-elb for internal); from v2.13.0, when no subnet carries the tag, it
 * falls back to reachability (an internet-gateway route makes a subnet public). An ALB needs two
 * subnets in distinct AZs, an NLB one. Subnets tagged for another cluster are never candidates.
 */
import type { Finding } from "../analysis";
import { compareControllerVersions } from "../controller-policy";
import type { SubnetFacts } from "../snapshot";
import type { Wiring } from "../wiring";
import { finding } from "./finding";

/** The first release with subnet discovery by reachability (the docs say 2.12.1, never tagged). */
export const REACHABILITY_DISCOVERY_SINCE = "v2.13.0";

const ROLE_TAG = { "internet-facing": "kubernetes.io/role/elb", internal: "kubernetes.io/role/internal-elb" } as const;

function hasRoleTag(subnet: SubnetFacts, tag: string): boolean {
    const value = subnet.tags?.[tag];
    return value === "1" || value === "";
}

function taggedForOtherCluster(subnet: SubnetFacts, clusterName: string | undefined): boolean {
    if (clusterName === undefined) return false;
    const clusterTags = Object.keys(subnet.tags ?? {}).filter((key) => key.startsWith("kubernetes.io/cluster/"));
    return clusterTags.length > 0 && !clusterTags.includes(`kubernetes.io/cluster/${clusterName}`);
}

function distinctZones(subnets: readonly SubnetFacts[]): number {
    return new Set(subnets.map((s) => s.az ?? s.id)).size;
}

export function subnetDiscoveryFindings(wiring: Wiring): Finding[] {
    const { subnets, loadBalancer, helmValues, cluster } = wiring.snapshot;
    if (subnets === undefined || loadBalancer === undefined) return [];
    const defaultScheme = helmValues?.defaultLoadBalancerScheme;
    const scheme = loadBalancer.scheme ?? (defaultScheme === "internet-facing" ? "internet-facing" : "internal");
    if (scheme !== "internet-facing" && scheme !== "internal") return [];
    const tag = ROLE_TAG[scheme];
    const needed = loadBalancer.kind === "NLB" ? 1 : 2;
    const clusterName = cluster?.name ?? (typeof helmValues?.clusterName === "string" ? helmValues.clusterName : undefined);
    const eligible = subnets.filter((s) => !taggedForOtherCluster(s, clusterName));
    const tagged = eligible.filter((s) => hasRoleTag(s, tag));
    const version = wiring.controllerVersion;
    // An unknown version is given the benefit of the doubt: the chart's default image is recent.
    const reachability = version === undefined || compareControllerVersions(version, REACHABILITY_DISCOVERY_SINCE) >= 0;
    const candidates = tagged.length > 0 || !reachability
        ? tagged
        : eligible.filter((s) => (scheme === "internet-facing") === (s.public === true));
    if (distinctZones(candidates) >= needed) return [];
    const kind = loadBalancer.kind ?? "load balancer";
    const how = tagged.length > 0 || !reachability
        ? `${tagged.length === 0 ? "no subnet carries" : `only ${distinctZones(tagged)} AZ(s) have a subnet with`} the tag ${tag}${reachability ? "" : ` and controller ${version} predates discovery by reachability (${REACHABILITY_DISCOVERY_SINCE})`}`
        : `no subnet carries ${tag} and only ${distinctZones(candidates)} AZ(s) have a ${scheme === "internet-facing" ? "public" : "private"} subnet`;
    const wanted = scheme === "internet-facing" ? "public" : "private";
    return [finding("subnet-discovery-no-candidates", "subnets",
        `an ${scheme} ${kind} needs ${needed === 2 ? "subnets in at least two AZs" : "at least one subnet"}, but ${how}; the controller reports "unable to resolve at least one subnet"`,
        `Tag ${needed === 2 ? "at least two" : "a"} ${wanted} subnet${needed === 2 ? "s in distinct AZs" : ""} with ${tag}=1${reachability ? "" : `, or run controller ${REACHABILITY_DISCOVERY_SINCE} or newer`}.`)];
}
