#!/usr/bin/env node
// The AWS CDK peer of the dev stack, for `npm run bench`: an `eks.Cluster` with its `albController`
// option, which builds the same IRSA chain (OIDC provider, controller policy, IRSA role, separate
// ServiceAccount, Helm release with serviceAccount.create=false, clusterName/region/vpcId) in one
// step. It synthesizes in-process with `app.synth()` (what `cdk synth` runs inside the app
// process) so the figure is CDK's own synthesis without the CLI's start-up and printing on top.
// Plain JavaScript so that synthesis needs no compiler.
//
//   node app.js --outdir DIR --kubernetes-version 1.33 --region us-west-2 \
//       --controller-version v3.5.0 --chart-version 3.5.0 [--policy FILE] [--cluster-name NAME]
//       [--node-instance-type t3.medium] [--node-count 2]
//
// `--policy` is required when CDK does not ship the controller version itself
// (`AlbControllerVersion.of(version, chart)` then needs the IAM policy, as CDK's docs say).
"use strict";
const fs = require("fs");
const path = require("path");

function parseArgs(argv) {
    const known = ["outdir", "kubernetes-version", "region", "controller-version", "chart-version", "policy", "cluster-name", "node-instance-type", "node-count"];
    const args = {};
    for (let i = 0; i < argv.length; i += 2) {
        const key = argv[i].replace(/^--/, "");
        if (!known.includes(key) || argv[i + 1] === undefined) {
            fail(`bad argument ${JSON.stringify(argv[i])}: expected --<name> VALUE with name one of ${known.join(", ")}`);
        }
        args[key] = argv[i + 1];
    }
    const missing = ["outdir", "kubernetes-version", "region", "controller-version", "chart-version"].filter((k) => !args[k]);
    if (missing.length > 0) {
        fail(`missing ${missing.map((k) => "--" + k).join(", ")}`);
    }
    return args;
}

function fail(message) {
    process.stderr.write(`bench/cdk/app.js: ${message}\n`);
    process.exit(2);
}

function requireInstalled(name) {
    try {
        return require(name);
    } catch (err) {
        if (err && err.code === "MODULE_NOT_FOUND") {
            fail(`${name} is not installed in bench/cdk: run \`npm ci --prefix bench/cdk\` (npm run bench does it when bench/cdk/node_modules is missing)` +
                ` and make sure bench/cdk/package.json pins ${name}`);
        }
        throw err;
    }
}

const args = parseArgs(process.argv.slice(2));
const cdk = requireInstalled("aws-cdk-lib");
const ec2 = requireInstalled("aws-cdk-lib/aws-ec2");
const eks = requireInstalled("aws-cdk-lib/aws-eks");
const minor = /^1\.(\d+)$/.exec(args["kubernetes-version"]);
if (!minor) {
    fail(`--kubernetes-version ${JSON.stringify(args["kubernetes-version"])} is not of the form 1.NN`);
}
const layerPackage = requireInstalled(`@aws-cdk/lambda-layer-kubectl-v${minor[1]}`);
const LayerClass = layerPackage[`KubectlV${minor[1]}Layer`];
if (typeof LayerClass !== "function") {
    fail(`@aws-cdk/lambda-layer-kubectl-v${minor[1]} does not export KubectlV${minor[1]}Layer`);
}

const versionName = "V" + args["kubernetes-version"].replace(".", "_");
const kubernetesVersion = eks.KubernetesVersion[versionName];
if (!kubernetesVersion) {
    fail(`aws-cdk-lib does not know Kubernetes ${args["kubernetes-version"]} (no eks.KubernetesVersion.${versionName})`);
}

// CDK ships policies for the controller versions it names (AlbControllerVersion.V3_2_2 and older);
// any other version is pinned with `of(version, chartVersion)` plus the policy the caller passes.
const controllerConstant = "V" + args["controller-version"].replace(/^v/, "").replace(/\./g, "_");
const builtIn = eks.AlbControllerVersion[controllerConstant];
let albVersion;
let policy;
if (builtIn && builtIn.helmChartVersion === args["chart-version"]) {
    albVersion = builtIn;
} else {
    if (!args.policy) {
        fail(`aws-cdk-lib has no eks.AlbControllerVersion.${controllerConstant} with chart ${args["chart-version"]}: ` +
            "pass --policy FILE with the controller's IAM policy");
    }
    albVersion = eks.AlbControllerVersion.of(args["controller-version"], args["chart-version"]);
    policy = JSON.parse(fs.readFileSync(args.policy, "utf8"));
}

const app = new cdk.App({ outdir: args.outdir });
const stack = new cdk.Stack(app, "EksIrsaLbcDev", { env: { region: args.region } });
const cluster = new eks.Cluster(stack, "Cluster", {
    clusterName: args["cluster-name"],
    version: kubernetesVersion,
    kubectlLayer: new LayerClass(stack, "Kubectl"),
    defaultCapacity: args["node-count"] === undefined ? undefined : Number(args["node-count"]),
    defaultCapacityInstance: args["node-instance-type"] === undefined ? undefined : new ec2.InstanceType(args["node-instance-type"]),
    albController: { version: albVersion, policy },
});
if (!cluster.albController) {
    fail("eks.Cluster did not create the ALB controller");
}

const assembly = app.synth();

// One line for the bench (and for a human checking what CDK built): CloudFormation resources by
// type over the stack and the nested stacks eks.Cluster adds (their templates are files in outdir).
const types = {};
let resources = 0;
let templates = 0;
for (const file of fs.readdirSync(args.outdir)) {
    if (!file.endsWith(".template.json")) {
        continue;
    }
    templates += 1;
    const template = JSON.parse(fs.readFileSync(path.join(args.outdir, file), "utf8"));
    for (const resource of Object.values(template.Resources || {})) {
        types[resource.Type] = (types[resource.Type] || 0) + 1;
        resources += 1;
    }
}
process.stdout.write(JSON.stringify({
    stacks: assembly.stacks.length,
    templates,
    resources,
    assemblyBytes: dirSize(args.outdir),
    controller: albVersion.version,
    chart: albVersion.helmChartVersion,
    kubernetes: kubernetesVersion.version,
    types,
}) + "\n");

function dirSize(dir) {
    let total = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        total += entry.isDirectory() ? dirSize(full) : fs.statSync(full).size;
    }
    return total;
}
