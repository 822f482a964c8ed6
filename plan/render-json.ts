/**
 * The plan as one JSON document for scripts and tests: everything the text shows, plus every
 * resource's inputs and outputs. No absolute paths, so two clones print the same document.
 */
import { countByType, helmReleases, serviceAccounts, webIdentityTrustPolicies } from "./chain-views";
import type { PlanResult } from "./run";

export function planDocument(plan: PlanResult): Record<string, unknown> {
    return {
        stack: plan.stack,
        project: plan.project,
        offline: true,
        standIns: { accountId: plan.accountId, region: plan.region, partition: plan.partition },
        config: plan.config,
        resources: plan.resources,
        outputs: plan.outputs,
        trustPolicies: webIdentityTrustPolicies(plan.resources),
        serviceAccounts: serviceAccounts(plan.resources),
        helmReleases: helmReleases(plan.resources),
        summary: { resources: plan.resources.length, byType: countByType(plan.resources) },
    };
}

export function renderJson(plan: PlanResult): string {
    return JSON.stringify(planDocument(plan), null, 2) + "\n";
}
