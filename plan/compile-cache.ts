/**
 * Turns on Node's on-disk compile cache (Node 22.1+) for the plan and for the policy-pack process it
 * starts. Almost all of a plan's time is Node compiling the Pulumi SDKs' JavaScript, in two
 * processes; with the cache, later runs reuse the compiled code. The cache lives outside the project
 * (`<os temp dir>/node-compile-cache`, or `NODE_COMPILE_CACHE`), is keyed by file content and Node
 * version, and `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
 */
import * as nodeModule from "module";

export function enableCompileCache(): void {
    // An optimisation only: when the cache cannot be used, the plan runs as it would without it.
    const result = nodeModule.enableCompileCache?.();
    const { ENABLED, ALREADY_ENABLED } = nodeModule.constants.compileCacheStatus;
    if (result?.directory !== undefined && (result.status === ENABLED || result.status === ALREADY_ENABLED)) {
        // Child processes (the policy pack) read the variable at start-up.
        process.env.NODE_COMPILE_CACHE ??= result.directory;
    }
}
