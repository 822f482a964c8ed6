/**
 * The program as `pulumi up` runs it: stack config from Pulumi.yaml defaults and Pulumi.<stack>.yaml,
 * mocks set before the program is loaded, then every registration and export checked.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { cloudStandIns, standInIssuer } from "../../plan/stand-ins";
import { isSecretOutput, startMockRun, valueOf, type MockRun } from "../helpers/pulumi-mocks";

const REPO = path.resolve(__dirname, "..", "..", "..");
const PROGRAM = path.resolve(__dirname, "..", "..", "index.js");
const PROJECT: any = yaml.load(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8"));

/** Project defaults overlaid with the stack's values, as the Pulumi CLI hands them to the program. */
function stackConfig(stackValues: Record<string, unknown>): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const [key, declaration] of Object.entries<any>(PROJECT.config)) {
        if ("default" in declaration) {
            config[`eks-irsa-lbc:${key}`] = declaration.default;
        }
    }
    return { ...config, ...stackValues };
}

interface ProgramRun {
    run: MockRun;
    exports: Record<string, pulumi.Output<unknown>>;
    keysRead: string[];
}

/** `seen.run` receives the mock run as soon as it starts, so a test can look at it when the program throws. */
async function runProgram(stack: string, values: Record<string, unknown>, secretKeys: string[] = [], seen: { run?: MockRun } = {}): Promise<ProgramRun> {
    const config = stackConfig(values);
    const run = await startMockRun({ region: String(config["eks-irsa-lbc:region"]), stack });
    seen.run = run;
    pulumi.runtime.setAllConfig(
        Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
        secretKeys,
    );
    const keysRead: string[] = [];
    const runtimeConfig: any = require("@pulumi/pulumi/runtime/config");
    const getConfig = runtimeConfig.getConfig;
    runtimeConfig.getConfig = (key: string) => {
        keysRead.push(key);
        return getConfig(key);
    };
    try {
        delete require.cache[PROGRAM];
        const exports = require(PROGRAM);
        for (const output of Object.values<pulumi.Output<unknown>>(exports)) {
            await valueOf(output);
        }
        await run.settle();
        return { run, exports, keysRead: [...new Set(keysRead)].sort() };
    } finally {
        runtimeConfig.getConfig = getConfig;
    }
}

async function exportedValues(exports: Record<string, pulumi.Output<unknown>>): Promise<Record<string, unknown>> {
    const values: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(exports)) {
        values[name] = await valueOf(output);
    }
    return values;
}

describe("the program", () => {
    it("declares every config key in Pulumi.yaml with a type and a description", () => {
        for (const [key, declaration] of Object.entries<any>(PROJECT.config)) {
            assert.ok(["string", "integer", "boolean", "array"].includes(declaration.type), `${key} has a type`);
            assert.ok(typeof declaration.description === "string" && declaration.description.length > 20, `${key} has a description`);
            if (declaration.type === "array") {
                assert.deepStrictEqual(declaration.items, { type: "string" }, `${key} declares its items`);
            }
        }
    });

    it("deploys the dev stack: a new cluster in us-west-2 with the controller, all through one AWS provider", async () => {
        const stackFile: any = yaml.load(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8"));
        const { run, exports, keysRead } = await runProgram("dev", stackFile.config);
        for (const key of Object.keys(stackFile.config)) {
            assert.ok(`${key.slice("eks-irsa-lbc:".length)}` in PROJECT.config, `${key} of Pulumi.dev.yaml is declared in Pulumi.yaml`);
        }
        assert.deepStrictEqual(
            keysRead,
            // aws:region only to refuse it when it differs from the project's region.
            ["aws:region", ...["clusterName", "controllerVersion", "existingCluster", "kubernetesVersion", "nodeDesiredSize", "nodeInstanceTypes", "nodeMaxSize", "nodeMinSize", "region", "subnetIds", "vpcId"].map((k) => `eks-irsa-lbc:${k}`)],
        );
        for (const key of keysRead.filter((k) => k !== "aws:region")) {
            assert.ok(key.slice("eks-irsa-lbc:".length) in PROJECT.config, `${key} is declared in Pulumi.yaml`);
        }

        const counts: Record<string, number> = {};
        run.resources.forEach((r) => (counts[r.type] = (counts[r.type] ?? 0) + 1));
        assert.deepStrictEqual(counts, {
            "pulumi:providers:aws": 1,
            "eks-irsa-lbc:index:EksLbcPlatform": 1,
            "eks-irsa-lbc:index:LoadBalancerController": 1,
            "eks-irsa-lbc:index:IrsaServiceAccount": 1,
            "eks:index:Cluster": 1,
            "aws:iam/role:Role": 2,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 4,
            "aws:iam/policy:Policy": 1,
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider": 1,
            "aws:ec2/launchTemplate:LaunchTemplate": 1,
            "aws:eks/nodeGroup:NodeGroup": 1,
            "pulumi:providers:kubernetes": 1,
            "kubernetes:core/v1:ServiceAccount": 1,
            "kubernetes:helm.sh/v3:Release": 1,
        });
        assert.strictEqual(run.get("pulumi:providers:aws", "aws").inputs.region, "us-west-2");
        const awsProvider = run.get("pulumi:providers:aws", "aws").urn;
        for (const resource of run.resources.filter((r) => r.custom && (r.type.startsWith("aws:") || r.type.startsWith("eks:")))) {
            assert.ok(resource.provider?.startsWith(`${awsProvider}::`), `${resource.name} uses the configured region's provider`);
        }
        assert.strictEqual(run.get("eks:index:Cluster", "platform-cluster").inputs.name, "lbc-dev");
        assert.deepStrictEqual(run.get("aws:eks/nodeGroup:NodeGroup", "platform-nodes").inputs.scalingConfig, { desiredSize: 2, minSize: 2, maxSize: 3 });

        const cluster = (cloudStandIns({ region: "us-west-2", stack: "dev" }).newResource({ type: "eks:index:Cluster", name: "platform-cluster", inputs: { name: "lbc-dev" }, custom: false }) as any).state;
        const issuer = standInIssuer("us-west-2", "dev", "lbc-dev");
        const values = await exportedValues(exports);
        assert.deepStrictEqual(values, {
            clusterName: "lbc-dev",
            kubeconfig: cluster.kubeconfigJson,
            vpcId: cluster.eksCluster.vpcConfig.vpcId,
            oidcIssuer: issuer,
            oidcProviderArn: `arn:aws:iam::111122223333:oidc-provider/${issuer.slice("https://".length)}`,
            controllerRoleArn: run.get("kubernetes:core/v1:ServiceAccount", "platform-lbc-identity-sa-kube-system/aws-load-balancer-controller").inputs.metadata.annotations["eks.amazonaws.com/role-arn"],
            serviceAccount: "kube-system/aws-load-balancer-controller",
            chartVersion: "3.5.0",
        });
        assert.strictEqual(await isSecretOutput(exports.kubeconfig), true);
    });

    it("registers exactly the same inputs on a second run, so an unchanged `pulumi up` has nothing to change", async () => {
        const stackFile: any = yaml.load(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8"));
        const shape = (r: { type: string; name: string; parent?: string; dependencies: string[]; inputs: unknown }) => ({ type: r.type, name: r.name, parent: r.parent, dependencies: r.dependencies, inputs: r.inputs });
        const first = (await runProgram("dev", stackFile.config)).run.resources.map(shape);
        const second = (await runProgram("dev", stackFile.config)).run.resources.map(shape);
        const byName = (list: ReturnType<typeof shape>[]) => [...list].sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
        assert.strictEqual(first.length, 18);
        assert.deepStrictEqual(byName(second), byName(first));
    });

    it("adopts an existing cluster in GovCloud from config, with the kubeconfig as a secret", async () => {
        const issuer = "https://oidc.eks.us-gov-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
        const { run, exports, keysRead } = await runProgram(
            "gov",
            {
                "eks-irsa-lbc:region": "us-gov-west-1",
                "eks-irsa-lbc:clusterName": "demo",
                "eks-irsa-lbc:existingCluster": true,
                "eks-irsa-lbc:vpcId": "vpc-0123456789abcdef0",
                "eks-irsa-lbc:oidcIssuerUrl": issuer,
                "eks-irsa-lbc:kubeconfig": "apiVersion: v1\nkind: Config\n",
            },
            ["eks-irsa-lbc:kubeconfig"],
        );
        assert.deepStrictEqual(
            keysRead,
            ["aws:region", ...["allowNonEksIssuer", "clusterName", "controllerVersion", "existingCluster", "kubeconfig", "oidcIssuerUrl", "region", "vpcId"].map((k) => `eks-irsa-lbc:${k}`)],
        );
        assert.deepStrictEqual(run.ofType("eks:index:Cluster"), []);
        assert.deepStrictEqual(run.resources.length, 11);
        assert.deepStrictEqual(run.get("pulumi:providers:kubernetes", "platform-k8s").secretInputs, ["kubeconfig"]);
        const values = await exportedValues(exports);
        assert.deepStrictEqual(
            { oidcIssuer: values.oidcIssuer, oidcProviderArn: values.oidcProviderArn, vpcId: values.vpcId, kubeconfig: values.kubeconfig },
            {
                oidcIssuer: issuer,
                oidcProviderArn: "arn:aws-us-gov:iam::111122223333:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
                vpcId: "vpc-0123456789abcdef0",
                kubeconfig: "apiVersion: v1\nkind: Config\n",
            },
        );
        assert.match(String(values.controllerRoleArn), /^arn:aws-us-gov:iam::111122223333:role\/platform-lbc-identity-role-[0-9a-f]{7}$/);
        assert.strictEqual(await isSecretOutput(exports.kubeconfig), true);
    });

    it("reports every missing existing-cluster setting at once (empty defaults count as unset)", async () => {
        await assert.rejects(runProgram("adopt", { "eks-irsa-lbc:existingCluster": true }), (err: any) => {
            assert.deepStrictEqual([err.name, err.problems], [
                "InvalidArgumentsError",
                [
                    'vpcId is not set (stack config key eks-irsa-lbc:vpcId): required with existingCluster: the existing cluster\'s VPC id, "vpc-" followed by 8 or 17 lower-case hex digits',
                    "existingCluster.oidcIssuerUrl is not set (stack config key eks-irsa-lbc:oidcIssuerUrl): an EKS issuer of region us-west-2: https://oidc.eks.us-west-2.amazonaws.com/id/<32 upper-case letters or digits> (set allowNonEksIssuer to accept any https issuer)",
                    "existingCluster.kubeconfig is not set (stack config key eks-irsa-lbc:kubeconfig): a kubeconfig for the existing cluster, or a Kubernetes provider in the resource options (providers: { kubernetes: ... })",
                ],
            ]);
            return true;
        });
    });

    it("refuses an aws:region other than the project's region before registering anything, naming both keys and the fix", async () => {
        // The program's AWS provider takes eks-irsa-lbc:region; `pulumi up` would otherwise deploy to
        // us-west-2 while the user's aws:region says eu-west-1, without a word.
        const stackFile: any = yaml.load(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8"));
        const seen: { run?: MockRun } = {};
        await assert.rejects(runProgram("dev", { ...stackFile.config, "aws:region": "eu-west-1" }, [], seen), {
            name: "InvalidStackConfigError",
            message:
                'invalid stack config: "aws:region" is "eu-west-1", but this project reads only its own ' +
                '"eks-irsa-lbc:region" ("us-west-2"), so aws:region would be ignored: set the region with `pulumi config set eks-irsa-lbc:region eu-west-1` instead, and remove aws:region',
            problems: [
                '"aws:region" is "eu-west-1", but this project reads only its own "eks-irsa-lbc:region" ("us-west-2"), so aws:region would be ignored: ' +
                "set the region with `pulumi config set eks-irsa-lbc:region eu-west-1` instead, and remove aws:region",
            ],
        });
        await seen.run!.settle();
        assert.deepStrictEqual(seen.run!.resources, []);
    });

    it("refuses an aws:region that is no region without suggesting it as the project's region, saying what is allowed", async () => {
        const stackFile: any = yaml.load(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8"));
        const problem = '"aws:region" is "5", which is no AWS region, and this project reads only its own "eks-irsa-lbc:region" ("us-west-2"), ' +
            'so aws:region would be ignored: remove aws:region; to deploy in another region than "us-west-2", set it with `pulumi config set eks-irsa-lbc:region <region>`, ' +
            "a known AWS region (e.g. us-west-2, eu-west-1, cn-north-1, us-gov-west-1)";
        await assert.rejects(runProgram("dev", { ...stackFile.config, "aws:region": 5 }), {
            name: "InvalidStackConfigError", message: `invalid stack config: ${problem}`, problems: [problem],
        });
    });

    it("refuses an ignored aws:region together with every problem the component finds, before registering anything", async () => {
        const seen: { run?: MockRun } = {};
        const region = '"aws:region" is "eu-west-1", but this project reads only its own "eks-irsa-lbc:region" ("us-west-2"), so aws:region would be ignored: ' +
            "set the region with `pulumi config set eks-irsa-lbc:region eu-west-1` instead, and remove aws:region";
        const clusterName = 'clusterName: "bad name" is not valid: 1 to 100 characters: a letter or digit, then letters, digits, "-" or "_"';
        const vpcId = 'vpcId is not set (stack config key eks-irsa-lbc:vpcId): required with existingCluster: the existing cluster\'s VPC id, "vpc-" followed by 8 or 17 lower-case hex digits';
        const values = { "aws:region": "eu-west-1", "eks-irsa-lbc:clusterName": "bad name", "eks-irsa-lbc:existingCluster": true,
            "eks-irsa-lbc:oidcIssuerUrl": "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", "eks-irsa-lbc:kubeconfig": "k" };
        await assert.rejects(runProgram("dev", values, ["eks-irsa-lbc:kubeconfig"], seen), {
            name: "InvalidStackConfigError",
            message: `invalid stack config: ${region}; invalid arguments for eks-irsa-lbc:index:EksLbcPlatform "platform": ${clusterName}; ${vpcId}`,
            problems: [region, clusterName, vpcId],
        });
        await seen.run!.settle();
        assert.deepStrictEqual(seen.run!.resources, []);
    });

    const acceptedAwsRegions: [string, Record<string, unknown>, string][] = [
        ["unset", {}, "us-west-2"],
        ["equal to the project's default region", { "aws:region": "us-west-2" }, "us-west-2"],
        ["equal to the project's region set in the stack", { "aws:region": "eu-west-1", "eks-irsa-lbc:region": "eu-west-1" }, "eu-west-1"],
        // A key written without a value reaches the program as "": it names no region to contradict.
        ["empty", { "aws:region": "" }, "us-west-2"],
    ];
    for (const [title, values, region] of acceptedAwsRegions) {
        it(`accepts an aws:region ${title}: the whole stack deploys in ${region}`, async () => {
            const stackFile: any = yaml.load(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8"));
            const { run } = await runProgram("dev", { ...stackFile.config, ...values });
            assert.deepStrictEqual([run.resources.length, run.get("pulumi:providers:aws", "aws").inputs.region], [18, region]);
        });
    }

    it("fails with every configuration problem at once", async () => {
        await assert.rejects(
            runProgram("bad", { "eks-irsa-lbc:clusterName": "bad name", "eks-irsa-lbc:nodeMinSize": 5, "eks-irsa-lbc:existingCluster": false }),
            {
                name: "InvalidArgumentsError",
                message:
                    'invalid arguments for eks-irsa-lbc:index:EksLbcPlatform "platform": clusterName: "bad name" is not valid: 1 to 100 characters: a letter or digit, then letters, digits, "-" or "_"; ' +
                    "nodeDesiredSize: 2 is not valid: between nodeMinSize (5) and nodeMaxSize (3)",
            },
        );
    });
});
