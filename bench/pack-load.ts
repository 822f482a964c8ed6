/**
 * Load for the policy pack: a generated stack of 1,000 IRSA chains for the AWS Load Balancer
 * Controller, one per cluster, each as the components register it (OIDC provider, Kubernetes
 * provider, IRSA role, policy attachment, ServiceAccount, Helm release: 6,000 resources, plus the
 * one controller policy they share and the stack), driven through the pack over the Analyzer
 * protocol exactly as the plan drives it (`plan/analyzer-client.ts`: the pack in its own process,
 * `Analyze` per resource, then `AnalyzeStack`), beside the same exchange with bench/noop-pack (one
 * policy that does nothing), which shows what the protocol and @pulumi/policy's server cost by
 * themselves, with bench/hollow-pack (this pack's 10 policies with bodies that return at once), which
 * shows what that server costs for this pack's shape, and with bench/transport-floor (a bare gRPC
 * server that answers every call with an empty message), which shows what the client and gRPC alone cost. The resources are built with the components' own
 * pure builders, so they have the shapes the program registers. One chain in ten is broken in one
 * of several ways, so the pack reports violations as well as passing clean resources.
 *
 * Run alone: `node_modules/.bin/node dist/bench/pack-load.js [--chains N] [--runs N] [--warmups N]`
 * (options in bench/options.ts, PACK_LOAD: --runs 1 or more, fewer than 5 for profiling only);
 * `npm run bench` calls `measurePackLoad` itself.
 */
// First: on Node older than 22 this stops with one line, before anything else is loaded.
import "./node-guard";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { controllerChartValues, ROLE_ARN_ANNOTATION } from "../components/controller-values";
import { webIdentityTrustPolicy } from "../components/trust-policy";
import { controllerPolicyDocument } from "../core/controller-policy";
import { chartVersionFor } from "../core/controller-policy";
import { enableCompileCache } from "../plan/compile-cache";
import type { RecordedResource } from "../plan/recorded-resource";
import { summarize, type Stats } from "./measure";
import { commandLine, PACK_LOAD } from "./options";

const PROJECT = "eks-irsa-lbc";
const STACK = "bench";
const ACCOUNT = "111122223333";
const REGION = "us-west-2";
const CONTROLLER_VERSION = "v3.5.0";
const NAMESPACE = "kube-system";
const ACCOUNT_NAME = "aws-load-balancer-controller";

const TYPES = {
    stack: "pulumi:pulumi:Stack",
    provider: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    policy: "aws:iam/policy:Policy",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    kubernetesProvider: "pulumi:providers:kubernetes",
    release: "kubernetes:helm.sh/v3:Release",
};

/** The faults planted in every tenth chain, in turn. */
const FAULTS = ["sub-wildcard", "wrong-audience", "chart-creates-account", "provider-without-sts", "account-not-annotated"] as const;
type Fault = typeof FAULTS[number] | "none";

function urn(type: string, name: string): string {
    return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

function record(type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>, dependencies: string[], parent: string, provider?: string): RecordedResource {
    return {
        urn: urn(type, name), type, name, custom: true, parent, dependencies, inputs, outputs: { ...inputs, ...outputs }, id: String(outputs.id ?? name),
        ...(provider ? { provider } : {}),
    };
}

/** Cluster `i`'s issuer: 32 hex digits, like EKS's. */
function issuerOf(i: number): string {
    return `https://oidc.eks.${REGION}.amazonaws.com/id/${(0x5eed0000 + i).toString(16).toUpperCase().padStart(32, "0")}`;
}

export interface GeneratedStack {
    resources: RecordedResource[];
    chains: number;
    faulty: number;
}

/** `chains` IRSA chains for the controller; every tenth is broken (see FAULTS). */
export function generatePackLoadStack(chains = 1000): GeneratedStack {
    const stackUrn = urn(TYPES.stack, `${PROJECT}-${STACK}`);
    const resources: RecordedResource[] = [{
        urn: stackUrn, type: TYPES.stack, name: `${PROJECT}-${STACK}`, custom: false, dependencies: [], inputs: {}, outputs: {},
    }];
    const policyName = "aws-load-balancer-controller";
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy/${policyName}`;
    const policy = record(TYPES.policy, "lbc-policy", {
        name: policyName,
        description: `Permissions of the AWS Load Balancer Controller ${CONTROLLER_VERSION}`,
        policy: JSON.stringify(controllerPolicyDocument(CONTROLLER_VERSION, "aws")),
    }, { arn: policyArn, id: policyArn }, [], stackUrn);
    resources.push(policy);

    let faulty = 0;
    for (let i = 0; i < chains; i++) {
        const fault: Fault = i % 10 === 9 ? FAULTS[Math.floor(i / 10) % FAULTS.length] : "none";
        if (fault !== "none") faulty++;
        const cluster = `cluster-${String(i).padStart(4, "0")}`;
        const issuer = issuerOf(i);
        const host = issuer.replace(/^https:\/\//, "");
        const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`;
        const provider = record(TYPES.provider, `${cluster}-oidc`,
            { url: issuer, clientIdLists: [fault === "provider-without-sts" ? "kubernetes" : "sts.amazonaws.com"] }, { arn: providerArn, id: providerArn }, [], stackUrn);

        // One Kubernetes provider per cluster, as a multi-cluster stack has: it is what tells the
        // pack which cluster an account and a release belong to.
        const kubernetes = record(TYPES.kubernetesProvider, `${cluster}-k8s`,
            { kubeconfig: `{"apiVersion":"v1","kind":"Config","current-context":"${cluster}"}` }, { id: `${cluster}-k8s-id` }, [], stackUrn);

        const trust = webIdentityTrustPolicy({
            providerArn,
            issuer,
            subjects: [{ namespace: NAMESPACE, name: fault === "sub-wildcard" ? "*" : ACCOUNT_NAME }],
            audience: fault === "wrong-audience" ? "https://kubernetes.default.svc" : undefined,
        });
        const roleName = `${cluster}-lbc-role-${(i * 2654435761 >>> 0).toString(16).padStart(8, "0").slice(0, 7)}`;
        const roleArn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
        const role = record(TYPES.role, `${cluster}-lbc-identity-role`, {
            path: "/",
            assumeRolePolicy: JSON.stringify(trust),
            description: `IRSA role for ${NAMESPACE}/${ACCOUNT_NAME}`,
        }, { arn: roleArn, name: roleName, id: roleName }, [provider.urn], stackUrn);

        const attachment = record(TYPES.attachment, `${cluster}-lbc-identity-policy-0`,
            { role: roleName, policyArn }, { id: `${roleName}-${i}` }, [role.urn, policy.urn], stackUrn);

        const serviceAccount = record(TYPES.serviceAccount, `${cluster}-lbc-identity-sa-${NAMESPACE}/${ACCOUNT_NAME}`, {
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: {
                name: ACCOUNT_NAME,
                namespace: NAMESPACE,
                annotations: fault === "account-not-annotated" ? {} : { [ROLE_ARN_ANNOTATION]: roleArn },
            },
        }, { id: `${NAMESPACE}/${ACCOUNT_NAME}` }, [role.urn], stackUrn, kubernetes.urn);

        const values = controllerChartValues({
            clusterName: cluster,
            region: REGION,
            vpcId: `vpc-${(0xabc000 + i).toString(16).padStart(17, "0")}`,
            serviceAccountName: ACCOUNT_NAME,
            roleArn,
            controllerVersion: CONTROLLER_VERSION,
        });
        if (fault === "chart-creates-account") values.serviceAccount = { create: true, name: ACCOUNT_NAME };
        const release = record(TYPES.release, `${cluster}-lbc-chart`, {
            name: "aws-load-balancer-controller",
            chart: "aws-load-balancer-controller",
            version: chartVersionFor(CONTROLLER_VERSION),
            namespace: NAMESPACE,
            repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
            values,
        }, { id: `${NAMESPACE}/aws-load-balancer-controller`, status: { status: "deployed" } }, [serviceAccount.urn, attachment.urn], stackUrn, kubernetes.urn);

        resources.push(provider, kubernetes, role, attachment, serviceAccount, release);
    }
    return { resources, chains, faulty };
}

export interface PackRun {
    wallMs: number;
    resources: number;
    violations: number;
    /** Peak RSS of the pack process, KiB (undefined if it did not report). */
    packRssKiB?: number;
    /** CPU time (user + system) of the pack process, ms. */
    packCpuMs?: number;
}

export interface PackLoadResult {
    big: PackRun[];
    small: PackRun[];
    /** The full stack through bench/noop-pack: the protocol's own cost. */
    noop: PackRun[];
    /** The full stack through bench/hollow-pack: @pulumi/policy's cost for this pack's policies. */
    hollow: PackRun[];
    /** The full stack through bench/transport-floor: the client's and gRPC's own cost. */
    transport: PackRun[];
    bigResources: number;
    smallResources: number;
    faulty: number;
    /** resources / wall time of the whole exchange (pack start-up included). */
    endToEnd: Stats;
    /** (big − small resources) / (big − small wall time), per round: the rate once the pack is up. */
    marginal: Stats;
    /** resources / wall time through the no-op pack (pack start-up included). */
    noopEndToEnd: Stats;
    /** resources / wall time through the hollow pack (its start-up included). */
    hollowEndToEnd: Stats;
    /** resources / wall time through the bare gRPC server (its start-up included). */
    transportEndToEnd: Stats;
    packRss?: Stats;
    /** CPU time of the pack process per run over the full stack, and of the no-op pack. */
    packCpu?: Stats;
    noopCpu?: Stats;
    hollowCpu?: Stats;
    transportCpu?: Stats;
    policies: number;
    packName: string;
    /** `Analyze` calls the client keeps in flight (plan/analyzer-client.ts). */
    analyzeConcurrency: number;
}

type AnalyzerClient = typeof import("../plan/analyzer-client");
type RunPolicyPack = AnalyzerClient["runPolicyPack"];

function loadClient(): AnalyzerClient {
    const client = path.resolve(__dirname, "..", "plan", "analyzer-client.js");
    const pack = path.resolve(__dirname, "..", "policy-pack", "index.js");
    for (const [file, what] of [
        [client, "the Analyzer-protocol client (plan/analyzer-client.ts)"],
        [pack, "the compiled policy pack (policy-pack/index.ts)"],
        [PACK_STARTUP, "the pack's start-up shim (startup/lazy-modules.ts), preloaded into the floors"],
    ]) {
        if (!fs.existsSync(file)) {
            throw new Error(`pack load: ${file} is missing: ${what} has to be built first (\`npm run build\`)`);
        }
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(client) as AnalyzerClient;
}

/** A pack to run the load through, and what it is started with besides the bench's own preload. */
interface BenchPack {
    packDir: string;
    entry: string;
    /** A module to preload (`--require`) into the pack's process. */
    preload?: string;
}

/**
 * The start-up shim the project's pack imports first (startup/lazy-modules.ts: @pulumi/pulumi's
 * `typescript`, `normalize-package-data` and `execa` are loaded only on first use), preloaded into
 * the floors built on @pulumi/policy, so that they start as the project's pack does and the
 * difference between the rows is the policies.
 */
const PACK_STARTUP = path.resolve(__dirname, "..", "startup", "lazy-modules.js");

/** bench/noop-pack: one policy that returns at once (the source is in bench/, it needs no build). */
const NOOP_PACK: BenchPack = {
    packDir: path.resolve(__dirname, "..", "..", "bench", "noop-pack"),
    entry: path.resolve(__dirname, "..", "..", "bench", "noop-pack", "index.js"),
    preload: PACK_STARTUP,
};

/**
 * bench/hollow-pack: the project's policies with bodies that return at once (it loads them from dist/).
 */
const HOLLOW_PACK: BenchPack = {
    packDir: path.resolve(__dirname, "..", "..", "bench", "hollow-pack"),
    entry: path.resolve(__dirname, "..", "..", "bench", "hollow-pack", "index.js"),
    preload: PACK_STARTUP,
};

/**
 * bench/transport-floor: a bare gRPC server on the Analyzer's paths, identity (de)serializers,
 * empty answers (plain JavaScript in bench/, it needs no build). It starts and prints its port like a pack.
 */
const TRANSPORT_FLOOR: BenchPack = {
    packDir: path.resolve(__dirname, "..", "..", "bench", "transport-floor"),
    entry: path.resolve(__dirname, "..", "..", "bench", "transport-floor", "index.js"),
};

/** One exchange with a fresh pack process; the pack's peak memory comes from `peak-rss.js`. */
async function runOnce(runPolicyPack: RunPolicyPack, resources: RecordedResource[], pack?: BenchPack): Promise<PackRun & { policies: number; packName: string }> {
    const rssDir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-pack-rss-"));
    const saved = { dir: process.env.EKS_IRSA_LBC_BENCH_RSS_DIR, options: process.env.NODE_OPTIONS };
    process.env.EKS_IRSA_LBC_BENCH_RSS_DIR = rssDir;
    const preloads = [path.resolve(__dirname, "..", "..", "bench", "peak-rss.js"), ...(pack?.preload ? [pack.preload] : [])];
    process.env.NODE_OPTIONS = `${saved.options ?? ""} ${preloads.map((file) => `--require ${JSON.stringify(file)}`).join(" ")}`.trim();
    try {
        const started = process.hrtime.bigint();
        const result = await runPolicyPack({ resources, stack: STACK, project: PROJECT, pack: pack && { packDir: pack.packDir, entry: pack.entry } });
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        if (result.analyzedResources !== resources.length) {
            throw new Error(`pack load: the client analyzed ${result.analyzedResources} of ${resources.length} resources`);
        }
        const records = fs.readdirSync(rssDir).map((f) => JSON.parse(fs.readFileSync(path.join(rssDir, f), "utf8")) as { maxRssKiB: number; cpuMs?: number });
        return {
            wallMs,
            resources: resources.length,
            violations: result.violations.length,
            packRssKiB: records.length > 0 ? Math.max(...records.map((r) => r.maxRssKiB)) : undefined,
            packCpuMs: records.length > 0 ? records.reduce((sum, r) => sum + (r.cpuMs ?? 0), 0) : undefined,
            policies: result.policies.length,
            packName: `${result.packName}@${result.packVersion}`,
        };
    } finally {
        restore("EKS_IRSA_LBC_BENCH_RSS_DIR", saved.dir);
        restore("NODE_OPTIONS", saved.options);
        fs.rmSync(rssDir, { recursive: true, force: true });
    }
}

function restore(key: string, value: string | undefined): void {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
}

export type PackRunKind = "big" | "small" | "noop" | "hollow" | "transport";

export interface PackLoadOptions {
    chains?: number;
    runs: number;
    warmups: number;
    onRun?: (kind: PackRunKind, run: number, result: PackRun) => void;
}

/**
 * Alternates a run over the full generated stack, a run over one chain (which costs the pack's
 * start-up, the handshake and next to no analysis), so that start-up can be told apart from the
 * per-resource rate, a run of the full stack through the no-op pack (the protocol's floor with
 * @pulumi/policy's server), one through the hollow pack (that server with this pack's policies, doing
 * nothing) and one through the bare gRPC server (the transport's floor).
 */
export async function measurePackLoad(options: PackLoadOptions): Promise<PackLoadResult> {
    const client = loadClient();
    const runPolicyPack = client.runPolicyPack;
    // Start the pack as the plan does: with Node's compile cache on (it reaches the pack through
    // NODE_COMPILE_CACHE), so start-up costs what it costs in `plan`.
    enableCompileCache();
    const big = generatePackLoadStack(options.chains ?? 1000);
    const small = generatePackLoadStack(1);
    const bigRuns: PackRun[] = [];
    const smallRuns: PackRun[] = [];
    const noopRuns: PackRun[] = [];
    const hollowRuns: PackRun[] = [];
    const transportRuns: PackRun[] = [];
    let policies = 0;
    let packName = "";
    for (let i = 0; i < options.warmups; i++) {
        await runOnce(runPolicyPack, big.resources);
        await runOnce(runPolicyPack, small.resources);
        await runOnce(runPolicyPack, big.resources, NOOP_PACK);
        await runOnce(runPolicyPack, big.resources, HOLLOW_PACK);
        await runOnce(runPolicyPack, big.resources, TRANSPORT_FLOOR);
    }
    for (let run = 0; run < options.runs; run++) {
        const b = await runOnce(runPolicyPack, big.resources);
        bigRuns.push(b);
        options.onRun?.("big", run, b);
        const s = await runOnce(runPolicyPack, small.resources);
        smallRuns.push(s);
        options.onRun?.("small", run, s);
        const n = await runOnce(runPolicyPack, big.resources, NOOP_PACK);
        noopRuns.push(n);
        options.onRun?.("noop", run, n);
        const h = await runOnce(runPolicyPack, big.resources, HOLLOW_PACK);
        hollowRuns.push(h);
        options.onRun?.("hollow", run, h);
        const t = await runOnce(runPolicyPack, big.resources, TRANSPORT_FLOOR);
        transportRuns.push(t);
        options.onRun?.("transport", run, t);
        policies = b.policies;
        packName = b.packName;
    }
    const rss = bigRuns.map((r) => r.packRssKiB).filter((v): v is number => v !== undefined);
    const known = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
    const packCpu = known(bigRuns.map((r) => r.packCpuMs));
    const noopCpu = known(noopRuns.map((r) => r.packCpuMs));
    const hollowCpu = known(hollowRuns.map((r) => r.packCpuMs));
    const transportCpu = known(transportRuns.map((r) => r.packCpuMs));
    return {
        big: bigRuns,
        small: smallRuns,
        noop: noopRuns,
        hollow: hollowRuns,
        transport: transportRuns,
        bigResources: big.resources.length,
        smallResources: small.resources.length,
        faulty: big.faulty,
        endToEnd: summarize(bigRuns.map((r) => r.resources / (r.wallMs / 1000))),
        marginal: summarize(bigRuns.map((r, i) => (r.resources - smallRuns[i].resources) / ((r.wallMs - smallRuns[i].wallMs) / 1000))),
        noopEndToEnd: summarize(noopRuns.map((r) => r.resources / (r.wallMs / 1000))),
        hollowEndToEnd: summarize(hollowRuns.map((r) => r.resources / (r.wallMs / 1000))),
        transportEndToEnd: summarize(transportRuns.map((r) => r.resources / (r.wallMs / 1000))),
        packRss: rss.length > 0 ? summarize(rss) : undefined,
        packCpu: packCpu.length > 0 ? summarize(packCpu) : undefined,
        noopCpu: noopCpu.length > 0 ? summarize(noopCpu) : undefined,
        hollowCpu: hollowCpu.length > 0 ? summarize(hollowCpu) : undefined,
        transportCpu: transportCpu.length > 0 ? summarize(transportCpu) : undefined,
        policies,
        packName,
        analyzeConcurrency: client.ANALYZE_CONCURRENCY,
    };
}

async function main(argv: string[]): Promise<number> {
    const { chains, runs, warmups } = commandLine(PACK_LOAD, argv);
    const result = await measurePackLoad({
        chains, runs, warmups,
        onRun: (kind, run, r) => process.stderr.write(`  ${kind} #${run + 1}: ${r.resources} resources in ${r.wallMs.toFixed(0)} ms, ${r.violations} violations\n`),
    });
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
        process.stderr.write(`${PACK_LOAD.name}: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
    });
}
