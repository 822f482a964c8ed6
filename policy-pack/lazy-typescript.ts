/**
 * Defers loading `typescript` in the pack's process until something uses it.
 *
 * Why: `@pulumi/policy` imports the whole `@pulumi/pulumi`, whose closure serializer (used to turn
 * JavaScript functions into Lambda code) requires the 9 MB `typescript` at load. A policy pack
 * never serializes a closure, yet reading and compiling `typescript` was about half of the pack's
 * start-up, and the pack's start-up is on the critical path of every `plan` and preview. The module
 * registered here stands in for `typescript` in Node's module cache and loads the real one on the
 * first property access, so anything that does use it gets exactly the real module.
 *
 * Must be imported before `@pulumi/policy`.
 */
import * as path from "path";

function installLazyTypescript(): void {
    let file: string;
    try {
        // The copy @pulumi/pulumi would load (its typescript-shim falls back to a vendored one when
        // there is none, which is then left alone).
        file = require.resolve("typescript", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] });
    } catch {
        return;
    }
    if (require.cache[file]) return;
    let real: Record<PropertyKey, unknown> | undefined;
    const load = (): Record<PropertyKey, unknown> => {
        if (real === undefined) {
            // Take the stand-in out of the cache so that require loads and caches the real module.
            delete require.cache[file];
            real = require(file) as Record<PropertyKey, unknown>;
        }
        return real;
    };
    const standIn = new Proxy({}, {
        get: (_target, key) => load()[key],
        has: (_target, key) => key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_target, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
            // A proxy may only report a property as non-configurable if its target has it so.
            return descriptor ? { ...descriptor, configurable: true } : undefined;
        },
    });
    const Module = require("module") as { new(id: string): NodeModule };
    const entry = new Module(file);
    entry.filename = file;
    entry.loaded = true;
    entry.exports = standIn;
    require.cache[file] = entry;
}

installLazyTypescript();
