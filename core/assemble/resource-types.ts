/**
 * The Pulumi type tokens that carry a link of the IRSA chain. The assembler, the policy pack's
 * resource policies and the README all name types from here, so a provider's rename is one edit.
 */
export const TYPES = Object.freeze({
    role: "aws:iam/role:Role",
    oidcProvider: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    policy: "aws:iam/policy:Policy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    helmRelease: "kubernetes:helm.sh/v3:Release",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    eksCluster: "aws:eks/cluster:Cluster",
    eksComponentCluster: "eks:index:Cluster",
    podIdentityAssociation: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
});

/** The chart whose values, service account and permissions the controller rules are about. */
export { CHART_NAME as CONTROLLER_CHART } from "../chart-service-account";
