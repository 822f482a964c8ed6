/**
 * Helm values the chart will not act on: keys it does not know (silently dropped, so the settings
 * the author meant never apply) and a missing clusterName (the chart refuses to render).
 */
import type { Finding } from "../analysis";
import { CHART_SECTION_KEYS, CHART_TOP_LEVEL_KEYS, CHART_VALUES_VERSION, HELM_RESERVED_KEYS } from "../chart-values-keys";
import { childPath } from "../path";
import type { Wiring } from "../wiring";
import { finding } from "./finding";

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Where a misplaced key most likely belongs, when its own name is a section the chart knows. */
function hint(section: string, key: string): string {
    if (CHART_TOP_LEVEL_KEYS.has(key)) return ` Move it to the top level: "${key}" is a top-level value, not part of "${section}".`;
    return "";
}

/** Keys differ from a known one only in case or separators (`serviceaccount`, `cluster_name`) often. */
function nearMiss(key: string, known: ReadonlySet<string>): string | undefined {
    const squash = (k: string) => k.toLowerCase().replace(/[-_]/g, "");
    const match = [...known].find((k) => squash(k) === squash(key));
    return match === undefined ? undefined : `Rename "${key}" to "${match}" (value keys are case-sensitive).`;
}

export function helmValueFindings(wiring: Wiring): Finding[] {
    const values = wiring.snapshot.helmValues;
    if (values === undefined) return [];
    const findings: Finding[] = [];
    for (const [key, value] of Object.entries(values)) {
        if (!CHART_TOP_LEVEL_KEYS.has(key) && !HELM_RESERVED_KEYS.has(key)) {
            findings.push(finding("helm-values-unknown-key", childPath("helmValues", key),
                `Helm value "${key}" is not a value of the aws-load-balancer-controller chart (v${CHART_VALUES_VERSION}); the chart ignores it`,
                nearMiss(key, CHART_TOP_LEVEL_KEYS) ?? "Remove it or use the chart's key (see the chart's values.yaml)."));
            continue;
        }
        const known = CHART_SECTION_KEYS[key];
        if (known === undefined || !isObject(value)) continue;
        for (const sub of Object.keys(value)) {
            if (known.has(sub)) continue;
            findings.push(finding("helm-values-unknown-key", childPath(childPath("helmValues", key), sub),
                `Helm value "${key}.${sub}" is not a value of the aws-load-balancer-controller chart (v${CHART_VALUES_VERSION}); the chart ignores it and everything under it`,
                nearMiss(sub, known) ?? `Use the chart's keys under "${key}": ${[...known].join(", ")}.${hint(key, sub)}`));
        }
    }
    const clusterName = values.clusterName;
    if (typeof clusterName !== "string" || clusterName.trim() === "") {
        findings.push(finding("helm-cluster-name-missing", "helmValues.clusterName",
            `clusterName is ${clusterName === undefined ? "not set" : JSON.stringify(clusterName)}; the chart requires it and the controller uses it to tag and find its resources`,
            `Set clusterName to the EKS cluster's name${wiring.snapshot.cluster?.name !== undefined ? ` ("${wiring.snapshot.cluster.name}")` : ""}.`));
    }
    return findings;
}
