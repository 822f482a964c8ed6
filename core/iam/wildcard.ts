/**
 * IAM's glob: `*` matches any run of characters, `?` exactly one, nothing else is special. Used by
 * the `...Like` condition operators, `Arn*` segments and `Action` patterns. Patterns repeat across
 * thousands of snapshots (the same `sts:*`, the same `system:serviceaccount:ns:*`), so each compiled
 * matcher is cached; a pattern without wildcards never becomes a regular expression at all.
 */

type Matcher = (value: string) => boolean;

const caseSensitive = new Map<string, Matcher>();
const caseInsensitive = new Map<string, Matcher>();
const CACHE_LIMIT = 10_000;

function compile(pattern: string, ignoreCase: boolean): Matcher {
    if (!pattern.includes("*") && !pattern.includes("?")) {
        if (ignoreCase) {
            const lower = pattern.toLowerCase();
            return (value) => value.length === lower.length && value.toLowerCase() === lower;
        }
        return (value) => value === pattern;
    }
    if (pattern === "*") return () => true;
    let source = "^";
    for (const ch of pattern) {
        if (ch === "*") source += "[\\s\\S]*";
        else if (ch === "?") source += "[\\s\\S]";
        else source += ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
    }
    const regex = new RegExp(source + "$", ignoreCase ? "i" : "");
    return (value) => regex.test(value);
}

/** Whether `value` matches the IAM wildcard `pattern` (`*`, `?`). */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
    const cache = ignoreCase ? caseInsensitive : caseSensitive;
    let matcher = cache.get(pattern);
    if (matcher === undefined) {
        if (cache.size >= CACHE_LIMIT) cache.clear();
        matcher = compile(pattern, ignoreCase);
        cache.set(pattern, matcher);
    }
    return matcher(value);
}

/** Whether the string holds a character that only the `Like` operators treat as a wildcard. */
export function hasWildcard(value: string): boolean {
    return value.includes("*") || value.includes("?");
}
