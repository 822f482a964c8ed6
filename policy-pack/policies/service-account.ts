/**
 * A Kubernetes service account that asks for an IAM role: its `eks.amazonaws.com/role-arn`
 * annotation must be a role ARN (a role name, a policy ARN or a placeholder is silently useless: the
 * pod webhook injects it and STS refuses it). Whether the role trusts this account is the stack
 * policy's question.
 */
import { TYPES } from "../../core/assemble";
import { findingPolicy } from "./finding-policy";

export const serviceAccountAnnotation = findingPolicy<Record<string, never>>({
    name: "irsa-service-account-annotation",
    description: "Checks that a Kubernetes service account's eks.amazonaws.com/role-arn annotation is a well-formed IAM role ARN.",
    enforcementLevel: "mandatory",
    types: [TYPES.serviceAccount],
    part: "serviceAccount",
    severity: "error",
    config: () => ({}),
});
