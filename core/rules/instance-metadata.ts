/**
 * The controller asks instance metadata for its region and VPC unless Helm passes them. On nodes
 * that require IMDSv2 with a hop limit of 1 (the recommended hardening) the pod's request dies one
 * hop short, and the controller crash-loops at start ("failed to introspect vpcID from EC2Metadata").
 * Hop limit 1 is fine, and no finding, once both values are set (vpcTags standing in for vpcId).
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

export function instanceMetadataFindings(wiring: Wiring): Finding[] {
    const options = wiring.snapshot.nodeMetadataOptions;
    const values = wiring.snapshot.helmValues;
    if (options === undefined || values === undefined) return [];
    const disabled = options.httpEndpoint === "disabled";
    // With IMDSv1 still allowed the SDK falls back to it when the v2 token does not come back.
    const tooFewHops = options.httpPutResponseHopLimit !== undefined && options.httpPutResponseHopLimit < 2 && options.httpTokens !== "optional";
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
