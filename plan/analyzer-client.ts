/**
 * Runs a CrossGuard policy pack on the offline plan the way the Pulumi engine runs it during
 * `pulumi preview --policy-pack`: the pack is its own process (started in its own directory, since
 * `new PolicyPack()` reads `package.json` from the working directory), it prints the port of its
 * gRPC server on stdout, and the engine then speaks the Analyzer protocol to it: `GetAnalyzerInfo`,
 * `Configure`, `ConfigureStack`, `Analyze` with each resource's inputs, and `AnalyzeStack` with every
 * resource's outputs. Going through the real process and protocol (rather than calling the policies
 * in-process) is what makes a clean plan mean the pack will pass in `pulumi up` too.
 */
import * as grpc from "@grpc/grpc-js";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { AnalyzerWireEncoder, type WireProvider, type WireResource } from "./analyzer-wire";
import { PROJECT_POLICY_PACK, startPolicyPackProcess, type PolicyPackLocation, type RunningPack } from "./pack-process";
import type { RecordedResource } from "./recorded-resource";
import { resolvePolicyConfig, type ResolvedPolicyConfig } from "./policy-config";
// The pack's process has a module of its own (the CLI starts it before loading this one).
export { PROJECT_POLICY_PACK, spawnPolicyPack, startPolicyPackProcess, type PolicyPackLocation, type RunningPack, type StartingPack } from "./pack-process";
import { isBlocking, type EnforcementLevel, type PolicyDescription, type PolicyPackResult, type PolicyViolation } from "./policy-result";

export interface ConfigurePolicyPackOptions {
    stack: string;
    project: string;
    /** Parsed `--policy-pack-config` file; `undefined` runs every policy at its default. */
    config?: unknown;
    pack?: PolicyPackLocation;
    /** Stack tags, as `ConfigureStack` passes them to `args.stackTags`. */
    stackTags?: Record<string, string>;
    /** How long the pack may take to print its port. @default 60000 */
    startTimeoutMs?: number;
    /**
     * A pack process started earlier with `startPolicyPackProcess` (the plan starts it before running
     * the program, so that the pack loads while the program runs). @default one started here
     */
    started?: Promise<RunningPack>;
}

/** A pack that answered `GetAnalyzerInfo` and took `Configure` and `ConfigureStack`: ready for resources. */
export interface PolicyPackSession {
    info: analyzerpb.AnalyzerInfo;
    policies: PolicyDescription[];
    client: analyzerrpc.AnalyzerClient;
    /** Closes the channel and stops the pack. */
    close(): Promise<void>;
}

/**
 * The exchange up to the resources: connect, `GetAnalyzerInfo`, `Configure`, `ConfigureStack`. None
 * of it needs the resources, so the plan runs it while the program still runs.
 */
export async function configurePolicyPack(opts: ConfigurePolicyPackOptions): Promise<PolicyPackSession> {
    const server = await (opts.started ?? startPolicyPackProcess(opts.pack ?? PROJECT_POLICY_PACK, opts.startTimeoutMs ?? 60_000));
    const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    const close = async () => {
        client.close();
        await server.stop();
    };
    try {
        const info = await unary<emptyproto.Empty, analyzerpb.AnalyzerInfo>(client, "getAnalyzerInfo", new emptyproto.Empty());
        const policies = info.getPoliciesList().map(describePolicy);
        const config = resolvePolicyConfig(opts.config, policies);
        await unary(client, "configure", configureRequest(config));
        await unary(client, "configureStack", stackConfigureRequest(opts));
        return { info, policies, client, close };
    } catch (err) {
        await close();
        throw err;
    }
}

/**
 * Analyze calls in flight at once. The client and the pack's server each answer a whole batch of
 * calls in one turn of their event loop, so they tend to work in turn, each idle while the other is
 * busy. At 32 in flight the pack's process sat idle about half of the Analyze phase of a 6,000-resource
 * stack; 128 keeps more work queued on both sides: 10-15% more resources per second (bench/pack-load,
 * alternating runs), at a few hundred kilobytes of requests held in memory.
 */
export const ANALYZE_CONCURRENCY = 128;

export interface RunPolicyPackOptions extends ConfigurePolicyPackOptions {
    resources: readonly RecordedResource[];
    /** Analyze calls in flight at once. @default ANALYZE_CONCURRENCY (128) */
    concurrency?: number;
    /** The pack already configured (`configurePolicyPack`) for this stack. @default configured here */
    configured?: Promise<PolicyPackSession>;
}

/** Starts the pack, runs every resource and the stack through it, stops it, and returns what it said. */
export async function runPolicyPack(opts: RunPolicyPackOptions): Promise<PolicyPackResult> {
    const { info, policies, client, close } = await (opts.configured ?? configurePolicyPack(opts));
    try {
        const byUrn = new Map(opts.resources.map((r) => [r.urn, r]));
        const providers = new Map<string, WireProvider | undefined>();
        const encoder = new AnalyzerWireEncoder();
        const violations: PolicyViolation[] = [];
        await forEachLimited(opts.resources, opts.concurrency ?? ANALYZE_CONCURRENCY, async (resource) => {
            const bytes = encoder.analyzeRequest(wireResource(resource, resource.inputs, byUrn, providers));
            const response = await unaryBytes(client, analyzerrpc.AnalyzerService.analyze.path, bytes, analyzerpb.AnalyzeResponse.deserializeBinary);
            violations.push(...response.getDiagnosticsList().map((d) => toViolation(d, "analyze", resource.urn)));
        });
        // AnalyzeStack sees the state after the step: outputs (the stand-ins echo inputs into them).
        const stackBytes = encoder.analyzeStackRequest(opts.resources.map((r) =>
            wireResource(r, Object.keys(r.outputs).length > 0 ? r.outputs : r.inputs, byUrn, providers)));
        const stackResponse = await unaryBytes(client, analyzerrpc.AnalyzerService.analyzeStack.path, stackBytes, analyzerpb.AnalyzeResponse.deserializeBinary);
        violations.push(...stackResponse.getDiagnosticsList().map((d) => toViolation(d, "analyze-stack", "")));

        // Analyze responses arrive in any order; sort so the same plan always prints the same way.
        const order = new Map(opts.resources.map((r, i) => [r.urn, i]));
        violations.sort((a, b) =>
            (a.stage === b.stage ? 0 : a.stage === "analyze" ? -1 : 1)
            || (order.get(a.urn) ?? -1) - (order.get(b.urn) ?? -1)
            || a.policyName.localeCompare(b.policyName)
            || a.message.localeCompare(b.message));
        return {
            packName: info.getName(),
            packVersion: info.getVersion(),
            policies,
            violations,
            analyzedResources: opts.resources.length,
            mandatoryFailed: violations.some((v) => isBlocking(v.enforcementLevel)),
        };
    } finally {
        await close();
    }
}

function describePolicy(p: analyzerpb.PolicyInfo): PolicyDescription {
    const schema = p.getConfigschema();
    const description: PolicyDescription = {
        name: p.getName(),
        description: p.getDescription(),
        enforcementLevel: levelName(p.getEnforcementlevel()),
        kind: p.getPolicyType() === analyzerpb.PolicyType.POLICY_TYPE_RESOURCE ? "resource"
            : p.getPolicyType() === analyzerpb.PolicyType.POLICY_TYPE_STACK ? "stack" : "unknown",
    };
    if (schema) {
        const required = schema.getRequiredList();
        description.configSchema = {
            properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
            ...(required.length > 0 ? { required } : {}),
        };
    }
    return description;
}

function configureRequest(config: Map<string, ResolvedPolicyConfig>): analyzerpb.ConfigureAnalyzerRequest {
    const request = new analyzerpb.ConfigureAnalyzerRequest();
    const map = request.getPolicyconfigMap();
    for (const [name, c] of config) {
        const pc = new analyzerpb.PolicyConfig();
        pc.setEnforcementlevel(levelNumber(c.enforcementLevel));
        pc.setProperties(structproto.Struct.fromJavaScript(plain(c.properties) as Record<string, structproto.JavaScriptValue>));
        map.set(name, pc);
    }
    return request;
}

function stackConfigureRequest(opts: ConfigurePolicyPackOptions): analyzerpb.AnalyzerStackConfigureRequest {
    const request = new analyzerpb.AnalyzerStackConfigureRequest();
    request.setStack(opts.stack);
    request.setProject(opts.project);
    request.setOrganization("organization");
    request.setDryRun(true);
    const tags = request.getTagsMap();
    for (const [k, v] of Object.entries(opts.stackTags ?? {})) tags.set(k, v);
    return request;
}

function wireResource(r: RecordedResource, properties: Record<string, unknown>, byUrn: Map<string, RecordedResource>, providers: Map<string, WireProvider | undefined>): WireResource {
    let provider: WireProvider | undefined;
    if (r.provider) {
        // Many resources share one provider: describe it once.
        if (!providers.has(r.provider)) providers.set(r.provider, providerResource(r.provider, byUrn));
        provider = providers.get(r.provider);
    }
    return {
        type: r.type, urn: r.urn, name: r.name, properties,
        ...(r.parent ? { parent: r.parent } : {}),
        dependencies: r.dependencies,
        ...(provider ? { provider } : {}),
    };
}

function providerResource(reference: string, byUrn: Map<string, RecordedResource>): WireProvider {
    // Provider references are `<urn>::<id>`; the resource map is keyed by the bare URN.
    const urn = reference.includes("::") && !byUrn.has(reference) ? reference.slice(0, reference.lastIndexOf("::")) : reference;
    const provider = byUrn.get(urn);
    return {
        urn,
        type: provider?.type ?? urn.split("::")[2] ?? "",
        name: provider?.name ?? urn.split("::")[3] ?? "",
        properties: provider?.inputs ?? {},
    };
}

function toViolation(d: analyzerpb.AnalyzeDiagnostic, stage: PolicyViolation["stage"], analyzedUrn: string): PolicyViolation {
    return {
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        enforcementLevel: levelName(d.getEnforcementlevel()),
        // The engine attributes an Analyze diagnostic without a URN to the analyzed resource.
        urn: d.getUrn() || analyzedUrn,
        message: d.getMessage(),
        stage,
    };
}

/** Struct refuses `undefined` and class instances; the wire only carries JSON. */
function plain(value: unknown): unknown {
    return JSON.parse(JSON.stringify(value ?? {}));
}

function levelName(level: analyzerpb.EnforcementLevel): EnforcementLevel {
    switch (level) {
        case analyzerpb.EnforcementLevel.MANDATORY: return "mandatory";
        case analyzerpb.EnforcementLevel.DISABLED: return "disabled";
        case analyzerpb.EnforcementLevel.REMEDIATE: return "remediate";
        default: return "advisory";
    }
}

function levelNumber(level: EnforcementLevel): analyzerpb.EnforcementLevel {
    switch (level) {
        case "mandatory": return analyzerpb.EnforcementLevel.MANDATORY;
        case "disabled": return analyzerpb.EnforcementLevel.DISABLED;
        case "remediate": return analyzerpb.EnforcementLevel.REMEDIATE;
        default: return analyzerpb.EnforcementLevel.ADVISORY;
    }
}

type UnaryMethod = "getAnalyzerInfo" | "configure" | "configureStack" | "analyze" | "analyzeStack";

function unary<Req, Res>(client: analyzerrpc.AnalyzerClient, method: UnaryMethod, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        const call = client[method] as unknown as (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => void;
        call.call(client, request, (err, res) => {
            if (err) reject(new Error(`policy pack ${method} failed: ${err.details || err.message}`));
            else resolve(res);
        });
    });
}

/** A unary call whose request is already encoded (see ./analyzer-wire). */
function unaryBytes<Res>(client: analyzerrpc.AnalyzerClient, path: string, request: Buffer, deserialize: (bytes: Uint8Array) => Res): Promise<Res> {
    return new Promise((resolve, reject) => {
        client.makeUnaryRequest<Buffer, Res>(path, (bytes) => bytes, (bytes) => deserialize(bytes), request, (err, res) => {
            if (err) reject(new Error(`policy pack ${path.slice(path.lastIndexOf("/") + 1).replace(/^./, (c) => c.toLowerCase())} failed: ${err.details || err.message}`));
            else resolve(res as Res);
        });
    });
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const item = items[next++];
            await fn(item);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
