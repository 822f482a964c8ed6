/**
 * Resolves a stack's configuration offline: the stack file's `config:` laid over the project
 * file's defaults, every key checked against what the project declares, in the string form the
 * Pulumi runtime hands a program. This is the check the Pulumi CLI would make before running the
 * program; without it a typo in a key would silently fall back to a default and plan the wrong thing.
 */
import * as fs from "fs";
import * as path from "path";
import { closestMatch } from "./did-you-mean";
import { PlanInputError } from "./plan-input-error";
import { ConfigType, PulumiProject, isPlainObject, parseYamlFile } from "./project-file";

export interface ResolvedConfig {
    /** Full key (`<namespace>:<name>`) to the value as YAML gave it (after defaults). */
    values: Record<string, unknown>;
    /** The same values as the runtime wants them: strings, arrays and objects as JSON. */
    runtimeValues: Record<string, string>;
    /** Keys the project declares `secret: true`. */
    secretKeys: string[];
}

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
export function resolveStackConfig(project: PulumiProject, stack: string, providerNamespaces: readonly string[]): ResolvedConfig {
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
    for (const [key, value] of Object.entries(isPlainObject(block) ? block : {})) {
        const problem = checkStackEntry(project, key, value, providerNamespaces);
        if (problem) {
            problems.push(`${fileName}: ${problem}`);
        } else {
            stackValues.set(key, value);
        }
    }
    const values: Record<string, unknown> = {};
    for (const declaration of project.declarations.values()) {
        const key = declaration.key;
        const value = stackValues.has(key) ? stackValues.get(key) : declaration.default;
        if (value === undefined || value === null) {
            if (declaration.type !== undefined && !("default" in declaration)) {
                problems.push(`${fileName}: ${JSON.stringify(key)} is required (${project.fileName} gives it no default) and is not set`);
            }
            continue;
        }
        const problem = declaration.type ? typeProblem(value, declaration.type, declaration.itemType) : undefined;
        if (problem) {
            const source = stackValues.has(key) ? fileName : `${project.fileName} (default)`;
            problems.push(`${source}: ${JSON.stringify(key)} ${problem}`);
            continue;
        }
        values[key] = value;
    }
    for (const [key, value] of stackValues) {
        if (!project.declarations.has(key)) {
            values[key] = value;
        }
    }
    if (problems.length > 0) {
        throw new PlanInputError(`invalid stack config "${stack}": ${problems.join("; ")}`);
    }
    const sortedKeys = Object.keys(values).sort();
    return {
        values: Object.fromEntries(sortedKeys.map((key) => [key, values[key]])),
        runtimeValues: Object.fromEntries(sortedKeys.map((key) => [key, toRuntimeString(values[key])])),
        secretKeys: [...project.declarations.values()].filter((d) => d.secret && d.key in values).map((d) => d.key),
    };
}

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

/** Why a key of the stack file cannot be used, if it cannot. */
function checkStackEntry(project: PulumiProject, key: string, value: unknown, providerNamespaces: readonly string[]): string | undefined {
    const [namespace, name] = key.includes(":") ? [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)] : [undefined, key];
    if (namespace === undefined) {
        return `key ${JSON.stringify(key)} has no namespace: write "${project.name}:${key}"`;
    }
    if (isPlainObject(value) && "secure" in value) {
        return `${JSON.stringify(key)} holds an encrypted (secure) value, which the offline plan cannot decrypt: give planned stacks plain values`;
    }
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

function describe(value: unknown): string {
    if (Array.isArray(value)) return `array ${JSON.stringify(value)}`;
    if (value === null) return "null";
    return `${typeof value} ${JSON.stringify(value)}`;
}

/** Pulumi hands programs config as strings; structured values travel as JSON. */
function toRuntimeString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
