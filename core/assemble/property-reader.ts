/**
 * Reads typed values out of a resource's properties, noting instead of throwing when a value is
 * unknown (preview) or of the wrong shape. Every reader in this folder goes through it, so an
 * unknown value anywhere becomes "this fact is absent, check it at update time", never a crash and
 * never a silent pass.
 */
import { isUnknown, type GenericResource, type PropertyNote } from "./generic-resource";
import { MAX_JSON_DEPTH, preview, tooDeepAt } from "../json-depth";

export class PropertyReader {
    readonly unknowns: PropertyNote[] = [];
    readonly problems: PropertyNote[] = [];

    constructor(readonly resource: GenericResource) {}

    /** The value at `path`, or `undefined` when absent or unknown (an unknown is noted). */
    get(...path: (string | number)[]): unknown {
        let value: unknown = this.resource.props;
        for (let i = 0; i < path.length; i++) {
            if (isUnknown(value)) {
                this.noteUnknown(path.slice(0, i));
                return undefined;
            }
            if (value === null || typeof value !== "object") return undefined;
            value = (value as Record<string | number, unknown>)[path[i]];
        }
        if (isUnknown(value)) {
            this.noteUnknown(path);
            return undefined;
        }
        return value;
    }

    string(...path: (string | number)[]): string | undefined {
        const value = this.get(...path);
        return typeof value === "string" ? value : undefined;
    }

    number(...path: (string | number)[]): number | undefined {
        const value = this.get(...path);
        if (typeof value === "number") return value;
        if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
        return undefined;
    }

    /** A list of strings; `undefined` when absent, unknown, or holding an unknown element. */
    strings(...path: (string | number)[]): string[] | undefined {
        const value = this.get(...path);
        if (!Array.isArray(value)) return undefined;
        if (value.some(isUnknown)) {
            this.noteUnknown(path);
            return undefined;
        }
        return value.filter((v): v is string => typeof v === "string");
    }

    /**
     * A JSON document given either as an object or as a JSON string (both are common: `JSON.stringify`
     * of an Output, `aws.iam.getPolicyDocument().json`, or a literal object). Unknown anywhere inside
     * makes the whole document unknown: half a policy would be judged wrongly.
     */
    document(...path: (string | number)[]): Record<string, unknown> | undefined {
        const value = this.get(...path);
        if (value === undefined || value === null) return undefined;
        if (typeof value === "string") {
            try {
                const parsed: unknown = JSON.parse(value);
                if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return this.shallowEnough(path, parsed as Record<string, unknown>);
                this.problem(path, `is not a JSON object: ${abbreviate(value)}`);
            } catch (err) {
                this.problem(path, `is not valid JSON (${(err as Error).message}): ${abbreviate(value)}`);
            }
            return undefined;
        }
        if (typeof value === "object" && !Array.isArray(value)) {
            // containsUnknown and the rules recurse: refuse nesting no policy or values document has.
            if (this.shallowEnough(path, value as Record<string, unknown>) === undefined) return undefined;
            if (containsUnknown(value)) {
                this.noteUnknown(path);
                return undefined;
            }
            return value as Record<string, unknown>;
        }
        this.problem(path, `must be a JSON object or a JSON string, got ${preview(value, 80)}`);
        return undefined;
    }

    private shallowEnough(path: (string | number)[], document: Record<string, unknown>): Record<string, unknown> | undefined {
        const deep = tooDeepAt(document, path.join("."));
        if (deep === undefined) return document;
        this.problem(path, `is nested more than ${MAX_JSON_DEPTH} levels deep (at ${deep}); no IAM policy or chart values document is`);
        return undefined;
    }

    private noteUnknown(path: (string | number)[]): void {
        this.unknowns.push({
            urn: this.resource.urn,
            property: path.join("."),
            path: [...path],
            message: `${path.join(".")} is not known until the resource is created; the check runs at update time`,
        });
    }

    private problem(path: (string | number)[], message: string): void {
        this.problems.push({ urn: this.resource.urn, property: path.join("."), path: [...path], message: `${path.join(".")} ${message}` });
    }
}

export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

function abbreviate(text: string): string {
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
