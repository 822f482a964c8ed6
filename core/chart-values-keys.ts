/**
 * The value keys the aws-load-balancer-controller chart (v3.5.0) reads. Helm ignores any other key
 * without a word, which is how `rbac.serviceAccount.*` silently turns into a chart-created account
 * with no role. The list is the project's own statement of the chart; a test proves it equal to the
 * upstream values.yaml in ../shared/upstream.
 */

export const CHART_VALUES_VERSION = "3.5.0";

export const CHART_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
    "replicaCount", "revisionHistoryLimit", "image", "runtimeClassName", "imagePullSecrets", "nameOverride",
    "fullnameOverride", "autoscaling", "serviceAccount", "rbac", "podSecurityContext", "securityContext",
    "terminationGracePeriodSeconds", "resources", "priorityClassName", "nodeSelector", "tolerations", "affinity",
    "configureDefaultAffinity", "topologySpreadConstraints", "updateStrategy", "serviceAnnotations",
    "deploymentAnnotations", "podAnnotations", "podLabels", "additionalLabels", "enableCertManager", "certManager",
    "clusterName", "cluster", "ingressClass", "ingressClassParams", "createIngressClassResource", "region", "vpcId",
    "vpcTags", "awsApiEndpoints", "awsApiThrottle", "awsMaxRetries", "defaultTargetType", "defaultLoadBalancerScheme",
    "enablePodReadinessGateInject", "enableShield", "enableWaf", "enableWafv2", "ingressMaxConcurrentReconciles",
    "logLevel", "metricsBindAddr", "webhookConfig", "webhookBindPort", "webhookTLS", "keepTLSSecret",
    "webhookNamespaceSelectors", "serviceMaxConcurrentReconciles", "targetgroupbindingMaxConcurrentReconciles",
    "targetgroupbindingMaxExponentialBackoffDelay", "targetgroupbindingRequeueDuration",
    "albGatewayMaxConcurrentReconciles", "nlbGatewayMaxConcurrentReconciles", "globalAcceleratorMaxConcurrentReconciles",
    "globalAcceleratorMaxExponentialBackoffDelay", "lbStabilizationMonitorInterval", "syncPeriod", "watchNamespace",
    "disableIngressClassAnnotation", "disableIngressGroupNameAnnotation", "tolerateNonExistentBackendService",
    "tolerateNonExistentBackendAction", "defaultSSLPolicy", "livenessProbe", "readinessProbe", "env", "hostNetwork",
    "dnsPolicy", "extraVolumeMounts", "extraVolumes", "defaultTags", "podDisruptionBudget", "externalManagedTags",
    "enableEndpointSlices", "enableBackendSecurityGroup", "enableManageBackendSecurityGroupRules",
    "backendSecurityGroup", "disableRestrictedSecurityGroupRules", "maxTargetsPerTargetGroup", "controllerConfig",
    "certManagement", "certDiscovery", "objectSelector", "serviceMonitor", "clusterSecretsPermissions",
    "ingressClassConfig", "enableServiceMutatorWebhook", "serviceMutatorWebhookConfig", "podMutatorWebhookConfig",
    "serviceTargetENISGTags", "loadBalancerClass",
]);

/** Helm passes `global` to every chart; it is never an unknown key. */
export const HELM_RESERVED_KEYS: ReadonlySet<string> = new Set(["global"]);

/** Sections whose sub-keys decide the controller's identity and image; their sub-keys are checked too. */
export const CHART_SECTION_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
    serviceAccount: new Set(["create", "annotations", "name", "automountServiceAccountToken", "imagePullSecrets"]),
    rbac: new Set(["create"]),
    image: new Set(["repository", "tag", "pullPolicy"]),
};
