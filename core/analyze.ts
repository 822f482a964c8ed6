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

export function analyze(snapshot: WiringSnapshot): Analysis {
    const wiring = deriveWiring(snapshot);
    const documentFindings = trustDocumentFindings(wiring);
    const refused = documentFindings.some((f) => DOCUMENT_REFUSED_RULES.has(f.rule));
    const findings: Finding[] = [
        ...documentFindings,
        ...oidcProviderFindings(wiring),
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
