/**
 * Helpers for the plan's tests. Pulumi's mocks are process-global, so every plan runs in its own
 * child process, exactly as a user runs it; bad configs are written into throw-away copies of a
 * project in the OS temp dir, never into the repo.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";

/** The repository root (this file runs from dist/test/plan). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
export const BIN = path.join(REPO_ROOT, "bin", "eks-irsa-lbc.js");
export const MINI_PROJECT = path.join(REPO_ROOT, "test", "plan", "fixtures", "mini");

export interface CliRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs `eks-irsa-lbc <args>` on this Node, in `cwd`. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
    const clean = { ...process.env };
    delete clean.DEBUG;
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...clean, ...env }, timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Copies a project's Pulumi.yaml and package.json into a fresh temp dir, with `main` pinned to the
 * original's compiled program, and writes the given stack files there. Returns the new dir.
 */
export function copyProject(projectDir: string, stackFiles: Record<string, string>, editProject?: (project: Record<string, unknown>) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-plan-"));
    const project = yaml.load(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
    project.main = typeof project.main === "string" ? path.resolve(projectDir, project.main) : require.resolve(projectDir);
    editProject?.(project);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml.dump(project));
    fs.copyFileSync(path.join(projectDir, "package.json"), path.join(dir, "package.json"));
    for (const [name, text] of Object.entries(stackFiles)) {
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

/** Every file under `dir` with its content, to prove a run changed nothing. */
export function snapshotDir(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) {
            const file = path.join(entry.parentPath, entry.name);
            files[path.relative(dir, file)] = fs.readFileSync(file, "utf8");
        }
    }
    return files;
}

export function removeDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
}
