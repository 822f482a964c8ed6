/**
 * The controller's newest permission set (unchanged upstream from v2.13.0 to v3.5.0), stated once.
 * Older releases are this set minus what `policy-history.ts` says they lacked; partitions differ
 * only through the ARN prefix passed in (and the exceptions the history records).
 */

/** One IAM statement as upstream writes it: a single Resource is a string, several are a list. */
// Type aliases rather than interfaces, so documents stay assignable to the snapshot's PolicyDocument.
export type IamStatement = {
    Effect: "Allow";
    Action: string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
};

export type IamPolicy = {
    Version: "2012-10-17";
    Statement: IamStatement[];
};

/** Names for the statements (IAM has no Sid in upstream's file); the history refers to them. */
export type StatementKey =
    | "create-service-linked-role"
    | "describe"
    | "integrations"
    | "security-group-ingress"
    | "create-security-group"
    | "tag-security-group-on-create"
    | "tag-own-security-groups"
    | "manage-own-security-groups"
    | "create-load-balancers-and-target-groups"
    | "manage-listeners-and-rules"
    | "tag-own-load-balancers-and-target-groups"
    | "tag-listeners-and-rules"
    | "modify-own-load-balancers-and-target-groups"
    | "add-tags-on-create"
    | "register-targets"
    | "modify-listeners-and-rules";

export interface StatementTemplate {
    readonly key: StatementKey;
    /** In upstream's order; older releases keep the same order with their missing actions left out. */
    readonly actions: readonly string[];
    /** `arn` is `arn:aws`, `arn:aws-cn` or `arn:aws-us-gov`. */
    readonly resource: (arn: string) => string | string[];
    readonly condition?: IamStatement["Condition"];
}

/** The tag the controller puts on everything it creates; most write access is scoped by it. */
const CLUSTER_TAG = "elbv2.k8s.aws/cluster";
const REQUEST_TAG = `aws:RequestTag/${CLUSTER_TAG}`;
const RESOURCE_TAG = `aws:ResourceTag/${CLUSTER_TAG}`;

const ANY = (): string => "*";
const SECURITY_GROUPS = (arn: string): string => `${arn}:ec2:*:*:security-group/*`;
const TARGET_GROUPS_AND_LOAD_BALANCERS = (arn: string): string[] => [
    `${arn}:elasticloadbalancing:*:*:targetgroup/*/*`,
    `${arn}:elasticloadbalancing:*:*:loadbalancer/net/*/*`,
    `${arn}:elasticloadbalancing:*:*:loadbalancer/app/*/*`,
];
const LISTENERS_AND_RULES = (arn: string): string[] => [
    `${arn}:elasticloadbalancing:*:*:listener/net/*/*/*`,
    `${arn}:elasticloadbalancing:*:*:listener/app/*/*/*`,
    `${arn}:elasticloadbalancing:*:*:listener-rule/net/*/*/*`,
    `${arn}:elasticloadbalancing:*:*:listener-rule/app/*/*/*`,
];

/** Being created by this request: the cluster tag is in the request. */
const TAGGED_IN_REQUEST = { Null: { [REQUEST_TAG]: "false" } };
/** Owned by a cluster and not being re-tagged to another: the tag is on the resource, not in the request. */
const OWNED_NOT_RETAGGED = { Null: { [REQUEST_TAG]: "true", [RESOURCE_TAG]: "false" } };
const OWNED = { Null: { [RESOURCE_TAG]: "false" } };

/** In upstream's statement order for the `aws` partition (see `statementOrder` for the others). */
export const NEWEST_STATEMENTS: readonly StatementTemplate[] = Object.freeze([
    {
        key: "create-service-linked-role",
        actions: ["iam:CreateServiceLinkedRole"],
        resource: ANY,
        condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
        key: "describe",
        actions: [
            "ec2:DescribeAccountAttributes",
            "ec2:DescribeAddresses",
            "ec2:DescribeAvailabilityZones",
            "ec2:DescribeInternetGateways",
            "ec2:DescribeVpcs",
            "ec2:DescribeVpcPeeringConnections",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeInstances",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeTags",
            "ec2:GetCoipPoolUsage",
            "ec2:DescribeCoipPools",
            "ec2:GetSecurityGroupsForVpc",
            "ec2:DescribeIpamPools",
            "ec2:DescribeRouteTables",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeListenerCertificates",
            "elasticloadbalancing:DescribeSSLPolicies",
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetGroupAttributes",
            "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTrustStores",
            "elasticloadbalancing:DescribeListenerAttributes",
            "elasticloadbalancing:DescribeCapacityReservation",
        ],
        resource: ANY,
    },
    {
        key: "integrations",
        actions: [
            "cognito-idp:DescribeUserPoolClient",
            "acm:ListCertificates",
            "acm:DescribeCertificate",
            "iam:ListServerCertificates",
            "iam:GetServerCertificate",
            "waf-regional:GetWebACL",
            "waf-regional:GetWebACLForResource",
            "waf-regional:AssociateWebACL",
            "waf-regional:DisassociateWebACL",
            "wafv2:GetWebACL",
            "wafv2:GetWebACLForResource",
            "wafv2:AssociateWebACL",
            "wafv2:DisassociateWebACL",
            "shield:GetSubscriptionState",
            "shield:DescribeProtection",
            "shield:CreateProtection",
            "shield:DeleteProtection",
        ],
        resource: ANY,
    },
    {
        key: "security-group-ingress",
        actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
        resource: ANY,
    },
    {
        key: "create-security-group",
        actions: ["ec2:CreateSecurityGroup"],
        resource: ANY,
    },
    {
        key: "tag-security-group-on-create",
        actions: ["ec2:CreateTags"],
        resource: SECURITY_GROUPS,
        condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...TAGGED_IN_REQUEST },
    },
    {
        key: "tag-own-security-groups",
        actions: ["ec2:CreateTags", "ec2:DeleteTags"],
        resource: SECURITY_GROUPS,
        condition: OWNED_NOT_RETAGGED,
    },
    {
        key: "manage-own-security-groups",
        actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
        resource: ANY,
        condition: OWNED,
    },
    {
        key: "create-load-balancers-and-target-groups",
        actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
        resource: ANY,
        condition: TAGGED_IN_REQUEST,
    },
    {
        key: "manage-listeners-and-rules",
        actions: [
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:CreateRule",
            "elasticloadbalancing:DeleteRule",
        ],
        resource: ANY,
    },
    {
        key: "tag-own-load-balancers-and-target-groups",
        actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        resource: TARGET_GROUPS_AND_LOAD_BALANCERS,
        condition: OWNED_NOT_RETAGGED,
    },
    {
        key: "tag-listeners-and-rules",
        actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        resource: LISTENERS_AND_RULES,
    },
    {
        key: "modify-own-load-balancers-and-target-groups",
        actions: [
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:SetIpAddressType",
            "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets",
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:ModifyListenerAttributes",
            "elasticloadbalancing:ModifyCapacityReservation",
            "elasticloadbalancing:ModifyIpPools",
        ],
        resource: ANY,
        condition: OWNED,
    },
    {
        // Elastic Load Balancing authorizes AddTags on every create call that carries tags.
        key: "add-tags-on-create",
        actions: ["elasticloadbalancing:AddTags"],
        resource: TARGET_GROUPS_AND_LOAD_BALANCERS,
        condition: {
            StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
            ...TAGGED_IN_REQUEST,
        },
    },
    {
        key: "register-targets",
        actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        resource: (arn: string) => `${arn}:elasticloadbalancing:*:*:targetgroup/*/*`,
    },
    {
        key: "modify-listeners-and-rules",
        actions: [
            "elasticloadbalancing:SetWebAcl",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:AddListenerCertificates",
            "elasticloadbalancing:RemoveListenerCertificates",
            "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:SetRulePriorities",
        ],
        resource: ANY,
    },
] as StatementTemplate[]);
