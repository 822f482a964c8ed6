/**
 * The decisive question: does the trust policy, evaluated as IAM evaluates it, let this pod's real
 * token in? Also asked for every service account the author meant to trust (a role meant for two
 * accounts that admits one is broken for the other), and, for EKS Pod Identity, whether the role
 * trusts pods.eks.amazonaws.com for both calls the agent makes.
 */
import type { Finding } from "../analysis";
import { evaluatePolicy, type AuthorizationRequest } from "../iam/evaluate";
import { judgeStatements, WEB_IDENTITY_ACTION } from "../iam/web-identity";
import type { Wiring } from "../wiring";
import { finding } from "./finding";

const POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com";
const POD_IDENTITY_ACTIONS = ["sts:AssumeRole", "sts:TagSession"];

/**
 * What the EKS Auth service presents when it assumes the role: the confused-deputy keys and the
 * session tags it attaches (those known from the snapshot; pod name and uid never are).
 */
function podIdentityContext(wiring: Wiring): Map<string, readonly string[]> {
    const context = new Map<string, readonly string[]>();
    const { cluster } = wiring.snapshot;
    const account = wiring.account;
    if (cluster?.accountId !== undefined) context.set("aws:sourceaccount", [cluster.accountId]);
    if (cluster?.accountId !== undefined && cluster.region !== undefined && cluster.name !== undefined) {
        const clusterArn = `arn:${wiring.partition}:eks:${cluster.region}:${cluster.accountId}:cluster/${cluster.name}`;
        context.set("aws:sourcearn", [clusterArn]);
        context.set("aws:requesttag/eks-cluster-arn", [clusterArn]);
    }
    if (cluster?.name !== undefined) context.set("aws:requesttag/eks-cluster-name", [cluster.name]);
    if (account.namespace !== undefined) context.set("aws:requesttag/kubernetes-namespace", [account.namespace]);
    if (account.name !== undefined) context.set("aws:requesttag/kubernetes-service-account", [account.name]);
    return context;
}

/** Whether some Allow statement lets the EKS Pod Identity service principal assume the role. */
function trustsPodIdentity(wiring: Wiring): boolean {
    const statements = wiring.trust?.statements;
    if (statements === undefined) return false;
    const request: AuthorizationRequest = { action: "sts:AssumeRole", principal: { type: "Service", id: POD_IDENTITY_SERVICE }, context: podIdentityContext(wiring) };
    return evaluatePolicy(statements, request).decision === "allow";
}

function podIdentityFindings(wiring: Wiring): Finding[] {
    const statements = wiring.trust?.statements;
    if (statements === undefined) return [];
    const context = podIdentityContext(wiring);
    const refused = POD_IDENTITY_ACTIONS.filter((action) => {
        const request: AuthorizationRequest = { action, principal: { type: "Service", id: POD_IDENTITY_SERVICE }, context };
        return evaluatePolicy(statements, request).decision !== "allow";
    });
    if (refused.length === 0) return [];
    return [finding("pod-identity-trust-incomplete", "trustPolicy",
        `the role is used through EKS Pod Identity but its trust policy does not allow ${refused.join(" and ")} for the service principal ${POD_IDENTITY_SERVICE}`,
        `Add an Allow statement with Principal {"Service": "${POD_IDENTITY_SERVICE}"} and Action ["sts:AssumeRole", "sts:TagSession"].`)];
}

/**
 * When the chart, not the author, chose the account the pods run as, trusting that account would be
 * the wrong fix: the values must name the account the role trusts.
 */
function chartNameFix(wiring: Wiring): string | undefined {
    const chart = wiring.account.chart;
    if (wiring.account.describedNamespace !== undefined && wiring.account.describedName === undefined) {
        return `Install the Helm release into "${wiring.account.describedNamespace}", where the annotated account the role trusts lives: the pods run in the release's namespace "${wiring.account.namespace}".`;
    }
    if (chart?.origin === "generated") {
        return `Set serviceAccount.name to the account the role trusts: the chart named the account "${wiring.account.name}" after the Helm release because serviceAccount.name is unset.`;
    }
    if (chart?.origin === "default-account") {
        return "Set serviceAccount.name to the account the role trusts: with serviceAccount.create=false and no name the chart runs the pods as 'default'.";
    }
    return undefined;
}

export function trustDecisionFindings(wiring: Wiring, documentRefused: boolean): Finding[] {
    if (wiring.podIdentity) return podIdentityFindings(wiring);
    const { trust, token, providerArn } = wiring;
    if (trust === undefined || documentRefused || token === undefined || providerArn === undefined) return [];
    const findings: Finding[] = [];
    const verdict = judgeStatements(trust.statements, token, providerArn);
    if (verdict.decision !== "allow") {
        // A role set up for EKS Pod Identity, reached through IRSA because the account still carries the
        // role-arn annotation (the SDK prefers the web identity token): the annotation is the fault.
        const podIdentityRole = verdict.decision === "implicit-deny" && trustsPodIdentity(wiring);
        const note = podIdentityRole
            ? `; the role trusts EKS Pod Identity (${POD_IDENTITY_SERVICE}), but the service account's eks.amazonaws.com/role-arn annotation makes the pods exchange a web identity token instead`
            : "";
        findings.push(finding("trust-policy-denies", verdict.path,
            `STS refuses ${WEB_IDENTITY_ACTION} for the pod's token (sub "${token.subject}", aud "${token.audience}"): ${verdict.explanation}${note}`,
            chartNameFix(wiring) ?? (podIdentityRole
                ? "Remove the eks.amazonaws.com/role-arn annotation from the service account (and restart the pods) so the Pod Identity agent supplies the credentials, or add an IRSA statement for the cluster's OIDC provider."
                : verdict.fix)));
    }
    (wiring.snapshot.intendedSubjects ?? []).forEach((subject, index) => {
        if (subject === token.subject) return;
        const intended = judgeStatements(trust.statements, { ...token, subject }, providerArn);
        if (intended.decision === "allow") return;
        findings.push(finding("trust-intended-subject-denied", `intendedSubjects[${index}]`,
            `the role is meant to trust "${subject}" but STS would refuse its token: ${intended.explanation}`,
            "List every subject as a value of one StringEquals key (a JSON list is any-of); repeated keys or repeated condition blocks collapse to the last one."));
    });
    return findings;
}
