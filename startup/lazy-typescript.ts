/**
 * Defers loading `typescript` until something uses it, in the two processes of ours that load the
 * whole `@pulumi/pulumi`: the policy pack's (through `@pulumi/policy`) and the offline plan's.
 *
 * Why: `@pulumi/pulumi`'s closure serializer (used to turn JavaScript functions into Lambda code)
 * requires the 9 MB `typescript` at load. Neither a policy pack nor a program run under mocks
 * serializes a closure, yet reading and compiling `typescript` was about half of the pack's
 * start-up and about 150 ms of the plan's, and both are on the critical path of every `plan` (the
 * pack's also of every preview). The module registered here stands in for `typescript` in Node's
 * module cache and loads the real one on the first property access, so anything that does use it
 * gets exactly the real module.
 *
 * Must be imported before `@pulumi/pulumi` (or `@pulumi/policy`) is loaded.
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
