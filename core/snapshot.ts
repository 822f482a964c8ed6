/**
 * The wiring snapshot: every fact that decides whether a pod's service-account token becomes AWS
 * credentials for the AWS Load Balancer Controller. It is the one input of the analysis core; the
 * CLI reads it from JSON, the policy pack assembles it from Pulumi resources, the plan from the
 * resources it recorded. Every field is optional: a rule whose facts are absent does not fire.
 * (Shape defined in ../shared/corpus/README.md.)
 */

/** An IAM policy document as IAM stores it (JSON, any casing of values the user wrote). */
export type PolicyDocument = Record<string, unknown>;

export interface ClusterFacts {
    name?: string;
    region?: string;
    /** `aws`, `aws-cn` or `aws-us-gov`. */
    partition?: string;
    accountId?: string;
    /** The token's `iss`, with `https://`. */
    oidcIssuer?: string;
}

export interface OidcProviderFacts {
    url?: string;
    clientIdList?: string[];
    thumbprintList?: string[];
    /** Defaults to `cluster.accountId`. */
    accountId?: string;
}

export interface ServiceAccountFacts {
    namespace?: string;
    name?: string;
    /** `null`: the account has no `eks.amazonaws.com/role-arn` annotation. */
    roleArnAnnotation?: string | null;
    /** `eks.amazonaws.com/audience`, when set. */
    audienceAnnotation?: string | null;
    /** `false`: the account does not exist in the cluster. */
    exists?: boolean;
}

export interface NodeMetadataOptions {
    httpTokens?: string;
    httpPutResponseHopLimit?: number;
    httpEndpoint?: string;
}

export interface SubnetFacts {
    id?: string;
    az?: string;
    /** Its route table has an internet-gateway route. */
    public?: boolean;
    tags?: Record<string, string>;
}

export interface LoadBalancerRequest {
    kind?: "ALB" | "NLB" | string;
    scheme?: "internet-facing" | "internal" | string;
}

export interface PodIdentityAssociationFacts {
    namespace?: string;
    serviceAccount?: string;
    roleArn?: string;
    [key: string]: unknown;
}

export interface WiringSnapshot {
    cluster?: ClusterFacts;
    /** `null`: no provider for the issuer exists in the role's account. */
    oidcProvider?: OidcProviderFacts | null;
    trustPolicy?: PolicyDocument;
    serviceAccount?: ServiceAccountFacts;
    helmRelease?: { name?: string; namespace?: string };
    /** Values given to the `aws-load-balancer-controller` chart; `image.tag` is the controller version. */
    helmValues?: Record<string, unknown>;
    /** The permissions policy attached to the controller's role. */
    controllerPolicy?: PolicyDocument;
    nodeMetadataOptions?: NodeMetadataOptions;
    subnets?: SubnetFacts[];
    loadBalancer?: LoadBalancerRequest;
    /** Resource creation order, where ordering is the fault (e.g. `["role", "oidcProvider"]`). */
    creationOrder?: string[];
    /** The service accounts (`system:serviceaccount:<ns>:<name>`) the author meant to trust. */
    intendedSubjects?: string[];
    podIdentityAssociation?: PodIdentityAssociationFacts | null;
}
