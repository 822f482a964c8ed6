/**
 * Every rule the core knows, with its stable id, severity and the chain link it breaks. The policy
 * pack, the README and `check` read this list; a finding's severity always comes from here, so a rule
 * cannot be an error in one place and a warning in another.
 */
import type { ChainLink, Severity } from "../analysis";

export interface RuleInfo {
    /** Stable kebab-case id; never renamed once released. */
    readonly id: string;
    readonly severity: Severity;
    /** The chain link a finding of this rule breaks (only `error` rules break one). */
    readonly link?: ChainLink;
    /** One sentence starting "Checks that ...". */
    readonly description: string;
}

export const RULES: readonly RuleInfo[] = Object.freeze([
    // The trust document as IAM accepts or refuses it at CreateRole / UpdateAssumeRolePolicy.
    { id: "trust-document-malformed", severity: "error", link: "trust-document-invalid",
      description: "Checks that the trust policy has the structure IAM accepts: Version 2012-10-17 or 2008-10-17, only the policy's and statements' own elements, unique alphanumeric Sids, statements with Effect Allow or Deny, a Principal (never NotPrincipal; AWS principals that are accounts, users, roles or role sessions), an Action, no Resource, known condition operators and string values, within the default 2,048-character ACLSizePerRole quota." },
    { id: "trust-condition-key-malformed", severity: "error", link: "trust-document-invalid",
      description: "Checks that every condition key has exactly one colon, so that issuer-scoped keys are written without https://." },
    { id: "trust-federated-principal-malformed", severity: "error", link: "trust-document-invalid",
      description: "Checks that a Federated principal is an OIDC or SAML provider ARN (issuer without https://) of the role's partition, or a bare identity-provider domain, never a role ARN or a URL." },
    { id: "trust-unresolved-placeholder", severity: "error", link: "trust-document-invalid",
      description: "Checks that the trust policy holds no unresolved placeholder text (an Output's toString, [object Object], an unrendered ${...} token) in principals or condition keys." },
    { id: "trust-provider-created-after-role", severity: "error", link: "trust-document-invalid",
      description: "Checks that the OIDC provider named by the trust policy is created before the role, since IAM validates the Federated principal when the role is created." },
    // STS: provider lookup and audience.
    { id: "oidc-provider-missing", severity: "error", link: "provider-missing",
      description: "Checks that an IAM OIDC provider for the cluster's issuer exists in the role's account." },
    { id: "oidc-provider-issuer-mismatch", severity: "error", link: "provider-missing",
      description: "Checks that the OIDC provider's URL is exactly the token's issuer (same host, same /id/ path, no trailing slash)." },
    { id: "oidc-provider-wrong-account", severity: "error", link: "provider-missing",
      description: "Checks that the OIDC provider lives in the same account as the role the service account names." },
    { id: "token-audience-not-accepted", severity: "error", link: "audience-not-accepted",
      description: "Checks that the audience of the token the pod really gets (eks.amazonaws.com/audience or sts.amazonaws.com) is in the provider's client-ID list." },
    // STS: the trust policy itself.
    { id: "trust-policy-denies", severity: "error", link: "trust-policy-denies",
      description: "Checks that the trust policy, evaluated as IAM does, allows sts:AssumeRoleWithWebIdentity for the pod's real token (issuer, sub, aud)." },
    { id: "trust-intended-subject-denied", severity: "error", link: "trust-policy-denies",
      description: "Checks that every service account the author meant to trust is allowed by the trust policy." },
    { id: "pod-identity-trust-incomplete", severity: "error", link: "trust-policy-denies",
      description: "Checks that a role used through EKS Pod Identity trusts pods.eks.amazonaws.com for both sts:AssumeRole and sts:TagSession." },
    // Service account and Helm values.
    { id: "service-account-not-annotated", severity: "error", link: "service-account-not-annotated",
      description: "Checks that the service account the controller pods run as carries eks.amazonaws.com/role-arn (or has a Pod Identity association)." },
    { id: "service-account-annotation-malformed", severity: "error", link: "service-account-not-annotated",
      description: "Checks that eks.amazonaws.com/role-arn holds an IAM role ARN with a role name and path IAM allows (no spaces)." },
    { id: "service-account-missing", severity: "error", link: "service-account-missing",
      description: "Checks that the service account exists when the chart is told not to create it (serviceAccount.create=false)." },
    { id: "helm-service-account-name-missing", severity: "error", link: "service-account-not-annotated",
      description: "Checks that serviceAccount.name is set when serviceAccount.create=false, since the pods otherwise run as 'default'." },
    { id: "helm-service-account-mismatch", severity: "error", link: "service-account-not-annotated",
      description: "Checks that the service account the chart renders for the pods is the annotated account the snapshot describes." },
    { id: "helm-values-unknown-key", severity: "warning",
      description: "Checks that the Helm values use only keys the aws-load-balancer-controller chart knows; unknown keys are silently ignored." },
    { id: "helm-cluster-name-missing", severity: "error", link: "controller-startup",
      description: "Checks that the chart's required clusterName value is set." },
    // The controller itself.
    { id: "controller-imds-unreachable", severity: "error", link: "controller-startup",
      description: "Checks that the controller can learn its region and VPC: either both are set as Helm values (region, and vpcId or a non-empty vpcTags) or the pods can reach instance metadata (IMDSv2 hop limit of at least 2, or hostNetwork); a region value set must be the cluster's region, not an AZ or another region." },
    { id: "subnet-discovery-no-candidates", severity: "error", link: "load-balancer-subnets",
      description: "Checks that the controller can discover at least two subnets in distinct AZs for the requested load balancer scheme (role tags, or reachability from v2.13.0)." },
    { id: "controller-policy-missing-actions", severity: "error", link: "controller-permissions",
      description: "Checks that the controller's IAM policy grants every action its version needs, including elasticloadbalancing:AddTags on create." },
    // Least privilege: the chain works but trusts too much.
    { id: "trust-sub-condition-missing", severity: "warning",
      description: "Checks that every web-identity Allow statement that can admit the cluster's tokens (its Federated principal is the cluster's OIDC provider, or a wildcard) binds the token's sub to exact service accounts; statements of other identity providers (Cognito, GitHub Actions, SAML, another cluster) are not judged." },
    { id: "trust-sub-wildcard", severity: "warning",
      description: "Checks that the sub condition names exact service accounts: no * or ? under a Like operator, unless another entry on the same key in the statement already names exact accounts (all entries must hold)." },
    { id: "trust-sub-negated", severity: "warning",
      description: "Checks that the sub condition is not a negated operator (StringNotEquals, StringNotLike, ...), which trusts every other account, unless another entry on the same key already names exact accounts." },
    { id: "trust-aud-not-pinned", severity: "warning",
      description: "Checks that every web-identity Allow statement that can admit the cluster's tokens pins aud to exactly one audience, case-sensitively: the entries on the key together admit one value (StringEquals, or StringLike without * or ?, bound it; set qualifiers and IfExists change nothing on the always-present aud)." },
    { id: "trust-principal-wildcard", severity: "warning",
      description: "Checks that an Allow statement with a wildcard principal is pinned to exact principals by a condition (as a self-assume statement is)." },
    { id: "trust-if-exists-fails-open", severity: "warning",
      description: "Checks that no condition holds vacuously on a key the web-identity request lacks (...IfExists, ForAllValues:, a negated operator), letting the statement match without the check." },
    { id: "trust-condition-key-foreign-provider", severity: "warning",
      description: "Checks that issuer-scoped condition keys belong to the provider named in the statement's Federated principal." },
    { id: "trust-wildcard-in-string-equals", severity: "warning",
      description: "Checks that * and ? appear only under Like operators, where they are wildcards; elsewhere they are literal characters." },
    { id: "trust-action-wildcard", severity: "warning",
      description: "Checks that a web-identity Allow statement names sts:AssumeRoleWithWebIdentity rather than sts:* or *." },
    { id: "trust-federated-wrong-action", severity: "warning",
      description: "Checks that a statement with an OIDC provider principal allows sts:AssumeRoleWithWebIdentity, not only sts:AssumeRole." },
] satisfies RuleInfo[]);

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleInfo(id: string): RuleInfo {
    const rule = BY_ID.get(id);
    if (rule === undefined) throw new Error(`unknown rule id ${JSON.stringify(id)}`);
    return rule;
}
