/**
 * The plan's process and the pack's process load `@pulumi/pulumi` without compiling `typescript`
 * (startup/lazy-typescript.ts), and code that does use `typescript` still gets the real module.
 * Each case runs in a child process with a preload that records every compile of typescript.js,
 * since this mocha process may have loaded either module already.
 */
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const TYPESCRIPT_FILE = require.resolve("typescript", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] });

describe("startup/lazy-typescript", function () {
    this.timeout(60_000);
    let dir: string;
    let preload: string;
    let record: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-lazy-ts-"));
        record = path.join(dir, "compiled.txt");
        preload = path.join(dir, "record-typescript-compile.js");
        // Appends at the moment of compiling, so a process stopped by a signal leaves its record too.
        fs.writeFileSync(preload, [
            "const Module = require('module');",
            "const fs = require('fs');",
            "const compile = Module._extensions['.js'];",
            `Module._extensions['.js'] = function (module, filename) {`,
            `    if (filename === ${JSON.stringify(TYPESCRIPT_FILE)}) fs.appendFileSync(${JSON.stringify(record)}, filename + '\\n');`,
            "    return compile.apply(this, arguments);",
            "};",
        ].join("\n"));
    });

    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const compiled = () => (fs.existsSync(record) ? fs.readFileSync(record, "utf8") : "");

    it("the offline plan of the dev stack never compiles typescript", () => {
        const run = spawnSync(process.execPath, ["--require", preload, path.join(REPO_ROOT, "bin", "eks-irsa-lbc.js"), "plan"], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(compiled(), "");
    });

    it("the policy pack's process starts its server without compiling typescript", async () => {
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

    it("code that uses typescript after @pulumi/pulumi loaded gets the real module, compiled once", () => {
        const script = [
            `require(${JSON.stringify(path.join(REPO_ROOT, "dist", "startup", "lazy-typescript.js"))});`,
            "require('@pulumi/pulumi');",
            "const before = require('fs').existsSync(process.argv[1]);",
            `const ts = require(${JSON.stringify(TYPESCRIPT_FILE)});`,
            "process.stdout.write(JSON.stringify({ before, version: ts.version, kind: typeof ts.createSourceFile }));",
        ].join("\n");
        const run = spawnSync(process.execPath, ["--require", preload, "-e", script, record], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
        assert.strictEqual(run.status, 0, run.stderr);
        const expectedVersion = (JSON.parse(fs.readFileSync(path.join(path.dirname(TYPESCRIPT_FILE), "..", "package.json"), "utf8")) as { version: string }).version;
        assert.deepStrictEqual(JSON.parse(run.stdout), { before: false, version: expectedVersion, kind: "function" });
        assert.strictEqual(compiled(), `${TYPESCRIPT_FILE}\n`);
    });
});
