/**
 * Node launch templates' instance metadata options. IMDSv2 with a hop limit of 1 (good hardening)
 * keeps pods away from instance metadata, so a controller that must discover its region and VPC
 * there crash-loops. Alone, a launch template cannot say whether the controller needs metadata (its
 * chart values decide), so by default this policy assumes what this project's chart does (region
 * and vpcId set) and the stack policy judges the real pairing; users whose controller relies on
 * metadata say so in configuration.
 */
import { TYPES } from "../../core/assemble";
import { findingPolicy } from "./finding-policy";

export interface NodeMetadataConfig {
    /** The controller learns region and VPC from instance metadata (its chart values set neither). */
    controllerReliesOnInstanceMetadata: boolean;
}

export const nodeMetadataOptions = findingPolicy<NodeMetadataConfig>({
    name: "node-instance-metadata-options",
    description: "Checks that node launch templates let the AWS Load Balancer Controller reach instance metadata (IMDSv2 hop limit of at least 2) when it relies on metadata for its region and VPC.",
    enforcementLevel: "mandatory",
    types: [TYPES.launchTemplate],
    part: "nodeMetadata",
    severity: "error",
    claimRules: ["controller-imds-unreachable"],
    configSchema: {
        properties: {
            controllerReliesOnInstanceMetadata: {
                type: "boolean", default: false,
                description: "The controller's chart values set neither region nor vpcId, so it reads them from instance metadata on every node.",
            },
        },
    },
    config: (raw) => ({ controllerReliesOnInstanceMetadata: raw.controllerReliesOnInstanceMetadata ?? false }),
    context: (config) => ({ controllerReliesOnInstanceMetadata: config.controllerReliesOnInstanceMetadata }),
});
