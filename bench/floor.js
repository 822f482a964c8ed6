#!/usr/bin/env node
// The floor for `plan`: a Node process that does nothing but load the four Pulumi SDKs the program
// imports. No Pulumi program can plan faster than its own SDKs load, so `npm run bench` reports
// plan's wall time and memory against this process (target: plan under 2x the floor).
"use strict";
for (const name of ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/eks", "@pulumi/kubernetes"]) {
    try {
        require(name);
    } catch (err) {
        if (err && err.code === "MODULE_NOT_FOUND") {
            process.stderr.write(`bench/floor.js: cannot load ${name}: run \`npm ci\` in the project root first\n`);
            process.exit(2);
        }
        throw err;
    }
}
