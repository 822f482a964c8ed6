/**
 * Every policy of the pack, in the order `pulumi preview` lists them. Importing this module never
 * starts a policy server (only `../index.ts` constructs the `PolicyPack`), so tests and the plan
 * can load the policies in-process.
 */
import type { Policies } from "@pulumi/policy";
import { controllerPolicyPermissions } from "./controller-policy";
import { helmReleaseKnownKeys, helmReleaseValues } from "./helm-release";
import { roleTrustLeastPrivilege, roleTrustValid } from "./iam-role-trust";
import { irsaChainIntact, irsaWiringLeastPrivilege } from "./irsa-chain";
import { nodeMetadataOptions } from "./node-metadata";
import { oidcProviderAcceptsAudience } from "./oidc-provider";
import { serviceAccountAnnotation } from "./service-account";

export {
    controllerPolicyPermissions, helmReleaseKnownKeys, helmReleaseValues, roleTrustLeastPrivilege, roleTrustValid,
    irsaChainIntact, irsaWiringLeastPrivilege, nodeMetadataOptions, oidcProviderAcceptsAudience, serviceAccountAnnotation,
};

export const POLICIES: Policies = [
    irsaChainIntact,
    irsaWiringLeastPrivilege,
    roleTrustValid,
    roleTrustLeastPrivilege,
    oidcProviderAcceptsAudience,
    controllerPolicyPermissions,
    serviceAccountAnnotation,
    helmReleaseValues,
    helmReleaseKnownKeys,
    nodeMetadataOptions,
];

export const POLICY_PACK_NAME = "eks-irsa-lbc";
