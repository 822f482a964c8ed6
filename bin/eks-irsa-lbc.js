#!/usr/bin/env node
// Entry point for `npx eks-irsa-lbc` and the npm scripts. Plain ES5-era JavaScript on purpose: it
// must run on whatever Node a shell finds, so that on Node < 22 it can say so (or switch to the
// project's pinned Node) instead of failing later with an obscure syntax or engine error.
"use strict";
var path = require("path");
var fs = require("fs");
var childProcess = require("child_process");

var major = parseInt(process.versions.node.split(".")[0], 10);
if (major < 22) {
    var pinned = findPinnedNode();
    if (pinned && !process.env.EKS_IRSA_LBC_REEXEC) {
        process.stderr.write("eks-irsa-lbc: this shell's Node is v" + process.versions.node +
            " (22 or later is required); running on the project's pinned Node at " + pinned + "\n");
        var env = Object.assign({}, process.env, { EKS_IRSA_LBC_REEXEC: "1" });
        var run = childProcess.spawnSync(pinned, [__filename].concat(process.argv.slice(2)), { stdio: "inherit", env: env });
        process.exit(run.status === null ? 1 : run.status);
    }
    process.stderr.write("eks-irsa-lbc: Node v" + process.versions.node + " is too old: Node 22 or later is required. " +
        "Run `npm ci` in the project (it installs the pinned Node 24) and use `npm run plan` / `npx eks-irsa-lbc`.\n");
    process.exit(2);
}

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
