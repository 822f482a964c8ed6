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
    const raw = (props as Record<string, unknown>)[PROXY_TARGET] ?? props;
    return replaceSentinels(raw) as Record<string, unknown>;
}

function replaceSentinels(value: unknown): unknown {
    if (typeof value === "string") {
        const kind = SENTINELS.get(value);
        return kind === undefined ? value : new UnknownValue(kind);
    }
    if (Array.isArray(value)) return value.map(replaceSentinels);
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = replaceSentinels(v);
        return out;
    }
    return value;
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
