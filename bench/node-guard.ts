/**
 * Imported first, for its effect, by every bench script (`import "./node-guard";` above the other
 * imports, which TypeScript's CommonJS output keeps in order): on Node older than 22 the script
 * prints one line saying how to run it on the project's pinned Node and exits 2, before any module
 * that needs Node 22 is loaded. With the shell's older Node the scripts would otherwise crash
 * (`module.constants.compileCacheStatus`) or measure wrongly (the plan re-executes itself on the
 * pinned Node while the floor stays on the old one).
 */
import * as fs from "fs";
import { nodeTooOld, scriptOf } from "./options";

const message = nodeTooOld(process.version, scriptOf(require.main?.filename ?? process.argv[1]));
if (message !== undefined) {
    fs.writeSync(2, message + "\n");
    process.exit(2);
}
