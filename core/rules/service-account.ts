/**
 * The Kubernetes side of the chain: the pods must run as an account that exists and carries the
 * role-arn annotation (or has a Pod Identity association), and that account must be the one the chart
 * really renders. A chart told `create=false` without a name quietly runs the pods as `default`; a
 * chart that creates the account names it after the release unless told otherwise.
 */
import type { Finding } from "../analysis";
import { ROLE_ARN_ANNOTATION } from "../chart-service-account";
import { parseRoleArn, roleArnProblem, type Wiring } from "../wiring";
import { finding } from "./finding";

export function serviceAccountFindings(wiring: Wiring): Finding[] {
    const { account, snapshot } = wiring;
    const findings: Finding[] = [];
    const named = account.namespace !== undefined && account.name !== undefined ? `${account.namespace}/${account.name}` : account.name;
    const who = named ?? "the controller's service account";
    // As a sentence's subject: "the service account kube-system/x", never "the service account the controller's service account".
    const theAccount = named !== undefined ? `the service account ${named}` : who;
    const chart = account.chart;

    if (chart !== undefined && !chart.create && chart.origin === "default-account") {
        findings.push(finding("helm-service-account-name-missing", "helmValues.serviceAccount",
            "serviceAccount.create is false and serviceAccount.name is not set, so the chart runs the controller pods as the namespace's 'default' service account, which carries no role",
            "Set serviceAccount.name to the annotated service account (e.g. aws-load-balancer-controller)."));
    } else if (account.describedNamespace !== undefined && account.describedName === undefined) {
        const described = `${account.describedNamespace}/${account.name}`;
        findings.push(finding("helm-service-account-mismatch", "helmRelease.namespace",
            `the Helm release runs the controller pods in namespace "${account.namespace}", so they run as ${who}, not as ${described}, the account the snapshot describes; a service account serves only pods of its own namespace`,
            `Install the release into "${account.describedNamespace}" (helm --namespace ${account.describedNamespace}), or create the annotated account in "${account.namespace}" and trust system:serviceaccount:${account.namespace}:${account.name}.`));
    } else if (account.describedName !== undefined) {
        const how = chart?.origin === "generated"
            ? `the name the chart generates from the release name${snapshot.helmRelease?.name !== undefined ? ` "${snapshot.helmRelease.name}"` : ""}`
            : "serviceAccount.name";
        findings.push(finding("helm-service-account-mismatch", "helmValues.serviceAccount",
            `the chart runs the controller pods as "${account.name}" (${how}), not as "${account.describedName}", the account the snapshot describes`,
            `Set serviceAccount.name to "${account.describedName}" (and serviceAccount.create=false if that account is created outside the chart).`));
    }

    if (account.exists === false) {
        findings.push(finding("service-account-missing", "serviceAccount.exists",
            `${theAccount} does not exist${chart !== undefined && !chart.create ? " and the chart is told not to create it (serviceAccount.create=false)" : ""}; the controller's ReplicaSet cannot create pods`,
            `Create ${who} with the annotation ${ROLE_ARN_ANNOTATION} before the Helm release (make the release depend on it), or let the chart create it with serviceAccount.create=true and the annotation in serviceAccount.annotations.`));
    }

    const association = snapshot.podIdentityAssociation ?? undefined;
    if (wiring.podIdentity && association !== undefined) {
        const matches = (association.namespace === undefined || association.namespace === account.namespace)
            && (association.serviceAccount === undefined || account.name === undefined || association.serviceAccount === account.name);
        if (!matches) {
            findings.push(finding("service-account-not-annotated", "podIdentityAssociation",
                `the Pod Identity association is for ${association.namespace}/${association.serviceAccount}, but the pods run as ${who}, which has no ${ROLE_ARN_ANNOTATION} annotation either`,
                `Associate the role with ${who}, or annotate that account with ${ROLE_ARN_ANNOTATION}.`));
        }
        return findings;
    }

    // An account that does not exist carries no annotation to judge: service-account-missing says it all.
    if (account.exists === false) return findings;
    if (account.roleArn === null) {
        // A key that differs from the webhook's only in case or separators is the usual way to get here.
        const squash = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, "");
        const nearMiss = chart?.create
            ? Object.keys(chart.annotations).find((key) => key !== ROLE_ARN_ANNOTATION && (squash(key) === squash(ROLE_ARN_ANNOTATION) || /role.?arn$/i.test(key)))
            : undefined;
        const where = nearMiss !== undefined
            ? ` The values set "${nearMiss}" instead, which the webhook does not read: rename it to "${ROLE_ARN_ANNOTATION}".`
            : chart?.create
            ? ` Put it under serviceAccount.annotations["${ROLE_ARN_ANNOTATION}"]${account.describedName === undefined && chart !== undefined && !("serviceAccount" in (snapshot.helmValues ?? {})) ? " (the values set no serviceAccount at all)" : ""}.`
            : "";
        findings.push(finding("service-account-not-annotated", chart?.create ? "helmValues.serviceAccount.annotations" : "serviceAccount.roleArnAnnotation",
            `${theAccount} has no ${ROLE_ARN_ANNOTATION} annotation${nearMiss !== undefined ? ` (the values carry "${nearMiss}", a key the webhook ignores)` : ""}, so no web identity token or role is injected and the controller falls back to the node's credentials`,
            `Annotate ${who} with ${ROLE_ARN_ANNOTATION}: <role ARN> before the pods start (an annotation added later needs a rollout restart).${where}`));
    } else if (typeof account.roleArn === "string") {
        const role = parseRoleArn(account.roleArn);
        const clusterPartition = snapshot.cluster?.partition;
        if (role === undefined) {
            findings.push(finding("service-account-annotation-malformed", "serviceAccount.roleArnAnnotation",
                `${ROLE_ARN_ANNOTATION} is ${JSON.stringify(account.roleArn)}, ${roleArnProblem(account.roleArn)}`,
                "Annotate the account with the role's ARN exactly as IAM returns it."));
        } else if (clusterPartition !== undefined && role.partition !== clusterPartition) {
            findings.push(finding("service-account-annotation-malformed", "serviceAccount.roleArnAnnotation",
                `${ROLE_ARN_ANNOTATION} names a role in partition "${role.partition}" but the cluster is in partition "${clusterPartition}"; STS in ${clusterPartition} cannot assume it`,
                `Use the role's ARN in partition ${clusterPartition} (arn:${clusterPartition}:iam::...).`));
        }
    }
    return findings;
}
