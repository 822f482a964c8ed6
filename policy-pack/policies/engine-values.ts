/**
 * The bridge between what the Pulumi engine hands a policy and the runtime-free assembler: property
 * bags arrive wrapped in @pulumi/policy's unknown-checking proxy, with unknown values (preview) as
 * the engine's sentinel strings. Reading through the proxy would throw at the first unknown and
 * abort the whole check; instead the raw properties are copied with each sentinel replaced by an
 * `UnknownValue`, so the known facts are still judged. Afterwards one unknown
 * property is reported through the engine's own `UnknownValueError`, exactly as the engine reports any
 * policy that meets an unknown ("can't run policy ... during preview"), at advisory level.
 */
import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { UnknownValue, type GenericResource, type PropertyNote } from "../../core/assemble";

// The engine's sentinels for unknown values; @pulumi/policy ships them without type declarations.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxyModule = require("@pulumi/policy/proxy") as Record<string, unknown>;
const SENTINELS: ReadonlyMap<string, string> = new Map([
    [proxyModule.unknownBooleanValue as string, "boolean"],
    [proxyModule.unknownNumberValue as string, "number"],
    [proxyModule.unknownStringValue as string, "string"],
    [proxyModule.unknownArrayValue as string, "array"],
    [proxyModule.unknownAssetValue as string, "asset"],
    [proxyModule.unknownArchiveValue as string, "archive"],
    [proxyModule.unknownObjectValue as string, "object"],
]);
const PROXY_TARGET = proxyModule.getSpecialProxyTarget as string;

/** Plain data, sentinels replaced by `UnknownValue`, from a (possibly proxied) property bag. */
export function plainProperties(props: Record<string, unknown>): Record<string, unknown> {
    return replaceSentinels(rawProperties(props)) as Record<string, unknown>;
}

function replaceSentinels(value: unknown): unknown {
    if (typeof value === "string") {
        const kind = SENTINELS.get(value);
        return kind === undefined ? value : new UnknownValue(kind);
    }
    if (Array.isArray(value)) return value.map(replaceSentinels);
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value)) out[k] = replaceSentinels((value as Record<string, unknown>)[k]);
        return out;
    }
    return value;
}

/**
 * Whether raw engine properties (sentinels still strings) hold exactly the data of `plain`, a copy
 * `plainProperties` made earlier: the same keys in the same order, the same values, an
 * `UnknownValue` of the same kind where the raw data has a sentinel. Conservative: what it cannot
 * vouch for (an asset or any object other than a plain object or array, or the very same object on
 * both sides, which a caller may have changed since) counts as different.
 */
export function sameAsPlain(raw: unknown, plain: unknown): boolean {
    if (typeof raw === "string") {
        const kind = SENTINELS.get(raw);
        return kind === undefined ? raw === plain : plain instanceof UnknownValue && plain.kind === kind;
    }
    if (raw === null || typeof raw !== "object") return Object.is(raw, plain);
    if (raw === plain || plain === null || typeof plain !== "object") return false;
    if (Array.isArray(raw)) {
        if (!Array.isArray(plain) || raw.length !== plain.length) return false;
        for (let i = 0; i < raw.length; i++) if (!sameAsPlain(raw[i], plain[i])) return false;
        return true;
    }
    if (Object.getPrototypeOf(raw) !== Object.prototype || Object.getPrototypeOf(plain) !== Object.prototype) return false;
    const keys = Object.keys(raw);
    const plainKeys = Object.keys(plain);
    if (keys.length !== plainKeys.length) return false;
    for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (k !== plainKeys[i] || !sameAsPlain((raw as Record<string, unknown>)[k], (plain as Record<string, unknown>)[k])) return false;
    }
    return true;
}

function rawProperties(props: Record<string, unknown>): Record<string, unknown> {
    return ((props as Record<string, unknown>)[PROXY_TARGET] ?? props) as Record<string, unknown>;
}

/** A resource of `Analyze` (one resource's inputs) as the assembler reads it. */
export function resourceOfArgs(args: ResourceValidationArgs): GenericResource {
    return {
        urn: args.urn, type: args.type, name: args.name, props: plainProperties(args.props), parent: args.opts.parent,
        ...(args.provider ? { provider: args.provider.urn } : {}),
    };
}

/** A resource of `AnalyzeStack` (every resource's outputs) as the assembler reads it. */
export function resourceOfPolicyResource(r: PolicyResource): GenericResource {
    return {
        urn: r.urn, type: r.type, name: r.name,
        props: plainProperties(r.props),
        parent: r.parent?.urn ?? r.opts.parent,
        dependencies: r.dependencies.map((d) => d.urn),
        ...(r.provider ? { provider: r.provider.urn } : {}),
    };
}

/**
 * Whether `resource` (made by `resourceOfArgs` from an earlier request) is this request's resource
 * in every field the assembler reads. The engine hands each policy freshly decoded properties, so
 * this, not identity, is how policies share one judgement.
 */
export function sameResourceOfArgs(args: ResourceValidationArgs, resource: GenericResource): boolean {
    return args.urn === resource.urn && args.type === resource.type && args.name === resource.name
        && args.opts.parent === resource.parent
        && (args.provider ? args.provider.urn : undefined) === resource.provider
        && sameAsPlain(rawProperties(args.props), resource.props);
}

/** Whether every resource of `AnalyzeStack` is, field for field, the one `resourceOfPolicyResource` made earlier. */
export function sameStackResources(policyResources: readonly PolicyResource[], resources: readonly GenericResource[]): boolean {
    if (policyResources.length !== resources.length) return false;
    // Names and links first: a different stack almost always differs there, before any property is read.
    for (let i = 0; i < resources.length; i++) {
        const r = policyResources[i];
        const g = resources[i];
        if (r.urn !== g.urn || r.type !== g.type || r.name !== g.name || (r.parent?.urn ?? r.opts.parent) !== g.parent
            || (r.provider ? r.provider.urn : undefined) !== g.provider) return false;
        const dependencies = g.dependencies ?? [];
        if (r.dependencies.length !== dependencies.length) return false;
        for (let j = 0; j < dependencies.length; j++) if (r.dependencies[j].urn !== dependencies[j]) return false;
    }
    for (let i = 0; i < resources.length; i++) {
        if (!sameAsPlain(rawProperties(policyResources[i].props), resources[i].props)) return false;
    }
    return true;
}

/**
 * Throws the engine's own `UnknownValueError` for the first unknown property, so the engine reports
 * it as it reports any policy that meets an unknown value ("can't run policy ... during preview:
 * string value at .assumeRolePolicy can't be known during preview", advisory). Called only after
 * every known fact has been judged, so nothing is skipped and nothing passes silently.
 * @param where prefix for the path (the resource's name, in a stack policy)
 */
export function throwForUnknown(unknowns: readonly PropertyNote[], where?: string): void {
    const first = unknowns[0];
    if (first === undefined) return;
    const UnknownValueError = proxyModule.UnknownValueError as new (sentinel: string, props: (string | number)[]) => Error;
    const path = where === undefined ? first.path : [where, ...first.path];
    throw new UnknownValueError(proxyModule.unknownStringValue as string, path);
}
