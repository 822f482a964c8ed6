/**
 * `eks-irsa-lbc check [--json] FILE...`: judges wiring snapshots (bare, or corpus case files with
 * `input`; `-` reads standard input) with the analysis core and prints, per file, the chain verdict and the findings. Exit 0
 * when no file has a finding, 1 when some has, 2 on bad input (nothing is printed to stdout then).
 * Files are only read.
 */
import { readFile } from "node:fs/promises";
import { analyze, parseSnapshot, SnapshotError, type Analysis } from "../core";
import { UsageError } from "./usage-error";
import { firstUtf8Error } from "./utf8";

const USAGE = "usage: eks-irsa-lbc check [--json] FILE...";

interface FileResult extends Analysis {
    file: string;
}

function parseArgs(argv: readonly string[]): { json: boolean; files: string[]; help?: boolean } {
    let json = false;
    const files: string[] = [];
    let flagsDone = false;
    for (const arg of argv) {
        if (!flagsDone && arg === "--") flagsDone = true;
        else if (!flagsDone && arg === "--json") json = true;
        else if (!flagsDone && (arg === "-h" || arg === "--help")) return { json, files: [], help: true };
        else if (!flagsDone && arg.startsWith("-") && arg !== "-") throw new UsageError(`check: unknown option ${JSON.stringify(arg)}; ${USAGE}`);
        else if (arg === "") throw new UsageError(`check: FILE "" is an empty path; give a file, or - for standard input; ${USAGE}`);
        else files.push(arg);
    }
    if (files.length === 0) throw new UsageError(`check: no FILE given; ${USAGE}`);
    // Standard input can be read once: a second "-" would silently be an empty document.
    if (files.filter((f) => f === "-").length > 1) throw new UsageError(`check: "-" (standard input) given more than once; ${USAGE}`);
    return { json, files };
}

/** How a snapshot read from standard input (`-`) is named in the output. */
const STDIN_NAME = "(stdin)";

async function readStdin(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk as Buffer);
    return Buffer.concat(chunks);
}

async function load(argument: string): Promise<FileResult> {
    const file = argument === "-" ? STDIN_NAME : argument;
    let bytes: Buffer;
    try {
        bytes = argument === "-" ? await readStdin() : await readFile(file);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (err as Error).message;
        throw new UsageError(printable(`${file}: cannot read: ${why}`));
    }
    const bad = firstUtf8Error(bytes);
    if (bad !== undefined) {
        const shown = bad.bytes.map((b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
        const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) ? " (it starts with a UTF-16 byte-order mark)" : "";
        throw new UsageError(printable(`${file}: not UTF-8: the bytes at offset ${bad.offset} (${shown}) are no UTF-8 character${utf16}; a JSON snapshot must be UTF-8 (save it as UTF-8)`));
    }
    // A NUL byte is valid UTF-8 but never in JSON text (not even inside a string): such a file is
    // almost always UTF-16 saved without a byte-order mark.
    const nul = bytes.indexOf(0);
    if (nul !== -1) {
        throw new UsageError(printable(`${file}: not UTF-8 JSON: byte ${nul} is 0x00, which JSON does not allow (a file with NUL bytes is likely UTF-16 without a byte-order mark); a JSON snapshot must be UTF-8 (save it as UTF-8)`));
    }
    let text = bytes.toString("utf8");
    // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (err) {
        throw new UsageError(printable(`${file}: invalid JSON: ${(err as Error).message}`));
    }
    try {
        return { file, ...analyze(parseSnapshot(raw, file)) };
    } catch (err) {
        if (err instanceof SnapshotError) throw new UsageError(printable(err.message));
        throw err;
    }
}

function indent(text: string, prefix: string): string {
    return text.split("\n").map((line) => prefix + line).join("\n");
}

/**
 * Control characters (C0, DEL, C1: an ESC starts a terminal escape sequence, a newline forges an
 * output line) and the bidirectional overrides that reorder what a reader sees, as \uXXXX escapes.
 * Messages quote snapshot values verbatim; the text output must show them, never obey them.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
    return text.replace(UNPRINTABLE, (c) => c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function renderText(results: readonly FileResult[]): string {
    const out: string[] = [];
    let errors = 0;
    let warnings = 0;
    for (const result of results) {
        const { chain, findings } = result;
        const file = printable(result.file);
        out.push(chain.status === "works"
            ? `${file}: chain works: ${printable(chain.reason)}`
            : `${file}: chain BROKEN at ${chain.link}: ${printable(chain.reason)}`);
        if (findings.length === 0) out.push("  no findings");
        for (const f of findings) {
            if (f.severity === "error") errors++;
            else warnings++;
            out.push(`  ${f.severity.padEnd(7)} ${f.rule}  (${printable(f.path)})`);
            out.push(indent(printable(f.message), "          "));
            out.push(indent(`fix: ${printable(f.fix)}`, "          "));
        }
        out.push("");
    }
    const broken = results.filter((r) => r.chain.status === "broken").length;
    out.push(`${results.length} file${results.length === 1 ? "" : "s"}: ${broken} broken chain${broken === 1 ? "" : "s"}, ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`);
    return out.join("\n") + "\n";
}

export async function run(argv: string[]): Promise<number> {
    const { json, files, help } = parseArgs(argv);
    if (help) {
        process.stdout.write(`${USAGE}\n\nJudges IRSA wiring snapshots (bare, or case files with "input"; - reads standard input); exit 0 clean, 1 findings, 2 bad input.\n`);
        return 0;
    }
    // Every file is read and validated before anything is printed: bad input prints only its error.
    const results: FileResult[] = [];
    for (const file of files) results.push(await load(file));
    if (json) {
        const document = results.map((r) => ({ file: r.file, chain: r.chain, findings: r.findings }));
        process.stdout.write(JSON.stringify(document, null, 2) + "\n");
    } else {
        process.stdout.write(renderText(results));
    }
    return results.some((r) => r.findings.length > 0) ? 1 : 0;
}
