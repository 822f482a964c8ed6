/**
 * Untrusted JSON can nest thousands of levels deep in a few kilobytes, and anything that recurses over
 * it (JSON.stringify included) then dies with "Maximum call stack size exceeded". The parser refuses
 * such input up front with an iterative walk, and every rendering of an untrusted value in a message
 * goes through `preview`, whose recursion is bounded by a small depth whatever the input.
 */
import { childPath } from "./path";

/** No snapshot field nests near this deep (Helm values ~10, IAM documents ~5). */
export const MAX_JSON_DEPTH = 64;

/**
 * The path (below `root`) of the first value nested more than `maxDepth` levels under `value`,
 * or `undefined` when none is. Iterative, so any depth is safe to check.
 */
export function tooDeepAt(value: unknown, root: string, maxDepth = MAX_JSON_DEPTH): string | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    // Parent links, not path strings: a path is built only for the one value reported.
    interface Frame { readonly value: object; readonly depth: number; readonly parent?: Frame; readonly key?: string | number }
    const stack: Frame[] = [{ value, depth: 1 }];
    while (stack.length > 0) {
        const frame = stack.pop() as Frame;
        if (frame.depth > maxDepth) {
            const keys: (string | number)[] = [];
            for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.push(f.key);
            return keys.reverse().reduce<string>((path, key) => childPath(path, key), root);
        }
        // Children are visited in any order: which too-deep value is named matters less than speed,
        // since every snapshot passes through here and almost none is too deep.
        if (Array.isArray(frame.value)) {
            const list = frame.value as unknown[];
            for (let i = 0; i < list.length; i++) {
                const child = list[i];
                if (typeof child === "object" && child !== null) stack.push({ value: child, depth: frame.depth + 1, parent: frame, key: i });
            }
        } else {
            const record = frame.value as Record<string, unknown>;
            for (const key in record) {
                const child = record[key];
                if (typeof child === "object" && child !== null) stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
            }
        }
    }
    return undefined;
}

const PREVIEW_DEPTH = 4;

/** JSON text of `value`, cut at `limit` characters; levels below the fourth are shown as `[...]`/`{...}`. */
export function preview(value: unknown, limit: number): string {
    const text = render(value, 0, limit + 1);
    return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

function render(value: unknown, depth: number, budget: number): string {
    if (value === undefined) return "undefined";
    if (typeof value !== "object" || value === null) {
        // JSON.parse reads a literal beyond the largest double (1e400) as Infinity, which JSON.stringify
        // would show as null: say what the value is.
        if (typeof value === "number" && !Number.isFinite(value)) return String(value);
        const text = JSON.stringify(value);
        return text === undefined ? String(value) : text;
    }
    const array = Array.isArray(value);
    if (depth >= PREVIEW_DEPTH) return array ? "[...]" : "{...}";
    let out = array ? "[" : "{";
    let first = true;
    for (const [key, child] of array ? value.map((v, i) => [i, v] as const) : Object.entries(value)) {
        if (out.length > budget) break;
        out += (first ? "" : ",") + (array ? "" : `${JSON.stringify(key)}:`) + render(child, depth + 1, budget - out.length);
        first = false;
    }
    return out + (array ? "]" : "}");
}
