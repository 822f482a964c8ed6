/**
 * Policy-pack configuration as `pulumi preview --policy-pack-config <file>` takes it, checked and
 * completed the way the Pulumi CLI does before it calls `Configure`: every key names a policy of the
 * pack (or `all`), enforcement levels are one of the four the engine knows, properties match the
 * policy's config schema, and schema defaults fill what the user left out. A bad file is refused as
 * a whole with a message naming the key, the bad value and what is allowed, before anything runs.
 */
import type { EnforcementLevel, PolicyDescription } from "./policy-result";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

/** What `Configure` receives for one policy. */
export interface ResolvedPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/**
 * @param raw the parsed config file (`undefined`: no file, every policy at its own level and defaults)
 * @param policies the pack's policies from `GetAnalyzerInfo`
 */
export function resolvePolicyConfig(raw: unknown, policies: readonly PolicyDescription[]): Map<string, ResolvedPolicyConfig> {
    const problems: string[] = [];
    const config = raw === undefined ? {} : raw;
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new PolicyConfigError(`policy config: expected an object keyed by policy name, got ${describe(config)}`);
    }
    const entries = config as Record<string, unknown>;
    const byName = new Map(policies.map((p) => [p.name, p]));
    const allowedKeys = ["all", ...policies.map((p) => p.name)];

    let allLevel: EnforcementLevel | undefined;
    if ("all" in entries) {
        const level = entries.all;
        if (typeof level === "string" && isLevel(level)) allLevel = level;
        else problems.push(`policy config "all": ${describe(level)} is not an enforcement level (allowed: ${ENFORCEMENT_LEVELS.join(", ")})`);
    }
    for (const key of Object.keys(entries)) {
        if (key !== "all" && !byName.has(key)) {
            problems.push(`policy config: unknown policy ${JSON.stringify(key)} (allowed: ${allowedKeys.join(", ")})`);
        }
    }

    const resolved = new Map<string, ResolvedPolicyConfig>();
    for (const policy of policies) {
        const entry = entries[policy.name];
        let level: EnforcementLevel = allLevel ?? policy.enforcementLevel;
        let given: Record<string, unknown> = {};
        if (typeof entry === "string") {
            if (isLevel(entry)) level = entry;
            else problems.push(`policy config "${policy.name}": ${describe(entry)} is not an enforcement level (allowed: ${ENFORCEMENT_LEVELS.join(", ")})`);
        } else if (typeof entry === "object" && entry !== null && !Array.isArray(entry)) {
            const { enforcementLevel, ...rest } = entry as Record<string, unknown>;
            if (enforcementLevel !== undefined) {
                if (typeof enforcementLevel === "string" && isLevel(enforcementLevel)) level = enforcementLevel;
                else problems.push(`policy config "${policy.name}.enforcementLevel": ${describe(enforcementLevel)} is not an enforcement level (allowed: ${ENFORCEMENT_LEVELS.join(", ")})`);
            }
            given = rest;
        } else if (entry !== undefined) {
            problems.push(`policy config "${policy.name}": ${describe(entry)} must be an enforcement level or an object`);
        }
        resolved.set(policy.name, { enforcementLevel: level, properties: completeProperties(policy, given, problems) });
    }
    if (problems.length > 0) throw new PolicyConfigError(problems.join("; "));
    return resolved;
}

function completeProperties(policy: PolicyDescription, given: Record<string, unknown>, problems: string[]): Record<string, unknown> {
    const schema = policy.configSchema;
    const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(given)) {
        const propertySchema = properties[key];
        if (propertySchema === undefined) {
            const allowed = Object.keys(properties).sort();
            problems.push(`policy config "${policy.name}.${key}": unknown property (allowed: ${allowed.length > 0 ? allowed.join(", ") : "none, only enforcementLevel"})`);
            continue;
        }
        validateValue(`${policy.name}.${key}`, value, propertySchema, problems);
        out[key] = value;
    }
    for (const [key, propertySchema] of Object.entries(properties)) {
        if (!(key in out) && propertySchema.default !== undefined) out[key] = propertySchema.default;
    }
    for (const key of schema?.required ?? []) {
        if (!(key in out)) problems.push(`policy config "${policy.name}.${key}": required property is missing`);
    }
    return out;
}

interface JsonSchema {
    type?: string | string[];
    enum?: unknown[];
    items?: JsonSchema;
    minimum?: number;
    maximum?: number;
    pattern?: string;
    minLength?: number;
    default?: unknown;
}

/** The subset of JSON schema the pack's config schemas use; anything else in a schema is ignored. */
function validateValue(where: string, value: unknown, schema: JsonSchema, problems: string[]): void {
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.length > 0 && !types.some((t) => hasType(value, t))) {
        problems.push(`policy config "${where}": ${describe(value)} is not of type ${types.join(" or ")}`);
        return;
    }
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        problems.push(`policy config "${where}": ${describe(value)} is not allowed (allowed: ${schema.enum.map((e) => JSON.stringify(e)).join(", ")})`);
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) problems.push(`policy config "${where}": ${value} is below the minimum ${schema.minimum}`);
        if (schema.maximum !== undefined && value > schema.maximum) problems.push(`policy config "${where}": ${value} is above the maximum ${schema.maximum}`);
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`policy config "${where}": ${describe(value)} is shorter than ${schema.minLength} characters`);
        if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) problems.push(`policy config "${where}": ${describe(value)} does not match ${schema.pattern}`);
    }
    if (Array.isArray(value) && schema.items) {
        value.forEach((item, i) => validateValue(`${where}[${i}]`, item, schema.items as JsonSchema, problems));
    }
}

function hasType(value: unknown, type: string): boolean {
    switch (type) {
        case "string": return typeof value === "string";
        case "number": return typeof value === "number" && Number.isFinite(value);
        case "integer": return typeof value === "number" && Number.isInteger(value);
        case "boolean": return typeof value === "boolean";
        case "array": return Array.isArray(value);
        case "object": return typeof value === "object" && value !== null && !Array.isArray(value);
        case "null": return value === null;
        default: return false;
    }
}

function isLevel(value: string): value is EnforcementLevel {
    return (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

function describe(value: unknown): string {
    return value === undefined ? "undefined" : JSON.stringify(value);
}
