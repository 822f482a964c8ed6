/**
 * Builds the arguments the Pulumi engine hands a CrossGuard policy (the @pulumi/policy 1.21 shapes:
 * proxied props with unknown sentinels, opts, stackTags, isType/asType, getConfig, notApplicable,
 * PolicyResource parents and dependencies as objects) and runs a policy the way the pack's server
 * does: configured enforcement level, violation message = description + "\n" + message, an unknown
 * value met during preview reported as advisory "can't run policy ... during preview", and
 * `notApplicable` recorded. Tests of the pack go through this, so they see what the engine sees.
 */
import {
    unknownCheckingProxy,
    type EnforcementLevel,
    type Policy,
    type PolicyResource,
    type PolicyResourceOptions,
    type ResourceValidationArgs,
    type ResourceValidationPolicy,
    type StackValidationArgs,
    type StackValidationPolicy,
} from "@pulumi/policy";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxyModule = require("@pulumi/policy/proxy") as { unknownStringValue: string; UnknownValueError: new (...args: unknown[]) => Error };

/** The engine's marker for a string (or any value) that is unknown during preview. */
export const UNKNOWN: string = proxyModule.unknownStringValue;

export const TEST_STACK = "dev";
export const TEST_PROJECT = "proj";
const STACK_URN = `urn:pulumi:${TEST_STACK}::${TEST_PROJECT}::pulumi:pulumi:Stack::${TEST_PROJECT}-${TEST_STACK}`;

export interface TestResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Logical names of resources this one depends on. */
    dependsOn?: string[];
    /** Logical name of the parent (default: the stack). */
    parent?: string;
}

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:${TEST_STACK}::${TEST_PROJECT}::${type}::${name}`;
}

export interface Diagnostic {
    policyName: string;
    enforcementLevel: EnforcementLevel;
    /** Description, newline, message: as the engine prints it. */
    message: string;
    urn?: string;
}

export interface PolicyRun {
    violations: Diagnostic[];
    notApplicable: { policyName: string; reason?: string }[];
}

export interface RunOptions {
    config?: Record<string, unknown>;
    enforcementLevel?: EnforcementLevel;
    stackTags?: Record<string, string>;
}

class NotApplicable extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

function options(parent: string | undefined): PolicyResourceOptions {
    const opts: PolicyResourceOptions = {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
    };
    if (parent !== undefined) opts.parent = parent;
    return opts;
}

function freezeTags(tags: Record<string, string> | undefined): ReadonlyMap<string, string> {
    const map = new Map(Object.entries(tags ?? {}));
    return Object.freeze({
        entries: map.entries.bind(map), forEach: map.forEach.bind(map), get: map.get.bind(map), has: map.has.bind(map),
        keys: map.keys.bind(map), size: map.size, values: map.values.bind(map), [Symbol.iterator]: map[Symbol.iterator].bind(map),
    }) as ReadonlyMap<string, string>;
}

function typeChecks(type: string, props: Record<string, any>) {
    const isType = (resourceClass: any) =>
        resourceClass?.__pulumiType === type || (typeof resourceClass?.isInstance === "function" && resourceClass.isInstance({ __pulumiType: type }) === true);
    return { isType, asType: (resourceClass: any) => (isType(resourceClass) ? props : undefined) };
}

/** What the engine passes to `validateResource` for one resource's inputs. */
export function resourceArgs(resource: TestResource, opts: RunOptions & { policyName?: string } = {}): ResourceValidationArgs {
    // Props go through JSON first, as they do through the protobuf Struct on the wire.
    const props = unknownCheckingProxy(JSON.parse(JSON.stringify(resource.props)));
    return {
        type: resource.type,
        props,
        urn: urnOf(resource.type, resource.name),
        name: resource.name,
        opts: options(resource.parent !== undefined ? resource.parent : STACK_URN),
        stackTags: freezeTags(opts.stackTags),
        ...typeChecks(resource.type, props),
        getConfig: <T extends object>() => ({ ...(opts.config ?? {}) }) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    } as ResourceValidationArgs;
}

/** What the engine passes to `validateStack`: every resource with parent and dependencies resolved. */
export function stackArgs(resources: readonly TestResource[], opts: RunOptions = {}): StackValidationArgs {
    const byName = new Map<string, PolicyResource>();
    for (const r of resources) {
        const props = unknownCheckingProxy(JSON.parse(JSON.stringify(r.props)));
        byName.set(r.name, {
            type: r.type,
            props,
            urn: urnOf(r.type, r.name),
            name: r.name,
            opts: options(r.parent !== undefined ? urnOf(resources.find((p) => p.name === r.parent)?.type ?? "", r.parent) : STACK_URN),
            dependencies: [],
            propertyDependencies: {},
            ...typeChecks(r.type, props),
        } as unknown as PolicyResource);
    }
    for (const r of resources) {
        const resource = byName.get(r.name) as PolicyResource;
        if (r.parent !== undefined) resource.parent = byName.get(r.parent);
        resource.dependencies = (r.dependsOn ?? []).map((n) => byName.get(n)).filter((d): d is PolicyResource => d !== undefined);
    }
    return {
        resources: [...byName.values()],
        stackTags: freezeTags(opts.stackTags),
        getConfig: <T extends object>() => ({ ...(opts.config ?? {}) }) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** Runs a resource policy on one resource as the pack's `Analyze` handler does. */
export async function runResourcePolicy(policy: ResourceValidationPolicy, resource: TestResource, opts: RunOptions = {}): Promise<PolicyRun> {
    const run: PolicyRun = { violations: [], notApplicable: [] };
    const level = opts.enforcementLevel ?? policy.enforcementLevel ?? "advisory";
    if (level === "disabled") return run;
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
    // The server's fast path: a single validation with a Pulumi type attached only sees that type.
    const pulumiType = !Array.isArray(policy.validateResource) ? (policy.validateResource as { __pulumiType?: string } | undefined)?.__pulumiType : undefined;
    if (pulumiType !== undefined && pulumiType !== resource.type) {
        run.notApplicable.push({ policyName: policy.name, reason: `Policy only applies to resources of type '${pulumiType}'` });
        return run;
    }
    for (const validate of validations) {
        await guarded(policy, level, run, () => validate(resourceArgs(resource, opts), reporter(policy, level, run)));
    }
    return run;
}

/** Runs a stack policy on a whole stack as the pack's `AnalyzeStack` handler does. */
export async function runStackPolicy(policy: StackValidationPolicy, resources: readonly TestResource[], opts: RunOptions = {}): Promise<PolicyRun> {
    const run: PolicyRun = { violations: [], notApplicable: [] };
    const level = opts.enforcementLevel ?? policy.enforcementLevel ?? "advisory";
    if (level === "disabled") return run;
    await guarded(policy, level, run, () => policy.validateStack(stackArgs(resources, opts), reporter(policy, level, run)));
    return run;
}

/** The pack's own wording for a policy that met an unknown value (server.js). */
export function unknownDuringPreview(policyName: string, what: string): string {
    return `can't run policy '${policyName}' from policy pack 'eks-irsa-lbc@v0.1.0' during preview: ${what}`;
}

function reporter(policy: Policy, level: EnforcementLevel, run: PolicyRun) {
    return (message: string, urn?: string) => {
        run.violations.push({
            policyName: policy.name,
            enforcementLevel: level === "remediate" ? "mandatory" : level,
            message: message ? `${policy.description}\n${message}` : policy.description,
            ...(urn !== undefined ? { urn } : {}),
        });
    };
}

async function guarded(policy: Policy, _level: EnforcementLevel, run: PolicyRun, fn: () => unknown): Promise<void> {
    try {
        await Promise.resolve(fn());
    } catch (e) {
        if (e instanceof proxyModule.UnknownValueError) {
            run.violations.push({ policyName: policy.name, enforcementLevel: "advisory", message: unknownDuringPreview(policy.name, (e as Error).message) });
        } else if (e instanceof NotApplicable) {
            run.notApplicable.push({ policyName: policy.name, ...(e.reason !== undefined ? { reason: e.reason } : {}) });
        } else {
            throw e;
        }
    }
}
