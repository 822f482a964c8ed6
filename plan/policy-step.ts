/**
 * The plan's policy step: after the program ran under mocks, judge what it would create the two
 * ways `pulumi up` will be judged: the IRSA chain verdict of each wiring (analysis core on the
 * assembled snapshot) and the project's policy pack, run as its own process over the Analyzer
 * protocol. The plan prints both beside the resource tree and fails when a mandatory policy fails.
 */
import * as fs from "fs";
import { analyze, type ChainVerdict } from "../core";
import { assembleWirings, type GenericResource } from "../core/assemble";
import { configurePolicyPack, runPolicyPack, type PolicyPackLocation, type PolicyPackSession, type RunningPack } from "./analyzer-client";
import { PolicyConfigError } from "./policy-config";
import { PlanInputError } from "./plan-input-error";
import type { PolicyPackResult } from "./policy-result";
import type { RecordedResource } from "./recorded-resource";

export interface ChainView {
    role: string;
    serviceAccount?: string;
    /** The load balancer request the verdict covers (one chain per distinct request), e.g. `internal ALB`. */
    loadBalancer?: string;
    verdict: ChainVerdict;
}

export interface PlanPolicyReport {
    chains: ChainView[];
    pack: PolicyPackResult;
}

export interface PlanPolicyStart {
    stack: string;
    project: string;
    /** Path of a `--policy-pack-config` JSON file. */
    configFile?: string;
    pack?: PolicyPackLocation;
    /** A pack process already starting (see `RunPolicyPackOptions.started`). */
    started?: Promise<RunningPack>;
}

export interface PlanPolicyOptions extends PlanPolicyStart {
    resources: readonly RecordedResource[];
    /** The pack already being configured for this stack (`configurePlanPolicies`). @default configured here */
    configured?: Promise<PolicyPackSession>;
}

/**
 * Reads the `--policy-pack-config` file and configures the pack for the stack. The plan calls it as
 * soon as the stack is known, so the handshake starts once the pack prints its port and this
 * process's event loop is free (loading a program is synchronous: with this project's program,
 * after it loaded; it overlaps only a program that waits for something). A failure (a bad config
 * file) is reported when the policy step awaits it, after the program's own failures.
 */
export function configurePlanPolicies(opts: PlanPolicyStart): Promise<PolicyPackSession> {
    const configured = (async () => {
        const config = opts.configFile === undefined ? undefined : readConfigFile(opts.configFile);
        try {
            return await configurePolicyPack({ stack: opts.stack, project: opts.project, config, pack: opts.pack, started: opts.started });
        } catch (err) {
            if (err instanceof PolicyConfigError) throw new PlanInputError(`--policy-pack-config ${opts.configFile}: ${err.message}`);
            throw err;
        }
    })();
    configured.catch(() => undefined);
    return configured;
}

export async function runPlanPolicies(opts: PlanPolicyOptions): Promise<PlanPolicyReport> {
    const pack = await runPolicyPack({
        resources: opts.resources, stack: opts.stack, project: opts.project,
        configured: opts.configured ?? configurePlanPolicies(opts),
    });
    return { chains: chainVerdicts(opts.resources), pack };
}

/** One verdict per wiring, from the resources' outputs (what `AnalyzeStack` sees). */
export function chainVerdicts(resources: readonly RecordedResource[]): ChainView[] {
    const generic: GenericResource[] = resources.map((r) => ({
        urn: r.urn, type: r.type, name: r.name,
        props: Object.keys(r.outputs).length > 0 ? r.outputs : r.inputs,
        parent: r.parent, dependencies: r.dependencies,
        ...(r.provider ? { provider: r.provider } : {}),
    }));
    const names = new Map(resources.map((r) => [r.urn, r.name]));
    return assembleWirings(generic).map((wiring) => {
        const account = wiring.snapshot.serviceAccount;
        return {
            role: names.get(wiring.roleUrn) ?? wiring.roleUrn,
            ...(account?.name !== undefined ? { serviceAccount: `${account.namespace ?? "default"}/${account.name}` } : {}),
            ...(wiring.snapshot.loadBalancer ? { loadBalancer: [wiring.snapshot.loadBalancer.scheme, wiring.snapshot.loadBalancer.kind].filter((x) => x).join(" ") } : {}),
            verdict: analyze(wiring.snapshot).chain,
        };
    });
}

function readConfigFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new PlanInputError(`--policy-pack-config ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new PlanInputError(`--policy-pack-config ${file}: not valid JSON (${(err as Error).message})`);
    }
}

/** The text the plan prints after the resource tree. */
export function renderPolicyText(report: PlanPolicyReport, resources: readonly RecordedResource[]): string {
    const names = new Map(resources.map((r) => [r.urn, `${r.type} ${r.name}`]));
    const lines: string[] = [];
    lines.push("IRSA chain:");
    if (report.chains.length === 0) lines.push("  (no IAM role used through IRSA or Pod Identity)");
    for (const chain of report.chains) {
        const who = `role ${chain.role}${chain.serviceAccount ? ` ↔ service account ${chain.serviceAccount}` : ""}${chain.loadBalancer ? ` (${chain.loadBalancer})` : ""}`;
        lines.push(`  ${chain.verdict.status === "works" ? "works " : "BROKEN"}  ${who}: ${chain.verdict.reason}`);
    }
    const { pack } = report;
    lines.push("");
    lines.push(`Policy pack ${pack.packName}@${pack.packVersion} (${pack.policies.length} policies, run as its own process over the Analyzer protocol: ${pack.analyzedResources} resources analyzed, then the stack):`);
    if (pack.violations.length === 0) lines.push("  no violations");
    for (const v of pack.violations) {
        const [, ...messageLines] = v.message.split("\n");
        lines.push(`  ${v.enforcementLevel.padEnd(9)} ${v.policyName} on ${names.get(v.urn) ?? (v.urn || "the stack")}`);
        lines.push(`            ${(messageLines.length > 0 ? messageLines.join(" ") : v.message)}`);
    }
    const mandatory = pack.violations.filter((v) => v.enforcementLevel === "mandatory" || v.enforcementLevel === "remediate").length;
    lines.push(mandatory > 0
        ? `${mandatory} mandatory policy violation${mandatory === 1 ? "" : "s"}: \`pulumi up --policy-pack policy-pack\` would refuse to run.`
        : `No mandatory policy violation${pack.violations.length > 0 ? ` (${pack.violations.length} advisory)` : ""}.`);
    return lines.join("\n") + "\n";
}

/** The `policy` member of `plan --json`. */
export function policyJson(report: PlanPolicyReport): Record<string, unknown> {
    return {
        chains: report.chains,
        pack: { name: report.pack.packName, version: report.pack.packVersion, policies: report.pack.policies.map((p) => ({ name: p.name, enforcementLevel: p.enforcementLevel, kind: p.kind })) },
        violations: report.pack.violations,
        mandatoryFailed: report.pack.mandatoryFailed,
    };
}
