/**
 * The CrossGuard policy pack: `pulumi preview --policy-pack policy-pack`. Constructing the pack
 * starts its gRPC server and prints its port, so this file does nothing else; the policies live in
 * ./policies, importable without a server.
 */
// First: it keeps @pulumi/pulumi from loading `typescript` and two other modules a pack never uses at start-up.
import "../startup/lazy-modules";
import { PolicyPack } from "@pulumi/policy";
import { POLICIES, POLICY_PACK_NAME } from "./policies";

new PolicyPack(POLICY_PACK_NAME, {
    description: "Least-privilege IRSA for the AWS Load Balancer Controller (and any IRSA role): the chain from OIDC provider to role trust to service account to Helm values, judged by the eks-irsa-lbc analysis core.",
    policies: POLICIES,
});
