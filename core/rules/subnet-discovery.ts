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
    // The controller judges cluster tags by its own --cluster-name (the chart's clusterName), not by
    // the cluster's real name: a clusterName that differs turns the cluster's own subnets into another's.
    const helmClusterName = typeof helmValues?.clusterName === "string" && helmValues.clusterName.trim() !== "" ? helmValues.clusterName : undefined;
    const clusterName = helmClusterName ?? cluster?.name;
    const eligible = subnets.filter((s) => !taggedForOtherCluster(s, clusterName));
    const ownTagged = helmClusterName !== undefined && cluster?.name !== undefined && helmClusterName !== cluster.name
        ? subnets.filter((s) => taggedForOtherCluster(s, helmClusterName) && !taggedForOtherCluster(s, cluster.name)).length
        : 0;
    const tagged = eligible.filter((s) => hasRoleTag(s, tag));
    const version = wiring.controllerVersion;
    // An unknown version is given the benefit of the doubt: the chart's default image is recent.
    const reachability = version === undefined || compareControllerVersions(version, REACHABILITY_DISCOVERY_SINCE) >= 0;
    const candidates = tagged.length > 0 || !reachability
        ? tagged
        : eligible.filter((s) => (scheme === "internet-facing") === (s.public === true));
    if (distinctZones(candidates) >= needed) return [];
    const kind = loadBalancer.kind ?? "load balancer";
    // A role tag with another value ("true", "yes") is no role tag to the controller: say so.
    const otherValues = [...new Set(eligible.map((s) => s.tags?.[tag]).filter((v): v is string => v !== undefined && v !== "1" && v !== ""))];
    const valueNote = otherValues.length > 0 ? ` with value "1" or "" (${otherValues.map((v) => JSON.stringify(v)).join(", ")} ${otherValues.length === 1 ? "is" : "are"} not matched)` : "";
    const how = tagged.length > 0 || !reachability
        ? `${tagged.length === 0 ? "no subnet carries" : `only ${distinctZones(tagged)} AZ(s) have a subnet with`} the tag ${tag}${valueNote}${reachability ? "" : ` and controller ${version} predates discovery by reachability (${REACHABILITY_DISCOVERY_SINCE})`}`
        : `no subnet carries ${tag} and only ${distinctZones(candidates)} AZ(s) have a ${scheme === "internet-facing" ? "public" : "private"} subnet`;
    const wanted = scheme === "internet-facing" ? "public" : "private";
    if (ownTagged > 0) {
        return [finding("subnet-discovery-no-candidates", "helmValues.clusterName",
            `an ${scheme} ${kind} needs ${needed === 2 ? "subnets in at least two AZs" : "at least one subnet"}, but the chart's clusterName "${helmClusterName}" is not the cluster's name "${cluster!.name}": the controller drops ${ownTagged} subnet(s) tagged kubernetes.io/cluster/${cluster!.name} as another cluster's, which leaves ${distinctZones(candidates)} AZ(s) with a candidate; it reports "unable to resolve at least one subnet"`,
            `Set clusterName to "${cluster!.name}" (the name in the subnets' kubernetes.io/cluster/ tags).`)];
    }
    return [finding("subnet-discovery-no-candidates", "subnets",
        `an ${scheme} ${kind} needs ${needed === 2 ? "subnets in at least two AZs" : "at least one subnet"}, but ${how}; the controller reports "unable to resolve at least one subnet"`,
        `Tag ${needed === 2 ? "at least two" : "a"} ${wanted} subnet${needed === 2 ? "s in distinct AZs" : ""} with ${tag}=1${reachability ? "" : `, or run controller ${REACHABILITY_DISCOVERY_SINCE} or newer`}.`)];
}
