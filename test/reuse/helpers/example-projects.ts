/**
 * Turns the projects in `examples/` into runnable programs the way a consumer's machine would:
 * each example is copied to a temporary directory whose `node_modules` holds `eks-irsa-lbc` (the
 * repository itself, so its `exports` map decides what the example can import) and the `@pulumi`
 * packages, then type-checked and compiled with the example's own `tsconfig.json`. Type errors fail
 * the test: an example that does not compile against the package's published types is broken.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..", "..");

export interface CompiledExample {
    readonly name: string;
    /** The example's copy in the temporary directory (its project directory). */
    readonly dir: string;
    /** The compiled entry module. */
    readonly program: string;
}

/** A temporary `node_modules` where `eks-irsa-lbc` is this repository and `@pulumi/*` its installed copies. */
export function consumerWorkspace(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const modules = path.join(dir, "node_modules");
    fs.mkdirSync(modules);
    fs.symlinkSync(REPO_ROOT, path.join(modules, "eks-irsa-lbc"), "dir");
    for (const scope of ["@pulumi", "@types"]) {
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules", scope), path.join(modules, scope), "dir");
    }
    return dir;
}

/**
 * Parsed declaration files are shared between compilations: every example and the tarball consumer
 * read the same @pulumi/aws and @pulumi/kubernetes typings, and parsing them is most of the cost.
 */
const sourceFileCache = new Map<string, ts.SourceFile | undefined>();

/** Type-checks and compiles the TypeScript project in `dir` with its own tsconfig; throws listing every error. */
export function compileProject(dir: string, shownName: string): string {
    const configPath = path.join(dir, "tsconfig.json");
    const read = ts.readConfigFile(configPath, ts.sys.readFile);
    if (read.error) {
        throw new Error(`${shownName}/tsconfig.json: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
    }
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir);
    const host = ts.createCompilerHost(parsed.options);
    const uncachedGetSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
        // Only declaration files under node_modules are shared; the project's own sources are not.
        if (!fileName.endsWith(".d.ts") || !fileName.includes(`${path.sep}node_modules${path.sep}`)) {
            return uncachedGetSourceFile(fileName, languageVersion, onError, shouldCreate);
        }
        const key = `${fileName}|${JSON.stringify(languageVersion)}`;
        if (!sourceFileCache.has(key)) {
            sourceFileCache.set(key, uncachedGetSourceFile(fileName, languageVersion, onError, shouldCreate));
        }
        return sourceFileCache.get(key);
    };
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
    const emitted = program.emit();
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
    if (diagnostics.length > 0) {
        const text = ts.formatDiagnostics(diagnostics, {
            getCanonicalFileName: (f) => f,
            getCurrentDirectory: () => dir,
            getNewLine: () => "\n",
        });
        throw new Error(`${shownName} does not compile against the package:\n${text}`);
    }
    return path.join(parsed.options.outDir ?? dir, "index.js");
}

/** Copies `examples/<name>` into `workspace` and compiles it with its own tsconfig. */
export function compileExample(workspace: string, name: string): CompiledExample {
    const source = path.join(REPO_ROOT, "examples", name);
    const dir = path.join(workspace, name);
    fs.cpSync(source, dir, { recursive: true, filter: (p) => !p.includes(`${path.sep}node_modules`) });
    return { name, dir, program: compileProject(dir, `examples/${name}`) };
}
