/**
 * Preloaded into the policy pack process that the plan starts (`node --require <this> <pack>`, see
 * pack-process.ts), never imported. The pack's gRPC server runs until it is told to stop, and the
 * plan tells it with SIGTERM; a plan that dies first (SIGKILL, a crash) never does, and the pack
 * would live on with no parent. The plan therefore gives the pack a stdin pipe that it never writes
 * to: the OS closes the plan's end when the plan ends, however it ends, and the pack then sees the
 * end of its stdin and exits. The pack's own entry point stays untouched (the Pulumi CLI starts it
 * in real previews and manages it itself).
 *
 * It writes nothing (the pack's first stdout line must be its port) and holds the event loop only
 * through the pack's own handles: an unreferenced read on stdin keeps no process alive by itself.
 */
import * as fs from "fs";

/**
 * Only a pipe or socket has a writer whose end means "the parent is gone". A file or /dev/null on
 * stdin ends at once, and a terminal only when the user types ^D: neither says anything about the
 * parent, so the watchdog then stays out of the way.
 */
function stdinIsPipe(): boolean {
    try {
        const stat = fs.fstatSync(0);
        return stat.isFIFO() || stat.isSocket();
    } catch {
        return false;
    }
}

if (stdinIsPipe()) {
    const stdin = process.stdin;
    // process.exit, not a signal: it runs the process's "exit" listeners (the bench's peak-rss.js
    // records the pack's memory there), and nobody is left to wait for a graceful stop.
    const parentGone = () => process.exit(0);
    stdin.once("end", parentGone);
    stdin.once("close", parentGone);
    // A read error on the pipe (ECONNRESET) means the same: the other end is gone.
    stdin.once("error", parentGone);
    // Anything the parent writes is discarded; reading is what lets the end be seen.
    stdin.on("data", () => undefined);
    // A net.Socket for a pipe or socket has unref(); its read then keeps no event loop alive.
    (stdin as unknown as { unref?: () => void }).unref?.();
}
