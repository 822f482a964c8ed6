/**
 * The analysis core's one entry point: a wiring snapshot in, a chain verdict and findings out. Pure:
 * no I/O, no clock, no Pulumi, so every front end (check, the policy pack, plan) gets the same answer.
 */
import type { Analysis, Finding } from "./analysis";
import { chainVerdict } from "./chain";
import { controllerPermissionFindings } from "./rules/controller-permissions";
import { helmValueFindings } from "./rules/helm-values";
import { instanceMetadataFindings } from "./rules/instance-metadata";
import { oidcProviderFindings } from "./rules/oidc-provider";
import { serviceAccountFindings } from "./rules/service-account";
import { subnetDiscoveryFindings } from "./rules/subnet-discovery";
import { DOCUMENT_REFUSED_RULES, trustDocumentFindings } from "./rules/trust-document";
import { trustDecisionFindings } from "./rules/trust-decision";
import { leastPrivilegeFindings } from "./rules/trust-least-privilege";
import type { WiringSnapshot } from "./snapshot";
import { deriveWiring } from "./wiring";

/** What a front end states beside the snapshot's facts, for the findings' wording only. */
export interface AnalyzeOptions {
    /**
     * Where `serviceAccount.audienceAnnotation` really comes from when the front end put it there
     * itself (the policy pack judging a provider alone, with the audience its configuration states),
     * e.g. `the policy configuration "irsa-oidc-provider-client-ids.audience"`; findings about the
     * audience then name that instead of the service account's annotation.
     */
    readonly audienceStatedIn?: string;
}

export function analyze(snapshot: WiringSnapshot, options?: AnalyzeOptions): Analysis {
    const wiring = deriveWiring(snapshot);
    const documentFindings = trustDocumentFindings(wiring);
    const refused = documentFindings.some((f) => DOCUMENT_REFUSED_RULES.has(f.rule));
    const findings: Finding[] = [
        ...documentFindings,
        ...oidcProviderFindings(wiring, options?.audienceStatedIn),
        ...trustDecisionFindings(wiring, refused),
        ...serviceAccountFindings(wiring),
        ...helmValueFindings(wiring),
        ...instanceMetadataFindings(wiring),
        ...controllerPermissionFindings(wiring),
        ...subnetDiscoveryFindings(wiring),
        ...leastPrivilegeFindings(wiring, refused),
    ];
    return { chain: chainVerdict(findings, wiring), findings };
}
