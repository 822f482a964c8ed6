/**
 * The controller asks instance metadata for its region and VPC unless Helm passes them. On nodes
 * that require IMDSv2 with a hop limit of 1 (the recommended hardening) the pod's request dies one
 * hop short, and the controller crash-loops at start ("failed to introspect vpcID from EC2Metadata").
 * Hop limit 1 is fine, and no finding, once both values are set (vpcTags standing in for vpcId), or
 * when the pods run on the host network (chart value hostNetwork: true), which adds no hop.
 */
import type { Finding } from "../analysis";
import type { Wiring } from "../wiring";
import { finding } from "./finding";

function isSet(value: unknown): boolean {
    return typeof value === "string" && value.trim() !== "";
}

/**
 * The chart offers vpcTags as the alternative to vpcId (values.yaml: "alternative to vpcId. Set this
 * when your pods are unable to use the metadata service"): a non-empty map becomes --aws-vpc-tags and
 * the controller finds its VPC by those tags through the EC2 API, without instance metadata.
 */
function vpcKnown(values: Readonly<Record<string, unknown>>): boolean {
    const tags = values.vpcTags;
    return isSet(values.vpcId)
        || (typeof tags === "object" && tags !== null && !Array.isArray(tags) && Object.keys(tags).length > 0);
}

/** What a region name looks like (us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1), never an AZ (us-east-2a). */
const REGION_SHAPE = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

/**
 * A region value the controller is handed takes precedence over instance metadata: an AZ name or
 * another region sends every EC2 and ELB call to the wrong (or no) endpoint, so the controller cannot
 * find its VPC and never reconciles (InvalidVpcID.NotFound, "no such host elasticloadbalancing.<az>").
 */
function regionValueFindings(wiring: Wiring, values: Readonly<Record<string, unknown>>): Finding[] {
    const region = values.region;
    if (typeof region !== "string" || region.trim() === "") return [];
    const clusterRegion = wiring.snapshot.cluster?.region;
    const value = region.trim();
    if (!REGION_SHAPE.test(value)) {
        return [finding("controller-imds-unreachable", "helmValues.region",
            `Helm value region is "${region}", which is not a region name${/\d[a-z]$/.test(value) ? " (it looks like an Availability Zone)" : ""}; the controller builds its EC2 and ELB endpoints from it and cannot reach them`,
            `Set region to the cluster's region${clusterRegion !== undefined ? ` ("${clusterRegion}")` : " (e.g. us-east-2, not us-east-2a)"}.`)];
    }
    if (clusterRegion !== undefined && value !== clusterRegion) {
        return [finding("controller-imds-unreachable", "helmValues.region",
            `Helm value region is "${region}" but the cluster is in "${clusterRegion}"; the controller looks for its VPC and load balancers in the wrong region (InvalidVpcID.NotFound)`,
            `Set region to "${clusterRegion}", or leave it unset where the pods can reach instance metadata.`)];
    }
    return [];
}

export function instanceMetadataFindings(wiring: Wiring): Finding[] {
    const options = wiring.snapshot.nodeMetadataOptions;
    const values = wiring.snapshot.helmValues;
    if (values === undefined) return [];
    const wrongRegion = regionValueFindings(wiring, values);
    if (wrongRegion.length > 0) return wrongRegion;
    if (options === undefined) return [];
    const disabled = options.httpEndpoint === "disabled";
    // With IMDSv1 still allowed the SDK falls back to it when the v2 token does not come back.
    // A pod on the host network (chart value hostNetwork) is no extra hop away: hop limit 1 reaches it.
    const tooFewHops = options.httpPutResponseHopLimit !== undefined && options.httpPutResponseHopLimit < 2 && options.httpTokens !== "optional"
        && values.hostNetwork !== true;
    if (!disabled && !tooFewHops) return [];
    const missing = [...(isSet(values.region) ? [] : ["region"]), ...(vpcKnown(values) ? [] : ["vpcId"])];
    if (missing.length === 0) return [];
    const why = disabled
        ? "instance metadata is disabled on the nodes (httpEndpoint: disabled)"
        : `the nodes require IMDSv2 with a hop limit of ${options.httpPutResponseHopLimit}, so pods cannot reach instance metadata`;
    return [finding("controller-imds-unreachable", `helmValues.${missing[0]}`,
        `${why}, and Helm value${missing.length > 1 ? "s" : ""} ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set; the controller cannot learn ${missing.length > 1 ? "its region and VPC" : missing[0] === "region" ? "its region" : "its VPC"} and crash-loops at start`,
        `Set the Helm value${missing.length > 1 ? "s" : ""} ${missing.map((k) => `${k}${k === "region" && wiring.snapshot.cluster?.region !== undefined ? `="${wiring.snapshot.cluster.region}"` : ""}`).join(" and ")} (keeps the hop limit at 1), or raise the nodes' httpPutResponseHopLimit to 2.`)];
}
