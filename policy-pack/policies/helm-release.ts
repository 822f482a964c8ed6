/**
 * The controller's Helm release on its own: the values that must be right for the controller to
 * start with its IRSA identity (`lbc-helm-release-values`, mandatory: clusterName set, a service
 * account name when the chart is told not to create one) and values the chart does not know, which
 * Helm silently ignores (`lbc-helm-release-known-keys`, advisory). Whether the account it runs as is
 * the one the role trusts is the stack policy's question.
 */
import { TYPES } from "../../core/assemble";
import { findingPolicy } from "./finding-policy";

export const helmReleaseValues = findingPolicy<Record<string, never>>({
    name: "lbc-helm-release-values",
    description: "Checks that the aws-load-balancer-controller Helm release sets clusterName and, with serviceAccount.create=false, serviceAccount.name, so the controller starts as the annotated service account.",
    enforcementLevel: "mandatory",
    types: [TYPES.helmRelease],
    part: "helmRelease",
    severity: "error",
    config: () => ({}),
});

export const helmReleaseKnownKeys = findingPolicy<Record<string, never>>({
    name: "lbc-helm-release-known-keys",
    description: "Checks that the aws-load-balancer-controller Helm release uses only value keys the chart knows; Helm silently ignores the others.",
    enforcementLevel: "advisory",
    types: [TYPES.helmRelease],
    part: "helmRelease",
    severity: "warning",
    config: () => ({}),
});
