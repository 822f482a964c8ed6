import { reference, withCondition, withStatement, ISSUER_HOST as H, PROVIDER_ARN as P, SUBJECT as S, ACCOUNT, ROLE_ARN } from "./rule-fixtures";
import type { WiringSnapshot } from "../../core";
const A = "sts:AssumeRoleWithWebIdentity";
function edit(f: (s: WiringSnapshot) => void): WiringSnapshot { const s = reference(); f(s); return s; }
export const MUTATIONS: Record<string, () => WiringSnapshot> = {
    "trust-document-malformed": () => withStatement({ Effect: "allow", Principal: { Federated: P }, Action: A, Resource: "*" }),
    "trust-condition-key-malformed": () => withCondition({ StringEquals: { [`https://${H}:sub`]: S, [`${H}:aud`]: "sts.amazonaws.com" } }),
    "trust-federated-principal-malformed": () => withStatement({ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCOUNT}:role/eks-cluster` }, Action: A, Condition: { StringEquals: { [`${H}:sub`]: S, [`${H}:aud`]: "sts.amazonaws.com" } } }),
    "trust-unresolved-placeholder": () => withStatement({ Effect: "Allow", Principal: { Federated: "[object Object]" }, Action: A, Condition: { StringEquals: { [`${H}:sub`]: S, [`${H}:aud`]: "sts.amazonaws.com" } } }),
    "trust-provider-created-after-role": () => edit((s) => { s.creationOrder = ["lbcRole", "clusterOidcProvider"]; }),
    "oidc-provider-missing": () => edit((s) => { s.oidcProvider = null; }),
    "oidc-provider-issuer-mismatch": () => edit((s) => { s.oidcProvider = { url: `https://${H}/`, clientIdList: ["sts.amazonaws.com"] }; }),
    "oidc-provider-wrong-account": () => edit((s) => { s.oidcProvider = { url: `https://${H}`, clientIdList: ["sts.amazonaws.com"], accountId: "444455556666" }; }),
    "token-audience-not-accepted": () => edit((s) => { s.oidcProvider = { url: `https://${H}`, clientIdList: ["sts.us-west-2.amazonaws.com"] }; }),
    "trust-policy-denies": () => withCondition({ StringEquals: { [`${H}:sub`]: "system:serviceaccount:kube-system:other", [`${H}:aud`]: "sts.amazonaws.com" } }),
    "trust-intended-subject-denied": () => edit((s) => { s.intendedSubjects = [S, "system:serviceaccount:kube-system:other"]; }),
    "pod-identity-trust-incomplete": () => edit((s) => {
        s.trustPolicy = { Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:AssumeRole" }] };
        s.serviceAccount = { namespace: "kube-system", name: "aws-load-balancer-controller", roleArnAnnotation: null, exists: true };
        s.podIdentityAssociation = { namespace: "kube-system", serviceAccount: "aws-load-balancer-controller", roleArn: ROLE_ARN };
    }),
    "service-account-not-annotated": () => edit((s) => { s.serviceAccount = { namespace: "kube-system", name: "aws-load-balancer-controller", roleArnAnnotation: null, exists: true }; }),
    "service-account-annotation-malformed": () => edit((s) => { s.serviceAccount = { namespace: "kube-system", name: "aws-load-balancer-controller", roleArnAnnotation: "lbc", exists: true }; }),
    "service-account-missing": () => edit((s) => { s.serviceAccount = { namespace: "kube-system", name: "aws-load-balancer-controller", roleArnAnnotation: ROLE_ARN, exists: false }; }),
    "helm-service-account-name-missing": () => edit((s) => { s.helmValues = { ...s.helmValues, serviceAccount: { create: false } }; }),
    "helm-service-account-mismatch": () => edit((s) => { s.helmValues = { ...s.helmValues, serviceAccount: { create: false, name: "lbc" } }; }),
    "helm-values-unknown-key": () => edit((s) => { s.helmValues = { ...s.helmValues, vpcID: "vpc-0example", image: { tag: "v2.13.0", version: "v2.13.0" } }; }),
    "helm-cluster-name-missing": () => edit((s) => { s.helmValues = { ...s.helmValues, clusterName: "" }; }),
    "controller-imds-unreachable": () => edit((s) => { const { vpcId: _v, ...rest } = s.helmValues as Record<string, unknown>; s.helmValues = rest; }),
    "subnet-discovery-no-candidates": () => edit((s) => { s.helmValues = { ...s.helmValues, image: { tag: "v2.12.0" } }; s.subnets = [{ id: "subnet-a", az: "us-west-2a", public: true, tags: {} }, { id: "subnet-b", az: "us-west-2b", public: true, tags: { "kubernetes.io/role/internal-elb": "1" } }]; }),
    "controller-policy-missing-actions": () => edit((s) => { s.controllerPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["elasticloadbalancing:*", "ec2:*", "iam:CreateServiceLinkedRole", "cognito-idp:DescribeUserPoolClient", "acm:*", "iam:ListServerCertificates", "iam:GetServerCertificate", "waf-regional:*", "wafv2:*", "shield:*"], Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": "us-west-2" } } }, { Effect: "Deny", Action: "elasticloadbalancing:AddTags", Resource: "*" }] }; }),
    "trust-sub-condition-missing": () => withCondition({ StringEquals: { [`${H}:aud`]: "sts.amazonaws.com" } }),
    "trust-sub-wildcard": () => withCondition({ StringLike: { [`${H}:sub`]: "system:serviceaccount:kube-system:*" }, StringEquals: { [`${H}:aud`]: "sts.amazonaws.com" } }),
    "trust-sub-negated": () => withCondition({ StringNotLike: { [`${H}:sub`]: "system:serviceaccount:default:*" }, StringEquals: { [`${H}:aud`]: "sts.amazonaws.com" } }),
    "trust-aud-not-pinned": () => withCondition({ StringEquals: { [`${H}:sub`]: S }, StringEqualsIgnoreCase: { [`${H}:aud`]: "STS.amazonaws.com" } }),
    "trust-principal-wildcard": () => withStatement({ Effect: "Allow", Principal: "*", Action: A, Condition: { StringEquals: { [`${H}:sub`]: S, [`${H}:aud`]: "sts.amazonaws.com" } } }),
    "trust-if-exists-fails-open": () => withCondition({ StringEquals: { [`${H}:sub`]: S, [`${H}:aud`]: "sts.amazonaws.com" }, StringEqualsIfExists: { [`${H}:email`]: "ops@example.com" } }),
    "trust-condition-key-foreign-provider": () => withCondition({ StringEquals: { [`${H}:sub`]: S, [`${H}:aud`]: "sts.amazonaws.com" }, StringNotEquals: { "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLEOLDCLUSTER4633E53DE1BOLD:sub": "system:serviceaccount:default:default" } }),
    "trust-wildcard-in-string-equals": () => withStatement({ Effect: "Allow", Principal: { Federated: P }, Action: A, Condition: { StringEquals: { [`${H}:sub`]: [S, "system:serviceaccount:kube-system:lbc-*"], [`${H}:aud`]: "sts.amazonaws.com" } } }),
    "trust-action-wildcard": () => withStatement({ Effect: "Allow", Principal: { Federated: P }, Action: "sts:*", Condition: { StringEquals: { [`${H}:sub`]: S, [`${H}:aud`]: "sts.amazonaws.com" } } }),
    "trust-federated-wrong-action": () => edit((s) => { (s.trustPolicy!.Statement as unknown[]).push({ Effect: "Allow", Principal: { Federated: P }, Action: "sts:AssumeRole" }); }),
};
