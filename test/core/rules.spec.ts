/**
 * Every rule of the catalog, one at a time: the reference wiring with exactly one fact broken
 * (rule-mutations.ts), and the whole analysis asserted: the chain link and every finding, message,
 * fix and path included.
 */
import * as assert from "node:assert/strict";
import { analyze, RULES } from "../../core";
import { reference, withCondition } from "./rule-fixtures";
import { MUTATIONS } from "./rule-mutations";

const EXPECTED: Record<string, { link: string | null; findings: unknown[] }> = {
    "trust-document-malformed": {
        "link": "trust-document-invalid",
        "findings": [
            {
                "rule": "trust-document-malformed",
                "severity": "error",
                "message": "trustPolicy.Statement[0].Effect is \"allow\"; IAM allows only \"Allow\" or \"Deny\"",
                "fix": "Set Effect to \"Allow\" or \"Deny\" (exact spelling).",
                "path": "trustPolicy.Statement[0].Effect"
            },
            {
                "rule": "trust-document-malformed",
                "severity": "error",
                "message": "trustPolicy.Statement[0].Resource is present; IAM prohibits Resource in a trust policy",
                "fix": "Remove Resource: a trust policy's resource is the role itself.",
                "path": "trustPolicy.Statement[0].Resource"
            }
        ]
    },
    "trust-condition-key-malformed": {
        "link": "trust-document-invalid",
        "findings": [
            {
                "rule": "trust-condition-key-malformed",
                "severity": "error",
                "message": "condition key \"https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\" carries the issuer's https:// scheme, giving it 2 colons; IAM allows one and refuses the document",
                "fix": "Write the key as \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\" (issuer host and path, no scheme).",
                "path": "trustPolicy.Statement[0].Condition.StringEquals[\"https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]"
            }
        ]
    },
    "trust-federated-principal-malformed": {
        "link": "trust-document-invalid",
        "findings": [
            {
                "rule": "trust-federated-principal-malformed",
                "severity": "error",
                "message": "Federated principal \"arn:aws:iam::111122223333:role/eks-cluster\" is a role ARN, not an identity provider; IAM refuses it",
                "fix": "Pass the OIDC provider's ARN (the aws.iam.OpenIdConnectProvider's arn), not the cluster's or another role's ARN.",
                "path": "trustPolicy.Statement[0].Principal.Federated"
            }
        ]
    },
    "trust-unresolved-placeholder": {
        "link": "trust-document-invalid",
        "findings": [
            {
                "rule": "trust-unresolved-placeholder",
                "severity": "error",
                "message": "Federated principal \"[object Object]\" is an object rendered as a string ([object Object]); IAM refuses it as a principal",
                "fix": "Render the resolved string value, not the object that holds it.",
                "path": "trustPolicy.Statement[0].Principal.Federated"
            }
        ]
    },
    "trust-provider-created-after-role": {
        "link": "trust-document-invalid",
        "findings": [
            {
                "rule": "trust-provider-created-after-role",
                "severity": "error",
                "message": "the role (\"lbcRole\") is created before the OIDC provider (\"clusterOidcProvider\") its trust policy names; IAM validates the Federated principal at CreateRole and refuses it (Invalid principal in policy)",
                "fix": "Derive the trust policy's Federated principal from the provider resource's arn output (or add dependsOn), so the provider is created first.",
                "path": "creationOrder"
            }
        ]
    },
    "oidc-provider-missing": {
        "link": "provider-missing",
        "findings": [
            {
                "rule": "oidc-provider-missing",
                "severity": "error",
                "message": "no IAM OIDC provider exists for the issuer https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE in account 111122223333; STS refuses the token (InvalidIdentityToken: no OpenIDConnect provider found)",
                "fix": "Create an IAM OIDC provider with URL https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE and client ID sts.amazonaws.com in account 111122223333 (eksctl utils associate-iam-oidc-provider, or aws.iam.OpenIdConnectProvider).",
                "path": "oidcProvider"
            }
        ]
    },
    "oidc-provider-issuer-mismatch": {
        "link": "provider-missing",
        "findings": [
            {
                "rule": "oidc-provider-issuer-mismatch",
                "severity": "error",
                "message": "the OIDC provider's URL \"https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE/\" is not the token's issuer \"https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\"; STS finds no provider for the token",
                "fix": "Register the provider with exactly the cluster's issuer URL \"https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\" (same host and /id/ path, no trailing slash).",
                "path": "oidcProvider.url"
            }
        ]
    },
    "oidc-provider-wrong-account": {
        "link": "provider-missing",
        "findings": [
            {
                "rule": "oidc-provider-wrong-account",
                "severity": "error",
                "message": "the OIDC provider is in account 444455556666 but the role arn:aws:iam::111122223333:role/lbc is in account 111122223333; STS looks for the provider in the role's account only",
                "fix": "Create an OIDC provider for https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE in account 111122223333 and name it in the role's trust policy.",
                "path": "oidcProvider.accountId"
            }
        ]
    },
    "token-audience-not-accepted": {
        "link": "audience-not-accepted",
        "findings": [
            {
                "rule": "token-audience-not-accepted",
                "severity": "error",
                "message": "the token's audience \"sts.amazonaws.com\" (the default in every partition when the service account has no eks.amazonaws.com/audience annotation) is not in the provider's client IDs [\"sts.us-west-2.amazonaws.com\"]; STS refuses it (InvalidIdentityToken: Incorrect token audience)",
                "fix": "Add \"sts.amazonaws.com\" to the provider's client IDs (regional STS endpoints are a client setting, not an audience), or set eks.amazonaws.com/audience on the service account to a listed client ID.",
                "path": "oidcProvider.clientIdList"
            }
        ]
    },
    "trust-policy-denies": {
        "link": "trust-policy-denies",
        "findings": [
            {
                "rule": "trust-policy-denies",
                "severity": "error",
                "message": "STS refuses sts:AssumeRoleWithWebIdentity for the pod's token (sub \"system:serviceaccount:kube-system:aws-load-balancer-controller\", aud \"sts.amazonaws.com\"): trustPolicy.Statement[0].Condition.StringEquals[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]: StringEquals \"system:serviceaccount:kube-system:other\" does not hold: the token's value is \"system:serviceaccount:kube-system:aws-load-balancer-controller\"",
                "fix": "Trust exactly \"system:serviceaccount:kube-system:aws-load-balancer-controller\" with StringEquals on \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\", or run the pods as the account the role trusts.",
                "path": "trustPolicy.Statement[0].Condition.StringEquals[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]"
            }
        ]
    },
    "trust-intended-subject-denied": {
        "link": "trust-policy-denies",
        "findings": [
            {
                "rule": "trust-intended-subject-denied",
                "severity": "error",
                "message": "the role is meant to trust \"system:serviceaccount:kube-system:other\" but STS would refuse its token: trustPolicy.Statement[0].Condition.StringEquals[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]: StringEquals \"system:serviceaccount:kube-system:aws-load-balancer-controller\" does not hold: the token's value is \"system:serviceaccount:kube-system:other\"",
                "fix": "List every subject as a value of one StringEquals key (a JSON list is any-of); repeated keys or repeated condition blocks collapse to the last one.",
                "path": "intendedSubjects[1]"
            }
        ]
    },
    "pod-identity-trust-incomplete": {
        "link": "trust-policy-denies",
        "findings": [
            {
                "rule": "pod-identity-trust-incomplete",
                "severity": "error",
                "message": "the role is used through EKS Pod Identity but its trust policy does not allow sts:TagSession for the service principal pods.eks.amazonaws.com",
                "fix": "Add an Allow statement with Principal {\"Service\": \"pods.eks.amazonaws.com\"} and Action [\"sts:AssumeRole\", \"sts:TagSession\"].",
                "path": "trustPolicy"
            }
        ]
    },
    "service-account-not-annotated": {
        "link": "service-account-not-annotated",
        "findings": [
            {
                "rule": "service-account-not-annotated",
                "severity": "error",
                "message": "the service account kube-system/aws-load-balancer-controller has no eks.amazonaws.com/role-arn annotation, so no web identity token or role is injected and the controller falls back to the node's credentials",
                "fix": "Annotate kube-system/aws-load-balancer-controller with eks.amazonaws.com/role-arn: <role ARN> before the pods start (an annotation added later needs a rollout restart).",
                "path": "serviceAccount.roleArnAnnotation"
            }
        ]
    },
    "service-account-annotation-malformed": {
        "link": "service-account-not-annotated",
        "findings": [
            {
                "rule": "service-account-annotation-malformed",
                "severity": "error",
                "message": "eks.amazonaws.com/role-arn is \"lbc\", which is not an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/<name>)",
                "fix": "Annotate the account with the role's ARN exactly as IAM returns it.",
                "path": "serviceAccount.roleArnAnnotation"
            }
        ]
    },
    "service-account-missing": {
        "link": "service-account-missing",
        "findings": [
            {
                "rule": "service-account-missing",
                "severity": "error",
                "message": "the service account kube-system/aws-load-balancer-controller does not exist and the chart is told not to create it (serviceAccount.create=false); the controller's ReplicaSet cannot create pods",
                "fix": "Create kube-system/aws-load-balancer-controller with the annotation eks.amazonaws.com/role-arn before the Helm release (make the release depend on it), or let the chart create it with serviceAccount.create=true and the annotation in serviceAccount.annotations.",
                "path": "serviceAccount.exists"
            }
        ]
    },
    "helm-service-account-name-missing": {
        "link": "trust-policy-denies",
        "findings": [
            {
                "rule": "trust-policy-denies",
                "severity": "error",
                "message": "STS refuses sts:AssumeRoleWithWebIdentity for the pod's token (sub \"system:serviceaccount:kube-system:default\", aud \"sts.amazonaws.com\"): trustPolicy.Statement[0].Condition.StringEquals[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]: StringEquals \"system:serviceaccount:kube-system:aws-load-balancer-controller\" does not hold: the token's value is \"system:serviceaccount:kube-system:default\"",
                "fix": "Set serviceAccount.name to the account the role trusts: with serviceAccount.create=false and no name the chart runs the pods as 'default'.",
                "path": "trustPolicy.Statement[0].Condition.StringEquals[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]"
            },
            {
                "rule": "helm-service-account-name-missing",
                "severity": "error",
                "message": "serviceAccount.create is false and serviceAccount.name is not set, so the chart runs the controller pods as the namespace's 'default' service account, which carries no role",
                "fix": "Set serviceAccount.name to the annotated service account (e.g. aws-load-balancer-controller).",
                "path": "helmValues.serviceAccount"
            }
        ]
    },
    "helm-service-account-mismatch": {
        "link": "trust-policy-denies",
        "findings": [
            {
                "rule": "trust-policy-denies",
                "severity": "error",
                "message": "STS refuses sts:AssumeRoleWithWebIdentity for the pod's token (sub \"system:serviceaccount:kube-system:lbc\", aud \"sts.amazonaws.com\"): trustPolicy.Statement[0].Condition.StringEquals[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]: StringEquals \"system:serviceaccount:kube-system:aws-load-balancer-controller\" does not hold: the token's value is \"system:serviceaccount:kube-system:lbc\"",
                "fix": "Trust exactly \"system:serviceaccount:kube-system:lbc\" with StringEquals on \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\", or run the pods as the account the role trusts.",
                "path": "trustPolicy.Statement[0].Condition.StringEquals[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]"
            },
            {
                "rule": "helm-service-account-mismatch",
                "severity": "error",
                "message": "the chart runs the controller pods as \"lbc\" (serviceAccount.name), not as \"aws-load-balancer-controller\", the account the snapshot describes",
                "fix": "Set serviceAccount.name to \"aws-load-balancer-controller\" (and serviceAccount.create=false if that account is created outside the chart).",
                "path": "helmValues.serviceAccount"
            }
        ]
    },
    "helm-values-unknown-key": {
        "link": null,
        "findings": [
            {
                "rule": "helm-values-unknown-key",
                "severity": "warning",
                "message": "Helm value \"image.version\" is not a value of the aws-load-balancer-controller chart (v3.5.0); the chart ignores it and everything under it",
                "fix": "Use the chart's keys under \"image\": repository, tag, pullPolicy.",
                "path": "helmValues.image.version"
            },
            {
                "rule": "helm-values-unknown-key",
                "severity": "warning",
                "message": "Helm value \"vpcID\" is not a value of the aws-load-balancer-controller chart (v3.5.0); the chart ignores it",
                "fix": "Rename \"vpcID\" to \"vpcId\" (value keys are case-sensitive).",
                "path": "helmValues.vpcID"
            }
        ]
    },
    "helm-cluster-name-missing": {
        "link": "controller-startup",
        "findings": [
            {
                "rule": "helm-cluster-name-missing",
                "severity": "error",
                "message": "clusterName is \"\"; the chart requires it and the controller uses it to tag and find its resources",
                "fix": "Set clusterName to the EKS cluster's name (\"demo\").",
                "path": "helmValues.clusterName"
            }
        ]
    },
    "controller-imds-unreachable": {
        "link": "controller-startup",
        "findings": [
            {
                "rule": "controller-imds-unreachable",
                "severity": "error",
                "message": "the nodes require IMDSv2 with a hop limit of 1, so pods cannot reach instance metadata, and Helm value vpcId is not set; the controller cannot learn its VPC and crash-loops at start",
                "fix": "Set the Helm value vpcId (keeps the hop limit at 1), or raise the nodes' httpPutResponseHopLimit to 2.",
                "path": "helmValues.vpcId"
            }
        ]
    },
    "subnet-discovery-no-candidates": {
        "link": "load-balancer-subnets",
        "findings": [
            {
                "rule": "subnet-discovery-no-candidates",
                "severity": "error",
                "message": "an internet-facing ALB needs subnets in at least two AZs, but no subnet carries the tag kubernetes.io/role/elb and controller v2.12.0 predates discovery by reachability (v2.13.0); the controller reports \"unable to resolve at least one subnet\"",
                "fix": "Tag at least two public subnets in distinct AZs with kubernetes.io/role/elb=1, or run controller v2.13.0 or newer.",
                "path": "subnets"
            }
        ]
    },
    "controller-policy-missing-actions": {
        "link": "controller-permissions",
        "findings": [
            {
                "rule": "controller-policy-missing-actions",
                "severity": "error",
                "message": "the controller's policy does not allow elasticloadbalancing:AddTags: since 2023-06-01 Elastic Load Balancing checks elasticloadbalancing:AddTags on every create call that carries tags, and no Allow statement lets the controller tag a new target group, Application Load Balancer or Network Load Balancer as it is created, so creating them fails with AccessDenied whatever the controller version; the upstream statement allows AddTags on targetgroup/*/*, loadbalancer/net/*/* and loadbalancer/app/*/* with StringEquals elasticloadbalancing:CreateAction [CreateTargetGroup, CreateLoadBalancer] and Null aws:RequestTag/elbv2.k8s.aws/cluster false",
                "fix": "Attach the upstream policy of controller v2.13.0 (partition aws), or add elasticloadbalancing:AddTags.",
                "path": "controllerPolicy"
            }
        ]
    },
    "trust-sub-condition-missing": {
        "link": null,
        "findings": [
            {
                "rule": "trust-sub-condition-missing",
                "severity": "warning",
                "message": "trustPolicy.Statement[0] lets every service account of the cluster assume the role: it has no condition on \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"",
                "fix": "Add StringEquals \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\": \"system:serviceaccount:kube-system:aws-load-balancer-controller\".",
                "path": "trustPolicy.Statement[0].Condition"
            }
        ]
    },
    "trust-sub-wildcard": {
        "link": null,
        "findings": [
            {
                "rule": "trust-sub-wildcard",
                "severity": "warning",
                "message": "trustPolicy.Statement[0].Condition.StringLike[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"] matches sub with StringLike \"system:serviceaccount:kube-system:*\", which admits every service account that fits the pattern, not one exact account",
                "fix": "Use StringEquals with the exact subject(s): \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\": \"system:serviceaccount:kube-system:aws-load-balancer-controller\".",
                "path": "trustPolicy.Statement[0].Condition.StringLike[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]"
            }
        ]
    },
    "trust-sub-negated": {
        "link": null,
        "findings": [
            {
                "rule": "trust-sub-negated",
                "severity": "warning",
                "message": "trustPolicy.Statement[0].Condition.StringNotLike[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"] uses the negated operator StringNotLike on sub (StringNotLike \"system:serviceaccount:default:*\"), which trusts every service account except those listed",
                "fix": "Replace it with StringEquals \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\": \"system:serviceaccount:kube-system:aws-load-balancer-controller\".",
                "path": "trustPolicy.Statement[0].Condition.StringNotLike[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]"
            }
        ]
    },
    "trust-aud-not-pinned": {
        "link": null,
        "findings": [
            {
                "rule": "trust-aud-not-pinned",
                "severity": "warning",
                "message": "trustPolicy.Statement[0] checks aud only with StringEqualsIgnoreCase \"STS.amazonaws.com\", which does not match exactly one audience (one value, case-sensitive, no * or ? pattern); any token of this issuer for another audience is accepted",
                "fix": "Add StringEquals \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud\": \"sts.amazonaws.com\".",
                "path": "trustPolicy.Statement[0].Condition.StringEqualsIgnoreCase[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud\"]"
            }
        ]
    },
    "trust-principal-wildcard": {
        "link": null,
        "findings": [
            {
                "rule": "trust-principal-wildcard",
                "severity": "warning",
                "message": "trustPolicy.Statement[0] trusts any principal (*) and no condition pins it to exact principals",
                "fix": "Use Principal {\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\"} with StringEquals on sub and aud.",
                "path": "trustPolicy.Statement[0].Principal"
            }
        ]
    },
    "trust-if-exists-fails-open": {
        "link": null,
        "findings": [
            {
                "rule": "trust-if-exists-fails-open",
                "severity": "warning",
                "message": "trustPolicy.Statement[0].Condition.StringEqualsIfExists[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:email\"] uses StringEqualsIfExists on \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:email\", a key the web-identity request does not carry; IfExists skips the check, so the statement matches without it",
                "fix": "Drop the condition or use a key the token carries (\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\" or \":aud\") with StringEquals.",
                "path": "trustPolicy.Statement[0].Condition.StringEqualsIfExists[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:email\"]"
            }
        ]
    },
    "trust-condition-key-foreign-provider": {
        "link": null,
        "findings": [
            {
                "rule": "trust-condition-key-foreign-provider",
                "severity": "warning",
                "message": "condition key \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLEOLDCLUSTER4633E53DE1BOLD:sub\" belongs to issuer \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLEOLDCLUSTER4633E53DE1BOLD\", but the statement's principal is the provider for \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\"; the key is never in its requests",
                "fix": "Write the key as \"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\" (the full issuer host and /id/ path of the principal's provider).",
                "path": "trustPolicy.Statement[0].Condition.StringNotEquals[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLEOLDCLUSTER4633E53DE1BOLD:sub\"]"
            }
        ]
    },
    "trust-wildcard-in-string-equals": {
        "link": null,
        "findings": [
            {
                "rule": "trust-wildcard-in-string-equals",
                "severity": "warning",
                "message": "trustPolicy.Statement[0].Condition.StringEquals[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]: StringEquals [\"system:serviceaccount:kube-system:aws-load-balancer-controller\",\"system:serviceaccount:kube-system:lbc-*\"] compares literally, so * and ? are plain characters here and match no real value",
                "fix": "List the exact values under StringEquals; if a pattern is truly meant, StringLike makes it one (and trusts every match).",
                "path": "trustPolicy.Statement[0].Condition.StringEquals[\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub\"]"
            }
        ]
    },
    "trust-action-wildcard": {
        "link": null,
        "findings": [
            {
                "rule": "trust-action-wildcard",
                "severity": "warning",
                "message": "trustPolicy.Statement[0] allows \"sts:*\" to a federated principal, more than sts:AssumeRoleWithWebIdentity",
                "fix": "Set Action to \"sts:AssumeRoleWithWebIdentity\".",
                "path": "trustPolicy.Statement[0].Action"
            }
        ]
    },
    "trust-federated-wrong-action": {
        "link": null,
        "findings": [
            {
                "rule": "trust-federated-wrong-action",
                "severity": "warning",
                "message": "trustPolicy.Statement[1] trusts an OIDC provider for \"sts:AssumeRole\", but web identity tokens are exchanged only through sts:AssumeRoleWithWebIdentity",
                "fix": "Set Action to \"sts:AssumeRoleWithWebIdentity\".",
                "path": "trustPolicy.Statement[1].Action"
            }
        ]
    }
};

describe("rules", () => {
    it("the reference wiring works with no finding", () => {
        assert.deepEqual(analyze(reference()).findings, []);
        assert.equal(analyze(reference()).chain.status, "works");
    });
    it("have one breaking fixture per rule of the catalog", () => {
        assert.deepEqual(Object.keys(MUTATIONS).sort(), RULES.map((r) => r.id).sort());
    });
    for (const rule of RULES) {
        it(`${rule.id} (${rule.severity})`, () => {
            const analysis = analyze(MUTATIONS[rule.id]());
            assert.ok(analysis.findings.some((f) => f.rule === rule.id), `${rule.id} did not fire`);
            assert.deepEqual({ link: analysis.chain.link ?? null, findings: analysis.findings }, EXPECTED[rule.id]);
        });
    }
});

describe("conditions that hold vacuously", () => {
    const host = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    const exact = { [`${host}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller", [`${host}:aud`]: "sts.amazonaws.com" };
    function vacuous(condition: Record<string, unknown>): string[] {
        return analyze(withCondition({ StringEquals: exact, ...condition })).findings.map((f) => `${f.rule} ${f.path}`);
    }
    it("flag ForAllValues: and negated operators on keys the request lacks, as IfExists", () => {
        assert.deepEqual(vacuous({ "ForAllValues:StringEquals": { "aws:PrincipalTag/team": "ops" } }),
            ['trust-if-exists-fails-open trustPolicy.Statement[0].Condition["ForAllValues:StringEquals"]["aws:PrincipalTag/team"]']);
        assert.deepEqual(vacuous({ StringNotEquals: { "aws:PrincipalTag/team": "guest" } }),
            ['trust-if-exists-fails-open trustPolicy.Statement[0].Condition.StringNotEquals["aws:PrincipalTag/team"]']);
    });
    it("leave alone keys the request carries, even with unknowable values", () => {
        assert.deepEqual(vacuous({ StringEqualsIfExists: { [`${host}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller" } }), []);
        assert.deepEqual(vacuous({ NotIpAddress: { "aws:SourceIp": "192.0.2.0/24" } }), []);
    });
});

describe("rule catalog", () => {
    it("has unique kebab-case ids and descriptions that start \"Checks that\"", () => {
        const ids = RULES.map((r) => r.id);
        assert.equal(new Set(ids).size, ids.length);
        for (const rule of RULES) {
            assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.match(rule.description, /^Checks that /);
        }
    });
    it("gives every error rule a chain link and no warning rule one", () => {
        for (const rule of RULES) assert.equal(rule.link !== undefined, rule.severity === "error", rule.id);
    });
});
