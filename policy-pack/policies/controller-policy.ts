/**
 * The controller's IAM permissions policy on its own, against a controller version the user
 * states: each controller release needs actions older policies lack, and since 2023-06 creating a
 * tagged load balancer also needs `elasticloadbalancing:AddTags`. Without a configured version the
 * version comes from the chart's `image.tag`, which only the stack policy sees.
 */
import { TYPES } from "../../core/assemble";
import { findingPolicy } from "./finding-policy";

export interface ControllerPolicyConfig {
    /** The controller version (`v2.13.0`) whose permissions the policy must grant. */
    controllerVersion?: string;
}

export const controllerPolicyPermissions = findingPolicy<ControllerPolicyConfig>({
    name: "lbc-controller-policy-permissions",
    description: "Checks that an IAM policy for the AWS Load Balancer Controller grants every action the configured controller version needs, including elasticloadbalancing:AddTags on create.",
    enforcementLevel: "mandatory",
    types: [TYPES.policy],
    part: "controllerPolicy",
    severity: "error",
    configSchema: {
        properties: {
            controllerVersion: {
                type: "string", pattern: "^v?[0-9]+\\.[0-9]+\\.[0-9]+$",
                description: "The controller version (e.g. v2.13.0) whose permissions every controller policy must grant. Unset: judged by the stack policy against the chart's image.tag.",
            },
        },
    },
    config: (raw) => ({ controllerVersion: raw.controllerVersion }),
    context: (config) => ({ controllerVersion: config.controllerVersion === undefined ? undefined : `v${config.controllerVersion.replace(/^v/, "")}` }),
});
