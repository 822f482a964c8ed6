/**
 * Resolves a stack's configuration offline: the stack file's `config:` laid over the project
 * file's defaults, every key checked against what the project declares, in the string form the
 * Pulumi runtime hands a program. This is the check the Pulumi CLI would make before running the
 * program; without it a typo in a key would silently fall back to a default and plan the wrong thing.
 */
import * as fs from "fs";
import * as path from "path";
import { KNOWN_REGIONS } from "../core/partition";
import { closestMatch } from "./did-you-mean";
import { PlanInputError } from "./plan-input-error";
import { ConfigType, PulumiProject, isPlainObject, parseYamlFile } from "./project-file";

export interface ResolvedConfig {
    /** Full key (`<namespace>:<name>`) to the value as YAML gave it (after defaults); secrets as `[secret]`. */
    values: Record<string, unknown>;
    /** The same values as the runtime wants them: strings, arrays and objects as JSON. */
    runtimeValues: Record<string, string>;
    /** Keys whose values are secrets: encrypted in the stack file or declared `secret: true`. */
    secretKeys: string[];
    /**
     * With `deferIgnoredAwsRegion`, when it is the only problem of the stack file: an `aws:region`
     * that this project ignores (see `ignoredAwsRegionProblem`), for the caller to report together
     * with the problems the program finds in its input. Absent otherwise.
     */
    awsRegionProblem?: string;
}

export interface ResolveOptions {
    /**
     * Return an ignored `aws:region` as `awsRegionProblem` instead of refusing the stack for it alone:
     * the plan then runs the program and lists it with the program's own input problems, so that
     * one run shows every problem. @default false (refused like any other problem)
     */
    deferIgnoredAwsRegion?: boolean;
}

/**
 * What the program gets for an encrypted (`secure:`) value: the plan has no key to decrypt it, and
 * under mocks nothing real needs it. It reaches the program as a secret, so outputs show `[secret]`.
 */
export const SECURE_PLACEHOLDER = "<secure value, not decrypted offline>";
/** How resolved config shows a secret key's value. */
export const MASKED_CONFIG = "[secret]";

/** Top-level fields a stack settings file may have; anything else is probably a typo. */
const STACK_FILE_FIELDS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** The stacks that have a settings file next to the project, sorted. */
export function listStacks(project: PulumiProject): string[] {
    if (!fs.existsSync(project.stackConfigDir)) {
        return [];
    }
    const stacks = new Set<string>();
    for (const entry of fs.readdirSync(project.stackConfigDir)) {
        const match = /^Pulumi\.(.+)\.ya?ml$/.exec(entry);
        if (match && STACK_NAME.test(match[1])) {
            stacks.add(match[1]);
        }
    }
    return [...stacks].sort();
}

/** `dev` when it exists, else the only stack there is; the user must choose among several. */
export function defaultStack(project: PulumiProject): string {
    const stacks = listStacks(project);
    if (stacks.includes("dev") || stacks.length === 0) {
        return "dev";
    }
    if (stacks.length === 1) {
        return stacks[0];
    }
    throw new PlanInputError(`no stack given and no dev stack: pass --stack NAME (one of ${stacks.join(", ")})`);
}

/**
 * Reads `Pulumi.<stack>.yaml` and resolves every key. Collects every problem in the file before
 * refusing it, so that one run shows all of them.
 */
export function resolveStackConfig(project: PulumiProject, stack: string, providerNamespaces: readonly string[], options: ResolveOptions = {}): ResolvedConfig {
    const stackFile = findStackFile(project, stack);
    const fileName = path.relative(project.dir, stackFile) || path.basename(stackFile);
    const document = parseYamlFile(stackFile, fileName) ?? {};
    if (!isPlainObject(document)) {
        throw new PlanInputError(`invalid stack config "${stack}": ${fileName} must be a mapping with a config: block`);
    }
    const problems: string[] = [];
    for (const field of Object.keys(document)) {
        if (!STACK_FILE_FIELDS.includes(field)) {
            problems.push(`${fileName}: unknown field ${JSON.stringify(field)} (allowed: ${STACK_FILE_FIELDS.join(", ")})`);
        }
    }
    if (document.environment !== undefined) {
        problems.push(`${fileName}: environment (Pulumi ESC) cannot be opened offline; put the values under config:`);
    }
    const block = document.config ?? {};
    if (!isPlainObject(block)) {
        problems.push(`${fileName}: config must be a mapping of keys to values, got ${describe(block)}`);
    }
    const stackValues = new Map<string, unknown>();
    const encrypted = new Set<string>();
    // The key the region is read from (run.ts): the project's own when it declares one; aws:region
    // is then ignored by the program, and only checked against it (ignoredAwsRegionProblem).
    const ownRegionKey = `${project.name}:region`;
    const regionKey = project.declarations.has(ownRegionKey) ? ownRegionKey : AWS_REGION_KEY;
    for (const [rawKey, rawValue] of Object.entries(isPlainObject(block) ? block : {})) {
        // As in Pulumi, a key without a namespace is the project's.
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        const problem = unknownKeyProblem(project, key, providerNamespaces);
        if (problem) {
            problems.push(`${fileName}: ${problem}`);
            continue;
        }
        const declaration = project.declarations.get(key);
        // A key written with no value (`key:`, `key: ~`) is YAML null, which the Pulumi CLI reads as
        // the empty string, not as "unset": the project's default does not apply
        // (https://github.com/pulumi/pulumi/pull/19483). The plan does the same, and says so when
        // "" is no value of the key's type.
        const value = rawValue === null ? "" : rawValue;
        if (rawValue === null && declaration?.type !== undefined && declaration.type !== "string") {
            problems.push(`${fileName}: ${JSON.stringify(key)} has no value, which Pulumi reads as "", not as unset, and "" is no ${declaration.type}: ` +
                (declaration.default !== undefined ? `give it a value, or remove the line to use the default ${JSON.stringify(declaration.default)}` : "give it a value"));
            continue;
        }
        // An ignored aws:region written without a value is "" too, which names no region: accepted.
        if (rawValue === null && key === regionKey) {
            problems.push(`${fileName}: ${JSON.stringify(key)} has no value, which Pulumi reads as "", not as unset, and "" is no region: ` +
                (declaration?.default !== undefined ? `give it a region, or remove the line to use the default ${JSON.stringify(declaration.default)}` : "give it a region"));
            continue;
        }
        if (isPlainObject(value) && "secure" in value && key === regionKey) {
            // The plan itself reads the region (the stand-ins' partition, the aws:region check below),
            // and it has no secrets provider to decrypt it with.
            problems.push(`${fileName}: ${JSON.stringify(key)} is encrypted (secure), which the offline plan cannot read: it has no secrets provider, ` +
                `and it needs the region itself; a region is not secret: set it in plain text (\`pulumi config set ${shortKey(project, key)} <region>\`)`);
            continue;
        }
        if (isPlainObject(value) && "secure" in value) {
            if (declaration?.type !== undefined && declaration.type !== "string") {
                problems.push(`${fileName}: ${JSON.stringify(key)} is encrypted (secure), which the offline plan cannot decrypt, ` +
                    `and a placeholder is no ${declaration.type}: give planned stacks a plain value`);
                continue;
            }
            encrypted.add(key);
            stackValues.set(key, SECURE_PLACEHOLDER);
            continue;
        }
        if (declaration?.secret) {
            problems.push(`${fileName}: ${JSON.stringify(key)} is declared secret, so it must be encrypted: set it with \`pulumi config set --secret\``);
            continue;
        }
        stackValues.set(key, value);
    }
    const values: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const declaration of project.declarations.values()) {
        const key = declaration.key;
        const value = stackValues.has(key) ? stackValues.get(key) : declaration.default;
        if (value === undefined || value === null) {
            if (declaration.type !== undefined) {
                missing.push(key);
            }
            continue;
        }
        const problem = declaration.type && !encrypted.has(key) ? typeProblem(value, declaration.type, declaration.itemType) : undefined;
        if (problem) {
            const source = stackValues.has(key) ? fileName : `${project.fileName} (default)`;
            problems.push(`${source}: ${JSON.stringify(key)} ${problem}`);
            continue;
        }
        values[key] = declaration.type && !encrypted.has(key) ? normalize(value, declaration.type) : value;
    }
    if (missing.length > 0) {
        // Pulumi refuses a stack that leaves a typed key without a default unset; so does the plan.
        problems.push(`${fileName}: missing ${missing.map((key) => JSON.stringify(key)).join(", ")}: ` +
            `${project.fileName} types ${missing.length === 1 ? "it" : "them"} without a default, so every stack must set ${missing.length === 1 ? "it" : "them"}`);
    }
    for (const [key, value] of stackValues) {
        if (!project.declarations.has(key)) {
            values[key] = value;
        }
    }
    const ignoredRegion = ignoredAwsRegionProblem(project, values, encrypted.has(AWS_REGION_KEY), stackValues.has(AWS_REGION_KEY) ? fileName : project.fileName);
    const deferred = ignoredRegion !== undefined && problems.length === 0 && options.deferIgnoredAwsRegion === true;
    if (ignoredRegion !== undefined && !deferred) {
        problems.push(ignoredRegion);
    }
    if (problems.length > 0) {
        throw new PlanInputError(`invalid stack config "${stack}": ${problems.join("; ")}`);
    }
    const sortedKeys = Object.keys(values).sort();
    const secretKeys = sortedKeys.filter((key) => encrypted.has(key) || project.declarations.get(key)?.secret === true);
    return {
        values: Object.fromEntries(sortedKeys.map((key) => [key, secretKeys.includes(key) ? MASKED_CONFIG : values[key]])),
        runtimeValues: Object.fromEntries(sortedKeys.map((key) => [key, toRuntimeString(values[key])])),
        secretKeys,
        ...(deferred ? { awsRegionProblem: ignoredRegion } : {}),
    };
}

const AWS_REGION_KEY = "aws:region";

/** How `pulumi config set` names a key: the project's own without its namespace. */
function shortKey(project: PulumiProject, key: string): string {
    return key.startsWith(`${project.name}:`) ? key.slice(project.name.length + 1) : key;
}

/** How a problem about aws:region starts, the plan's and this project's program's alike (run.ts keeps one of them). */
export const AWS_REGION_PROBLEM_PREFIX = `${JSON.stringify(AWS_REGION_KEY)} `;

/**
 * A project that declares its own `region` key builds its AWS provider from it (this project's
 * program does, and the plan reads that key first), so `aws:region` reaches no resource: a
 * different value there is a mistake that would otherwise plan (and deploy) in the other region
 * without a word. The same value is harmless and stays allowed, and so is "" (also what a key
 * written without a value reads as), which names no region. The fix names the project's key, and
 * a value to set it to only when aws:region holds a region.
 */
function ignoredAwsRegionProblem(project: PulumiProject, values: Record<string, unknown>, encrypted: boolean, source: string): string | undefined {
    const ownKey = `${project.name}:region`;
    if (!project.declarations.has(ownKey) || !(ownKey in values) || !(AWS_REGION_KEY in values)) {
        return undefined;
    }
    const own = values[ownKey];
    const aws = values[AWS_REGION_KEY];
    if (!encrypted && (own === aws || aws === "")) {
        return undefined;
    }
    const setOwn = `pulumi config set ${shortKey(project, ownKey)}`;
    const ignored = `this project reads only its own ${JSON.stringify(ownKey)} (${JSON.stringify(own)}), so aws:region would be ignored`;
    if (encrypted) {
        return `${source}: ${JSON.stringify(AWS_REGION_KEY)} is encrypted (secure), which the offline plan cannot read (it has no secrets provider), and ${ignored}: ` +
            `remove aws:region; a region is not secret: to deploy in another region than ${JSON.stringify(own)}, set it in plain text with \`${setOwn} <region>\``;
    }
    if (typeof aws !== "string" || !KNOWN_REGIONS.includes(aws)) {
        return `${source}: ${JSON.stringify(AWS_REGION_KEY)} is ${JSON.stringify(aws)}, which is no AWS region, and ${ignored}: ` +
            `remove aws:region; to deploy in another region than ${JSON.stringify(own)}, set it with \`${setOwn} <region>\`, ` +
            `a known AWS region (e.g. ${REGION_EXAMPLES.join(", ")})`;
    }
    return `${source}: ${JSON.stringify(AWS_REGION_KEY)} is ${JSON.stringify(aws)}, but ${ignored}: ` +
        `set the region with \`${setOwn} ${aws}\` instead, and remove aws:region`;
}

/** Regions the plan's messages give as examples, one per partition kind. */
export const REGION_EXAMPLES: readonly string[] = ["us-west-2", "eu-west-1", "cn-north-1", "us-gov-west-1"].filter((r) => KNOWN_REGIONS.includes(r));

function findStackFile(project: PulumiProject, stack: string): string {
    if (!STACK_NAME.test(stack)) {
        throw new PlanInputError(`stack name ${JSON.stringify(stack)} is invalid: use letters, digits, hyphens, underscores and periods`);
    }
    for (const extension of ["yaml", "yml"]) {
        const file = path.join(project.stackConfigDir, `Pulumi.${stack}.${extension}`);
        if (fs.existsSync(file)) {
            return file;
        }
    }
    const stacks = listStacks(project);
    const suggestion = closestMatch(stack, stacks);
    const existing = stacks.length > 0 ? `existing stacks: ${stacks.join(", ")}` : "there are no stack files";
    throw new PlanInputError(
        `stack "${stack}" not found: no Pulumi.${stack}.yaml in ${project.stackConfigDir}; ${existing}` +
        (suggestion ? ` (did you mean "${suggestion}"?)` : ""));
}

/** Why a key of the stack file is unknown to the project, if it is. */
function unknownKeyProblem(project: PulumiProject, key: string, providerNamespaces: readonly string[]): string | undefined {
    const namespace = key.slice(0, key.indexOf(":"));
    const name = key.slice(key.indexOf(":") + 1);
    if (namespace === project.name) {
        if (project.declarations.has(key)) {
            return undefined;
        }
        const declared = [...project.declarations.keys()].filter((k) => k.startsWith(`${project.name}:`)).map((k) => k.slice(project.name.length + 1));
        const suggestion = closestMatch(name, declared);
        return `unknown key ${JSON.stringify(key)}` + (suggestion ? ` (did you mean "${project.name}:${suggestion}"?)` : "") +
            `; ${project.fileName} declares ${declared.length > 0 ? declared.join(", ") : "no keys"}`;
    }
    const namespaces = [project.name, ...providerNamespaces];
    if (!namespaces.includes(namespace)) {
        const suggestion = closestMatch(namespace, namespaces);
        return `unknown namespace ${JSON.stringify(namespace)} in key ${JSON.stringify(key)}` +
            (suggestion ? ` (did you mean "${suggestion}:${name}"?)` : "") + `; known namespaces: ${namespaces.join(", ")}`;
    }
    return undefined;
}

/** What is wrong with `value` for a key of the given declared type, if anything. */
function typeProblem(value: unknown, type: ConfigType, itemType?: ConfigType): string | undefined {
    switch (type) {
        case "string":
            return typeof value === "string" ? undefined : `must be a string, got ${describe(value)} (quote it in YAML)`;
        case "integer":
            return Number.isInteger(value) || (typeof value === "string" && /^-?\d+$/.test(value)) ? undefined : `must be an integer, got ${describe(value)}`;
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false" ? undefined : `must be a boolean (true or false), got ${describe(value)}`;
        case "array": {
            if (!Array.isArray(value)) {
                return `must be an array, got ${describe(value)}`;
            }
            for (let i = 0; i < value.length; i++) {
                const itemProblem = typeProblem(value[i], itemType ?? "string");
                if (itemProblem) {
                    return `item ${i} ${itemProblem}`;
                }
            }
            return undefined;
        }
    }
}

/** A checked value in its declared type: stack files often hold integers and booleans as strings. */
function normalize(value: unknown, type: ConfigType): unknown {
    if (type === "integer" && typeof value === "string") return Number(value);
    if (type === "boolean" && typeof value === "string") return value === "true";
    return value;
}

function describe(value: unknown): string {
    if (Array.isArray(value)) return `array ${JSON.stringify(value)}`;
    if (value === null) return "null";
    return `${typeof value} ${JSON.stringify(value)}`;
}

/** Pulumi hands programs config as strings; structured values travel as JSON. */
function toRuntimeString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
