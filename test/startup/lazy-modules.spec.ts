/**
 * The plan's process and the pack's process load `@pulumi/pulumi` without compiling `typescript`,
 * `normalize-package-data` or `execa` (startup/lazy-modules.ts), and code that does use them still
 * gets the real modules. Each case runs in a child process with a preload that records every compile
 * of the three modules' entry files, since this mocha process may have loaded them already.
 */
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const SHIM = path.join(REPO_ROOT, "dist", "startup", "lazy-modules.js");
const PULUMI_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const ENTRY = Object.fromEntries(["typescript", "normalize-package-data", "execa"].map((name) => [name, require.resolve(name, { paths: [PULUMI_DIR] })]));

describe("startup/lazy-modules", function () {
    this.timeout(60_000);
    let dir: string;
    let preload: string;
    let record: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-lazy-modules-"));
        record = path.join(dir, "compiled.txt");
        preload = path.join(dir, "record-compiles.js");
        // Appends at the moment of compiling, so a process stopped by a signal leaves its record too.
        fs.writeFileSync(preload, [
            "const Module = require('module');",
            "const fs = require('fs');",
            `const watched = new Set(${JSON.stringify(Object.values(ENTRY))});`,
            "const compile = Module._extensions['.js'];",
            "Module._extensions['.js'] = function (module, filename) {",
            `    if (watched.has(filename)) fs.appendFileSync(${JSON.stringify(record)}, filename + '\\n');`,
            "    return compile.apply(this, arguments);",
            "};",
        ].join("\n"));
    });

    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const compiled = () => (fs.existsSync(record) ? fs.readFileSync(record, "utf8") : "");

    it("the offline plan of the dev stack compiles none of the three", () => {
        const run = spawnSync(process.execPath, ["--require", preload, path.join(REPO_ROOT, "bin", "eks-irsa-lbc.js"), "plan"], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(compiled(), "");
    });

    it("the policy pack's process starts its server without compiling any of the three", async () => {
        const child = spawn(process.execPath, ["--require", preload, path.join(REPO_ROOT, "dist", "policy-pack", "index.js")], {
            cwd: path.join(REPO_ROOT, "policy-pack"), stdio: ["ignore", "pipe", "inherit"],
        });
        const port = await new Promise<string>((resolve, reject) => {
            child.stdout.setEncoding("utf8").once("data", (chunk: string) => resolve(chunk.trim()));
            child.once("exit", (code) => reject(new Error(`the pack exited (${code}) before printing its port`)));
        });
        child.kill("SIGTERM");
        assert.match(port, /^\d+$/);
        assert.strictEqual(compiled(), "");
    });

    it("code that uses them after @pulumi/pulumi loaded gets the real modules, each compiled once", () => {
        const script = [
            `require(${JSON.stringify(SHIM)});`,
            "require('@pulumi/pulumi');",
            "const before = require('fs').existsSync(process.argv[1]);",
            `const ts = require(${JSON.stringify(ENTRY.typescript)});`,
            // As @pulumi/pulumi's compiled code holds them: through __importDefault(...).default.
            `const normalize = require(${JSON.stringify(ENTRY["normalize-package-data"])});`,
            "const data = { name: 'probe', version: 'v1.2.3' };",
            "normalize(data);",
            `const execa = require(${JSON.stringify(ENTRY.execa)});`,
            "const echoed = execa.sync(process.execPath, ['-e', 'process.stdout.write(\"ok\")']).stdout;",
            "process.stdout.write(JSON.stringify({ before, tsVersion: ts.version, createSourceFile: typeof ts.createSourceFile, normalizedVersion: data.version, echoed }));",
        ].join("\n");
        const run = spawnSync(process.execPath, ["--require", preload, "-e", script, record], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
        assert.strictEqual(run.status, 0, run.stderr);
        const expectedVersion = (JSON.parse(fs.readFileSync(path.join(path.dirname(ENTRY.typescript), "..", "package.json"), "utf8")) as { version: string }).version;
        assert.deepStrictEqual(JSON.parse(run.stdout), {
            before: false, tsVersion: expectedVersion, createSourceFile: "function", normalizedVersion: "1.2.3", echoed: "ok",
        });
        assert.deepStrictEqual(compiled().split("\n").filter((line) => line !== "").sort(), Object.values(ENTRY).sort());
    });

    it("writes and deletes through a stand-in reach the real module, before and after it loaded", () => {
        const script = [
            `require(${JSON.stringify(SHIM)});`,
            "require('@pulumi/pulumi');",
            // Held as @pulumi/pulumi holds it: the stand-in, taken before anything used the module.
            `const standIn = require(${JSON.stringify(ENTRY.execa)});`,
            "standIn.probe = 1;",
            `const real = require(${JSON.stringify(ENTRY.execa)});`,
            "const probe = real.probe;",
            "const originalSync = real.sync;",
            "Object.defineProperty(standIn, 'sync', { value: () => 'stubbed', configurable: true, writable: true });",
            "const stubbed = [real.sync(), standIn.sync()];",
            "standIn.sync = originalSync;",
            "delete standIn.probe;",
            "let refused = '';",
            "try { Object.defineProperty(standIn, 'frozen', { value: 1, configurable: false }); } catch (err) { refused = err.message; }",
            "process.stdout.write(JSON.stringify({ probe, stubbed, restored: real.sync === originalSync, deleted: 'probe' in standIn, refused, same: standIn === real, proto: Object.getPrototypeOf(standIn) === Object.getPrototypeOf(real) }));",
        ].join("\n");
        const run = spawnSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(JSON.parse(run.stdout), {
            probe: 1, stubbed: ["stubbed", "stubbed"], restored: true, deleted: false,
            refused: "startup/lazy-modules: execa's stand-in cannot define frozen as non-configurable", same: false, proto: true,
        });
    });

    it("the deferred modules that are called are CommonJS without __esModule, as the stand-in answers before loading them", () => {
        const script = [
            `const names = ${JSON.stringify(["normalize-package-data", "execa"])};`,
            `const entries = ${JSON.stringify(ENTRY)};`,
            "process.stdout.write(JSON.stringify(names.map((name) => { const real = require(entries[name]); return [name, typeof real, real.__esModule]; })));",
        ].join("\n");
        const run = spawnSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.deepStrictEqual(JSON.parse(run.stdout), [["normalize-package-data", "function", null], ["execa", "function", null]]);
    });
});
