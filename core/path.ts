/**
 * Dotted paths into a snapshot (`trustPolicy.Statement[0].Condition.StringEquals["oidc...:sub"]`),
 * the `path` of every finding and of every parse error. Keys that are not plain identifiers (condition
 * keys hold dots, colons and slashes) are quoted so a reader can paste the path back.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function childPath(parent: string, key: string | number): string {
    if (typeof key === "number") return `${parent}[${key}]`;
    if (IDENTIFIER.test(key)) return parent === "" ? key : `${parent}.${key}`;
    return `${parent}[${JSON.stringify(key)}]`;
}
