/**
 * What programs in other languages would see: the package schema Pulumi's Node SDK infers from the
 * components when this repository is loaded as a plugin (PulumiPlugin.yaml, `runtime: nodejs`).
 *
 * The plugin host (`@pulumi/pulumi/cmd/run-plugin`) requires the package directory, collects the
 * ComponentResource classes it exports, and answers GetSchema with `ComponentProvider.getSchema()`,
 * which runs the SDK's TypeScript analyzer over the package's sources. This test makes those same
 * two calls, in process, with no Pulumi CLI: the schema below is the one `pulumi package add` would
 * generate SDKs from.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import { consumerWorkspace, REPO_ROOT } from "./helpers/example-projects";
import { registration, runProgramUnderMocks, typeNames } from "./helpers/run-program";
import { collectComponents } from "../../scripts/docs-tables";

const rootPackage = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));

/** A schema property without its description (descriptions are compared with the JSDoc separately). */
function shape(properties: Record<string, any>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(properties).map(([name, { description: _description, ...rest }]) => [name, rest]));
}

const str = { type: "string" };
const plainStr = { type: "string", plain: true };
const optPlainStr = { type: "string", optional: true, plain: true };
const optPlainNumber = { type: "number", optional: true, plain: true };
const plainStringMap = { type: "object", additionalProperties: { type: "string", plain: true }, optional: true, plain: true };
const anyMap = { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } };

describe("schema for other languages (inferred by Pulumi's Node SDK from the components)", function () {
    let schema: any;

    before(async function () {
        // The analyzer type-checks the whole package, @pulumi/aws's typings included.
        this.timeout(300_000);
        const components = getPulumiComponents(require(REPO_ROOT));
        const provider = new ComponentProvider({ components, dirname: REPO_ROOT, name: rootPackage.name });
        schema = JSON.parse(await provider.getSchema());
    });

    it("PulumiPlugin.yaml declares the nodejs runtime without ts-node", () => {
        assert.deepStrictEqual(yaml.load(fs.readFileSync(path.join(REPO_ROOT, "PulumiPlugin.yaml"), "utf8")), {
            runtime: { name: "nodejs", options: { typescript: false, packagemanager: "npm" } },
        });
    });

    it("names the package and lists exactly the three components, with the @pulumi packages they reference", () => {
        assert.deepStrictEqual(
            { name: schema.name, version: schema.version, resources: Object.keys(schema.resources).sort() },
            {
                name: "eks-irsa-lbc",
                version: rootPackage.version,
                resources: ["eks-irsa-lbc:index:EksLbcPlatform", "eks-irsa-lbc:index:IrsaServiceAccount", "eks-irsa-lbc:index:LoadBalancerController"],
            },
        );
        assert.deepStrictEqual(
            [...schema.dependencies].sort((a: any, b: any) => a.name.localeCompare(b.name)),
            [
                { name: "aws", version: rootPackage.devDependencies["@pulumi/aws"] },
                { name: "kubernetes", version: rootPackage.devDependencies["@pulumi/kubernetes"] },
            ],
        );
        for (const resource of Object.values<any>(schema.resources)) {
            assert.strictEqual(resource.isComponent, true);
        }
    });

    it("IrsaServiceAccount: inputs, required inputs and outputs", () => {
        const r = schema.resources["eks-irsa-lbc:index:IrsaServiceAccount"];
        assert.deepStrictEqual(shape(r.inputProperties), {
            oidcProviderArn: str,
            oidcIssuer: str,
            serviceAccounts: { type: "array", items: { $ref: "#/types/eks-irsa-lbc:index:ServiceAccountRef", plain: true }, plain: true },
            policyArns: { type: "array", items: str, optional: true, plain: true },
            roleName: optPlainStr,
            rolePath: optPlainStr,
            permissionsBoundary: { type: "string", optional: true },
            tags: plainStringMap,
        });
        assert.deepStrictEqual(r.requiredInputs, ["oidcIssuer", "oidcProviderArn", "serviceAccounts"]);
        const aws = `/aws/v${rootPackage.devDependencies["@pulumi/aws"]}/schema.json#/resources`;
        const k8s = `/kubernetes/v${rootPackage.devDependencies["@pulumi/kubernetes"]}/schema.json#/resources`;
        assert.deepStrictEqual(shape(r.properties), {
            roleArn: str,
            roleName: str,
            trustPolicy: str,
            role: { $ref: `${aws}/aws:iam%2Frole:Role` },
            policyAttachments: { type: "array", items: { $ref: `${aws}/aws:iam%2FrolePolicyAttachment:RolePolicyAttachment` } },
            serviceAccounts: { type: "array", items: { $ref: `${k8s}/kubernetes:core%2Fv1:ServiceAccount` } },
        });
        assert.deepStrictEqual(r.required, ["policyAttachments", "role", "roleArn", "roleName", "serviceAccounts", "trustPolicy"]);
    });

    it("LoadBalancerController: inputs, required inputs and outputs", () => {
        const r = schema.resources["eks-irsa-lbc:index:LoadBalancerController"];
        assert.deepStrictEqual(shape(r.inputProperties), {
            clusterName: str,
            region: plainStr,
            vpcId: str,
            oidcProviderArn: str,
            oidcIssuer: str,
            controllerVersion: optPlainStr,
            namespace: optPlainStr,
            serviceAccountName: optPlainStr,
            values: { ...anyMap, optional: true, plain: true },
            roleName: optPlainStr,
            rolePath: optPlainStr,
            permissionsBoundary: { type: "string", optional: true },
            tags: plainStringMap,
        });
        assert.deepStrictEqual(r.requiredInputs, ["clusterName", "oidcIssuer", "oidcProviderArn", "region", "vpcId"]);
        assert.deepStrictEqual(shape(r.properties), {
            roleArn: str,
            policyArn: str,
            serviceAccount: str,
            chartVersion: str,
            controllerVersion: str,
            chartValues: anyMap,
        });
        assert.deepStrictEqual(r.required, ["chartValues", "chartVersion", "controllerVersion", "policyArn", "roleArn", "serviceAccount"]);
    });

    it("EksLbcPlatform: inputs, required inputs and outputs", () => {
        const r = schema.resources["eks-irsa-lbc:index:EksLbcPlatform"];
        assert.deepStrictEqual(shape(r.inputProperties), {
            clusterName: plainStr,
            region: plainStr,
            existingCluster: { $ref: "#/types/eks-irsa-lbc:index:ExistingClusterArgs", optional: true, plain: true },
            vpcId: optPlainStr,
            subnetIds: { type: "array", items: plainStr, optional: true, plain: true },
            allowNonEksIssuer: { type: "boolean", optional: true, plain: true },
            kubernetesVersion: optPlainStr,
            nodeInstanceTypes: { type: "array", items: plainStr, optional: true, plain: true },
            nodeDesiredSize: optPlainNumber,
            nodeMinSize: optPlainNumber,
            nodeMaxSize: optPlainNumber,
            controllerVersion: optPlainStr,
            controllerValues: { ...anyMap, optional: true, plain: true },
            controllerRoleName: optPlainStr,
            controllerRolePath: optPlainStr,
            controllerPermissionsBoundary: optPlainStr,
            tags: plainStringMap,
        });
        assert.deepStrictEqual(r.requiredInputs, ["clusterName", "region"]);
        assert.deepStrictEqual(shape(r.properties), {
            clusterName: str,
            kubeconfig: { type: "string", optional: true },
            vpcId: str,
            oidcIssuer: str,
            oidcProviderArn: str,
            controllerRoleArn: str,
            serviceAccount: str,
            chartVersion: str,
        });
        assert.deepStrictEqual(r.required, ["chartVersion", "clusterName", "controllerRoleArn", "oidcIssuer", "oidcProviderArn", "serviceAccount", "vpcId"]);
    });

    it("object types: ExistingClusterArgs and ServiceAccountRef", () => {
        const types = Object.fromEntries(
            Object.entries<any>(schema.types).map(([token, t]) => [token, { ...t, properties: shape(t.properties) }]),
        );
        assert.deepStrictEqual(types, {
            "eks-irsa-lbc:index:ExistingClusterArgs": {
                type: "object",
                properties: { oidcIssuerUrl: plainStr, kubeconfig: { type: "string", optional: true } },
                required: ["oidcIssuerUrl"],
            },
            "eks-irsa-lbc:index:ServiceAccountRef": {
                type: "object",
                properties: { namespace: plainStr, name: plainStr },
                required: ["name", "namespace"],
            },
        });
    });

    it("describes every input and output with the same JSDoc the README tables show", () => {
        const flat = (text: string | undefined) => (text ?? "").replace(/\s*\n\s*/g, " ").trim();
        const mismatches: string[] = [];
        for (const component of collectComponents(REPO_ROOT)) {
            const r = schema.resources[component.token];
            assert.ok(r, `the schema lacks ${component.token}`);
            for (const [kind, docs, properties] of [["input", component.args, r.inputProperties], ["output", component.outputs, r.properties]] as const) {
                for (const doc of docs) {
                    if (flat(properties[doc.name]?.description) !== doc.description) {
                        mismatches.push(`${component.className} ${kind} ${doc.name}: schema ${JSON.stringify(properties[doc.name]?.description)}, JSDoc ${JSON.stringify(doc.description)}`);
                    }
                }
            }
        }
        assert.deepStrictEqual(mismatches, []);
    });

    it("references other packages' resources only in forms an SDK generator resolves", () => {
        const resourceRef = /^\/(aws|kubernetes)\/v\d+\.\d+\.\d+\/schema\.json#\/resources\/\1:[^:/]+(%2F[^:/]+)*:[A-Za-z]+$/;
        const refs: { at: string; ref: string }[] = [];
        const walk = (value: unknown, at: string): void => {
            if (Array.isArray(value)) {
                value.forEach((v, i) => walk(v, `${at}[${i}]`));
            } else if (value && typeof value === "object") {
                for (const [key, v] of Object.entries(value)) {
                    if (key === "$ref" && typeof v === "string") {
                        refs.push({ at, ref: v });
                    } else {
                        walk(v, `${at}.${key}`);
                    }
                }
            }
        };
        walk(schema.resources, "resources");
        walk(schema.types, "types");
        const bad = refs
            .filter(({ ref }) => !(ref === "pulumi.json#/Any" || (ref.startsWith("#/types/") && ref.slice("#/types/".length) in schema.types) || resourceRef.test(ref)))
            .map(({ at, ref }) => `${at}: ${ref}`);
        // A provider instance is not a resource of the kubernetes schema: the analyzer would emit a
        // reference no SDK generator can bind. That is why EksLbcPlatform takes its Kubernetes
        // provider from the `providers` resource option rather than from an argument (it had a
        // `kubernetesProvider` argument, the one exception this list used to hold).
        assert.deepStrictEqual(bad, []);
    });
    describe("examples/yaml-platform (a YAML program using EksLbcPlatform through the plugin)", () => {
        const yamlDir = path.join(REPO_ROOT, "examples", "yaml-platform");
        const project = yaml.load(fs.readFileSync(path.join(yamlDir, "Pulumi.yaml"), "utf8")) as any;
        const stackConfig = (yaml.load(fs.readFileSync(path.join(yamlDir, "Pulumi.dev.yaml"), "utf8")) as any).config as Record<string, string>;

        /** The program's properties with `${key}` config references replaced by the dev stack's values. */
        function platformProperties(): Record<string, unknown> {
            const substitute = (value: unknown): unknown => {
                if (typeof value === "string") {
                    const ref = /^\$\{([A-Za-z]+)\}$/.exec(value);
                    return ref ? stackConfig[`${project.name}:${ref[1]}`] ?? project.config[ref[1]].default : value;
                }
                if (Array.isArray(value)) return value.map(substitute);
                if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
                return value;
            };
            return substitute(project.resources.platform.properties) as Record<string, unknown>;
        }

        it("names this repository as its package, and uses only inputs and outputs the schema has", () => {
            assert.strictEqual(project.runtime, "yaml");
            assert.strictEqual(path.resolve(yamlDir, project.packages["eks-irsa-lbc"]), REPO_ROOT);
            const platform = project.resources.platform;
            const resource = schema.resources[platform.type];
            assert.ok(resource, `${platform.type} is not in the schema`);
            const inputs = Object.keys(platform.properties);
            assert.deepStrictEqual(inputs.filter((name) => !(name in resource.inputProperties)), []);
            assert.deepStrictEqual(resource.requiredInputs.filter((name: string) => !inputs.includes(name)), []);
            const outputs = Object.values<string>(project.outputs).map((expr) => /^\$\{platform\.([A-Za-z]+)\}$/.exec(expr)?.[1]);
            assert.deepStrictEqual(outputs.filter((name) => name === undefined || !(name in resource.properties)), []);
        });

        it("constructs through the plugin's Construct path with the program's literal inputs and returns every schema output", function () {
            // The plugin answers Construct by building the component from the inputs and reading back
            // the outputs its schema lists; here under mocks, with the dev stack's values.
            this.timeout(300_000);
            const workspace = consumerWorkspace("eks-irsa-lbc-construct-");
            try {
                const program = path.join(workspace, "construct.js");
                fs.writeFileSync(
                    program,
                    [
                        `const { ComponentProvider, getPulumiComponents } = require("@pulumi/pulumi/provider/experimental/provider");`,
                        `const root = ${JSON.stringify(REPO_ROOT)};`,
                        `const provider = new ComponentProvider({ components: getPulumiComponents(require(root)), dirname: root, name: "eks-irsa-lbc" });`,
                        `module.exports = provider.construct("platform", "eks-irsa-lbc:index:EksLbcPlatform", ${JSON.stringify(platformProperties())}, {})`,
                        `    .then((result) => ({ stateKeys: Object.keys(result.state).sort(), ...result.state }));`,
                    ].join("\n"),
                );
                const region = stackConfig[`${project.name}:region`];
                const result = runProgramUnderMocks({ program, project: project.name, stack: "dev", region, cwd: workspace });
                assert.deepStrictEqual(result.outputs.stateKeys, Object.keys(schema.resources["eks-irsa-lbc:index:EksLbcPlatform"].properties).sort());
                assert.deepStrictEqual(result.outputs.clusterName, "shop-yaml-dev");
                assert.match(result.outputs.oidcProviderArn as string, /^arn:aws:iam::111122223333:oidc-provider\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
                assert.deepStrictEqual(result.outputs.serviceAccount, "kube-system/aws-load-balancer-controller");
                assert.ok(typeNames(result).includes("eks-irsa-lbc:index:EksLbcPlatform::platform"));
                assert.deepStrictEqual(registration(result, "aws:eks/nodeGroup:NodeGroup", "platform-nodes").inputs.scalingConfig, { desiredSize: 2, minSize: 2, maxSize: 3 });
                assert.deepStrictEqual(registration(result, "aws:iam/role:Role", "platform-node-role").inputs.tags, { team: "shop" });
            } finally {
                fs.rmSync(workspace, { recursive: true, force: true });
            }
        });
    });
});
