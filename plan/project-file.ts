/**
 * Reads a Pulumi project file (`Pulumi.yaml`) the way the Pulumi CLI would before a `pulumi up`:
 * the project's name, where its program and stack files are, and its `config:` block (typed
 * declarations of the project's own keys, plain values for provider keys). The offline plan has no
 * Pulumi CLI to do this for it, and it must refuse a bad project with a one-line reason.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { PlanInputError } from "./plan-input-error";

/** The types a project file may declare for a config key (Pulumi's project-file schema). */
export type ConfigType = "string" | "integer" | "boolean" | "array";
export const CONFIG_TYPES: readonly ConfigType[] = ["string", "integer", "boolean", "array"];

/** One key of the project file's `config:` block, under its full `<namespace>:<name>` key. */
export interface ConfigDeclaration {
    key: string;
    /** Absent for untyped keys (a bare value or `{value: ...}`), which Pulumi does not type-check. */
    type?: ConfigType;
    /** For `array`: the type of each item. */
    itemType?: ConfigType;
    description?: string;
    /** The value used when the stack sets none; absent means the stack must set it. */
    default?: unknown;
    secret?: boolean;
}

export interface PulumiProject {
    dir: string;
    /** The project file's name as found (`Pulumi.yaml` or `Pulumi.yml`). */
    fileName: string;
    name: string;
    /** Where `main` points (a file or directory), absolute; the project dir when unset. */
    main: string;
    /** Where `Pulumi.<stack>.yaml` files live, absolute. */
    stackConfigDir: string;
    declarations: Map<string, ConfigDeclaration>;
}

const PROJECT_FILE_NAMES = ["Pulumi.yaml", "Pulumi.yml"];

export function readProjectFile(projectDir: string): PulumiProject {
    const dir = path.resolve(projectDir);
    const fileName = PROJECT_FILE_NAMES.find((name) => fs.existsSync(path.join(dir, name)));
    if (fileName === undefined) {
        throw new PlanInputError(`no Pulumi.yaml in ${dir}: run the plan from the project directory or pass --cwd DIR`);
    }
    const document = parseYamlFile(path.join(dir, fileName), fileName);
    if (!isPlainObject(document)) {
        throw new PlanInputError(`${fileName}: expected a mapping with at least name and runtime`);
    }
    const name = document.name;
    if (typeof name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(name)) {
        throw new PlanInputError(`${fileName}: name ${JSON.stringify(name)} is not a project name (letters, digits, hyphens, underscores, periods)`);
    }
    const runtime = isPlainObject(document.runtime) ? document.runtime.name : document.runtime;
    if (runtime !== "nodejs") {
        throw new PlanInputError(`${fileName}: runtime ${JSON.stringify(runtime)} is not supported: the offline plan runs nodejs programs only`);
    }
    return {
        dir,
        fileName,
        name,
        main: path.resolve(dir, optionalString(document, "main", fileName) ?? "."),
        // Before project-level config, `config: <dir>` named the stack files' directory; Pulumi still reads it so.
        stackConfigDir: path.resolve(dir, optionalString(document, "stackConfigDir", fileName) ??
            (typeof document.config === "string" ? document.config : ".")),
        declarations: readDeclarations(typeof document.config === "string" ? undefined : document.config, name, fileName),
    };
}

function readDeclarations(block: unknown, project: string, fileName: string): Map<string, ConfigDeclaration> {
    const declarations = new Map<string, ConfigDeclaration>();
    if (block === undefined || block === null) {
        return declarations;
    }
    if (!isPlainObject(block)) {
        throw new PlanInputError(`${fileName}: config must be a mapping of keys to declarations or values`);
    }
    const problems: string[] = [];
    for (const [rawKey, entry] of Object.entries(block)) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        const isProjectKey = key.startsWith(`${project}:`);
        const where = `${fileName}: config key ${JSON.stringify(rawKey)}`;
        if (!isPlainObject(entry)) {
            // A bare value is every stack's default and, as in Pulumi, fixes no type.
            declarations.set(key, { key, default: entry });
        } else if ("value" in entry && "default" in entry) {
            problems.push(`${where}: has both default and value; keep one`);
        } else if ("type" in entry) {
            if (!isProjectKey) {
                problems.push(`${where}: is not the project's key, so it may not declare a type; give it a plain value or {value: ...}`);
                continue;
            }
            const declaration = readSchema(key, entry, where, problems);
            if (declaration) {
                declarations.set(key, declaration);
            }
        } else if ("value" in entry) {
            declarations.set(key, { key, default: entry.value });
        } else if ("default" in entry && isProjectKey) {
            declarations.set(key, { key, default: entry.default });
        } else if ("default" in entry) {
            problems.push(`${where}: is not the project's key, so it may not declare a default; use {value: ...}`);
        } else {
            problems.push(`${where}: a mapping must declare {type: ...} or nest its value under {value: ...}`);
        }
    }
    if (problems.length > 0) {
        throw new PlanInputError(problems.join("; "));
    }
    return declarations;
}

function readSchema(key: string, entry: Record<string, unknown>, where: string, problems: string[]): ConfigDeclaration | undefined {
    const type = entry.type;
    if (!CONFIG_TYPES.includes(type as ConfigType)) {
        problems.push(`${where}: type ${JSON.stringify(type)} is not one of ${CONFIG_TYPES.join(", ")}`);
        return undefined;
    }
    const declaration: ConfigDeclaration = { key, type: type as ConfigType };
    if (type === "array") {
        const itemType = isPlainObject(entry.items) ? entry.items.type : undefined;
        if (!CONFIG_TYPES.includes(itemType as ConfigType) || itemType === "array") {
            problems.push(`${where}: an array needs items: {type: string|integer|boolean}, got ${JSON.stringify(entry.items)}`);
            return undefined;
        }
        declaration.itemType = itemType as ConfigType;
    }
    if (typeof entry.description === "string") {
        declaration.description = entry.description;
    }
    if (entry.secret === true) {
        declaration.secret = true;
    }
    if ("default" in entry || "value" in entry) {
        declaration.default = "default" in entry ? entry.default : entry.value;
    }
    return declaration;
}

function optionalString(document: Record<string, unknown>, field: string, fileName: string): string | undefined {
    const value = document[field];
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== "string" || value === "") {
        throw new PlanInputError(`${fileName}: ${field} ${JSON.stringify(value)} must be a non-empty path`);
    }
    return value;
}

/** Parses a YAML file, turning a syntax error into one line that names the file and the place. */
export function parseYamlFile(file: string, shownName: string): unknown {
    const text = fs.readFileSync(file, "utf8");
    try {
        return yaml.load(text, { filename: shownName });
    } catch (err) {
        const reason = err instanceof yaml.YAMLException ? err.reason : String(err);
        const mark = err instanceof yaml.YAMLException && err.mark ? ` (line ${err.mark.line + 1}, column ${err.mark.column + 1})` : "";
        throw new PlanInputError(`${shownName}: invalid YAML${mark}: ${reason}`);
    }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The nearest directory from `start` upwards that holds a project file, as the Pulumi CLI finds it. */
export function findProjectDir(start: string): string {
    const first = path.resolve(start);
    if (!fs.existsSync(first)) {
        throw new PlanInputError(`project directory ${first} does not exist`);
    }
    for (let dir = first; ; dir = path.dirname(dir)) {
        if (PROJECT_FILE_NAMES.some((name) => fs.existsSync(path.join(dir, name)))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            throw new PlanInputError(`no Pulumi.yaml in ${first} or any directory above it: run the plan in the project or pass --cwd DIR`);
        }
    }
}
