/**
 * Defers loading three modules `@pulumi/pulumi` requires at load time for features that neither of
 * our two processes that load it (the policy pack's, through `@pulumi/policy`, and the offline
 * plan's) ever uses, until something does use them:
 *
 * - `typescript` (9 MB), for the closure serializer that turns JavaScript functions into Lambda
 *   code: reading and compiling it was about half of the pack's start-up and ~150 ms of the plan's;
 * - `normalize-package-data`, for the same serializer's package reading (~15 ms: its SPDX tables);
 * - `execa`, for the Automation API's `pulumi` command runs (~10 ms).
 *
 * A policy pack never serializes a closure or runs the CLI, nor does a program under mocks, and
 * both processes are on the critical path of every `plan` (the pack's also of every preview). Each
 * module registered here stands in for the real one in Node's module cache and loads it on the
 * first use (a property read or write, a call), so code that does use it gets the real module's
 * behaviour: reads, calls, writes and deletes go to the real module. A `require` after that first
 * use returns the real module itself; one before it, the stand-in (the two are not `===`).
 *
 * Must be imported before `@pulumi/pulumi` (or `@pulumi/policy`) is loaded.
 */
import * as path from "path";

/** How each module is used where `@pulumi/pulumi` requires it. */
interface LazyModule {
    name: string;
    /** Its export is a function that callers call (through `__importDefault(...).default`). */
    callable: boolean;
}

export const LAZY_MODULES: readonly LazyModule[] = [
    { name: "typescript", callable: false },
    { name: "normalize-package-data", callable: true },
    { name: "execa", callable: true },
];

function installLazyModule({ name, callable }: LazyModule): void {
    let file: string;
    try {
        // The copy @pulumi/pulumi would load (for typescript, its shim falls back to a vendored copy
        // when there is none, which is then left alone).
        file = require.resolve(name, { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] });
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
    // An arrow function has no own non-configurable properties, so the proxy may report the real
    // module's as its own; a plain object stands in for a module that is not a function.
    const target = callable ? (() => undefined) : {};
    const standIn = new Proxy(target, {
        // TypeScript's __importDefault asks for __esModule when the requiring module loads; these
        // modules are CommonJS without it (test/startup/lazy-modules.spec.ts checks), so the
        // answer needs no load.
        get: (_target, key) => key === "__esModule" && real === undefined ? undefined : load()[key],
        has: (_target, key) => key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_target, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
            // A proxy may only report a property as non-configurable if its target has it so.
            return descriptor ? { ...descriptor, configurable: true } : undefined;
        },
        apply: (_target, thisArg, args) => Reflect.apply(load() as unknown as (...a: unknown[]) => unknown, thisArg, args),
        // Writes reach the real module too (a test double patching `execa.sync`, say), so that code
        // holding the stand-in and code holding the real module see the same thing.
        set: (_target, key, value) => Reflect.set(load(), key, value),
        defineProperty: (_target, key, descriptor) => {
            // A proxy may only define a non-configurable property its target has: refuse it loudly.
            if (descriptor.configurable === false) throw new TypeError(`startup/lazy-modules: ${name}'s stand-in cannot define ${String(key)} as non-configurable`);
            return Reflect.defineProperty(load(), key, descriptor);
        },
        deleteProperty: (_target, key) => Reflect.deleteProperty(load(), key),
        getPrototypeOf: () => Reflect.getPrototypeOf(load()),
    });
    const Module = require("module") as { new(id: string): NodeModule };
    const entry = new Module(file);
    entry.filename = file;
    entry.loaded = true;
    entry.exports = standIn;
    require.cache[file] = entry;
}

for (const lazy of LAZY_MODULES) installLazyModule(lazy);
