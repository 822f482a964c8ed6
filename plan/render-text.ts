/**
 * The plan as a person reads it: what ran and against what (a mock runtime, no cloud), the resource
 * tree `pulumi up` would create, then the IRSA chain's documents in full (trust policy,
 * ServiceAccount, Helm values), the stack outputs and a one-line count. Each part is its own
 * function so a further part (policy results) slots in without touching the others.
 */
import { countByType, helmReleases, serviceAccounts, webIdentityTrustPolicies } from "./chain-views";
import type { RecordedResource } from "./recorded-resource";
import type { PlanResult } from "./run";

export function renderText(plan: PlanResult): string {
    const sections = [
        header(plan),
        resourceTree(plan.resources),
        ...trustPolicies(plan.resources),
        ...serviceAccountSections(plan.resources),
        ...helmSections(plan.resources),
        outputs(plan.outputs),
        summary(plan.resources),
    ];
    return sections.join("\n\n") + "\n";
}

function header(plan: PlanResult): string {
    return [
        `Offline plan of stack "${plan.stack}" (project ${plan.project}) under Pulumi's mock runtime: nothing was sent to AWS or Kubernetes.`,
        `Stand-ins answered for the cloud: account ${plan.accountId}, region ${plan.region}, partition ${plan.partition}.`,
    ].join("\n");
}

function resourceTree(resources: readonly RecordedResource[]): string {
    const known = new Set(resources.map((r) => r.urn));
    const children = new Map<string | undefined, RecordedResource[]>();
    for (const resource of resources) {
        // A parent that never registered (it failed) would hide its children; show them at the top instead.
        const parent = resource.parent !== undefined && known.has(resource.parent) ? resource.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), resource]);
    }
    const lines = ["Resources `pulumi up` would create:"];
    const walk = (parent: string | undefined, depth: number) => {
        for (const resource of children.get(parent) ?? []) {
            lines.push(`${"    ".repeat(depth)}  + ${resource.type} ${resource.name}`);
            walk(resource.urn, depth + 1);
        }
    };
    walk(undefined, 0);
    return lines.join("\n");
}

function trustPolicies(resources: readonly RecordedResource[]): string[] {
    return webIdentityTrustPolicies(resources).map((view) =>
        `Trust policy of role ${view.name}:\n${pretty(view.document)}`);
}

function serviceAccountSections(resources: readonly RecordedResource[]): string[] {
    return serviceAccounts(resources).map((view) => {
        const annotations = Object.entries(view.annotations);
        const lines = [`ServiceAccount ${view.namespace}/${view.name}:`];
        lines.push(...(annotations.length > 0
            ? annotations.map(([key, value]) => `  ${key}: ${display(value)}`)
            : ["  (no annotations)"]));
        return lines.join("\n");
    });
}

function helmSections(resources: readonly RecordedResource[]): string[] {
    return helmReleases(resources).map((view) => [
        `Helm release ${view.resourceName}: chart ${display(view.chart)} ${display(view.version ?? "(latest)")}` +
        ` from ${display(view.repo ?? "(no repository)")} into namespace ${display(view.namespace)}`,
        `Values:\n${pretty(view.values)}`,
    ].join("\n"));
}

function outputs(values: Record<string, unknown>): string {
    const entries = Object.entries(values);
    if (entries.length === 0) {
        return "Outputs: none";
    }
    return ["Outputs:", ...entries.map(([key, value]) => `  ${key}: ${display(value)}`)].join("\n");
}

function summary(resources: readonly RecordedResource[]): string {
    const counts = countByType(resources).map(({ type, count }) => `${count} ${type}`);
    return `${resources.length} resources: ${counts.join(", ")}`;
}

function pretty(value: unknown): string {
    return JSON.stringify(value, null, 2);
}

/** Strings as they are, anything else as compact JSON. */
function display(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
