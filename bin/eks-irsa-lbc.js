#!/usr/bin/env node
// Entry point for `npx eks-irsa-lbc` and the npm scripts. Plain ES5-era JavaScript on purpose: it
// must run on whatever Node a shell finds, so that on Node < 22 it can say so (or switch to the
// project's pinned Node) instead of failing later with an obscure syntax or engine error.
"use strict";
var path = require("path");
var fs = require("fs");
var childProcess = require("child_process");
var os = require("os");

var major = parseInt(process.versions.node.split(".")[0], 10);
if (major < 22) {
    runOnOldNode();
} else {
    start();
}

function runOnOldNode() {
    var pinned = findPinnedNode();
    if (pinned && !process.env.EKS_IRSA_LBC_REEXEC) {
        process.stderr.write("eks-irsa-lbc: this shell's Node is v" + process.versions.node +
            " (22 or later is required); running on the project's pinned Node at " + pinned + "\n");
        reexec(pinned);
        return;
    }
    process.stderr.write("eks-irsa-lbc: Node v" + process.versions.node + " is too old: Node 22 or later is required. " +
        "Run `npm ci` in the project (it installs the pinned Node 24) and use `npm run plan` / `npx eks-irsa-lbc`.\n");
    process.exit(2);
}

function start() {
    var main = path.join(__dirname, "..", "dist", "cli", "main.js");
    if (!fs.existsSync(main)) {
        process.stderr.write("eks-irsa-lbc: " + main + " is missing: run `npm ci` (or `npm run build`) first.\n");
        process.exit(2);
    }
    require(main).main(process.argv.slice(2)).then(
        function (code) { process.exitCode = code; },
        function (err) {
            process.stderr.write("eks-irsa-lbc: internal error: " + (err && err.stack ? err.stack : String(err)) + "\n");
            process.exitCode = 3;
        });
}

/**
 * Runs this file again on the pinned Node, as a child that stays in this process group. Signals
 * sent to this process (a `kill`, a supervisor's stop, a closed terminal) are passed on, so the
 * real run (and the policy pack it started) ends with it instead of living on without a parent;
 * this process then exits as the child did: its code, or 128 + the signal's number, as a shell would.
 */
function reexec(pinned) {
    var env = Object.assign({}, process.env, { EKS_IRSA_LBC_REEXEC: "1" });
    var child = childProcess.spawn(pinned, [__filename].concat(process.argv.slice(2)), { stdio: "inherit", env: env });
    var forwarded = ["SIGINT", "SIGTERM", "SIGHUP"];
    forwarded.forEach(function (signal) {
        process.on(signal, function () {
            // The child may already be gone; its exit is reported below either way.
            try { child.kill(signal); } catch (err) { /* already exited */ }
        });
    });
    child.on("error", function (err) {
        process.stderr.write("eks-irsa-lbc: could not run " + pinned + ": " + err.message + "\n");
        process.exit(1);
    });
    child.on("exit", function (code, signal) {
        if (signal) {
            var number = os.constants && os.constants.signals ? os.constants.signals[signal] : undefined;
            process.exit(number ? 128 + number : 1);
        }
        process.exit(code === null ? 1 : code);
    });
}

function findPinnedNode() {
    var candidates = [
        path.join(__dirname, "..", "node_modules", "node", "bin", "node"),
        path.join(__dirname, "..", "..", "node", "bin", "node"),
    ];
    for (var i = 0; i < candidates.length; i++) {
        if (fs.existsSync(candidates[i])) return candidates[i];
    }
    return null;
}
