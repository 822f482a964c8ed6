// Preloaded into every Node process a benchmark starts (NODE_OPTIONS="--require <this file>"), so
// the bench learns each process's peak memory portably: Node cannot report a child's rusage, and
// `/usr/bin/time` is not installed everywhere. At exit the process writes its own
// `process.resourceUsage()` peak RSS (KiB) and CPU time (user + system, ms; less disturbed by a
// busy machine than wall time) to $EKS_IRSA_LBC_BENCH_RSS_DIR/<pid>.json. Processes the
// measured command starts (the policy pack, the CDK app under a CLI) inherit NODE_OPTIONS and
// report too. Without the variable this file does nothing.
"use strict";
const dir = process.env.EKS_IRSA_LBC_BENCH_RSS_DIR;
if (dir) {
    const fs = require("fs");
    const path = require("path");
    const record = () => {
        try {
            const usage = process.resourceUsage();
            fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify({
                pid: process.pid,
                ppid: process.ppid,
                maxRssKiB: usage.maxRSS,
                cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
                argv: process.argv.slice(1),
            }));
        } catch {
            // The bench treats a missing record as "unknown"; never disturb the measured process.
        }
    };
    process.on("exit", record);
    // A process ended by a signal emits no "exit": record, then let the signal do what it would
    // have done, unless the program handles it itself (then its own exit records again, later).
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
        process.once(signal, () => {
            record();
            if (process.listenerCount(signal) === 0) {
                process.kill(process.pid, signal);
            }
        });
    }
}
