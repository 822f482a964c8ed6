/**
 * The package as a user gets it: `npm pack` the repository, check what the tarball holds, install it
 * from the file into a fresh Pulumi project, compile a TypeScript consumer against the
 * installed typings through the package's `exports`, and run it under the mock runtime.
 *
 * The @pulumi packages are peer dependencies: the consumer project gets the repository's installed
 * copies (symlinked), exactly one copy each, as a user's own dependencies would be.
 */
import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compileProject, REPO_ROOT } from "./helpers/example-projects";
import { registration, runProgramUnderMocks, typeNames } from "./helpers/run-program";
import type { MockRunResult } from "./helpers/mock-run";

const rootPackage = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));

/** The only paths a published tarball may hold. */
const ALLOWED = /^(LICENSE|README\.md|package\.json|bin\/eks-irsa-lbc\.js|dist\/.+(\.d\.ts|\.js))$/;
const FORBIDDEN = [/^test\//, /^dist\/test\//, /^dist\/bench\//, /^dist\/scripts\//, /^examples\//, /(^|\/)fixtures?\//, /\.map$/];

function run(command: string, args: string[], cwd: string): string {
    const result = childProcess.spawnSync(command, args, { cwd, encoding: "utf8", timeout: 120_000 });
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} (in ${cwd}) failed with exit ${result.status}:\n${result.stderr}${result.stdout}`);
    }
    return result.stdout;
}

/** A peer range of the form `>=A.B.C <N` (the only form this package uses), checked against an exact version. */
function satisfies(version: string, range: string): boolean {
    const match = /^>=(\d+)\.(\d+)\.(\d+) <(\d+)$/.exec(range);
    assert.ok(match, `peer range ${JSON.stringify(range)} is not of the form ">=A.B.C <N"`);
    const [major, minor, patch] = version.split(".").map(Number);
    const floor = [Number(match[1]), Number(match[2]), Number(match[3])];
    const atLeast = major !== floor[0] ? major > floor[0] : minor !== floor[1] ? minor > floor[1] : patch >= floor[2];
    return atLeast && major < Number(match[4]);
}

const CONSUMER_TSCONFIG = {
    compilerOptions: { strict: true, target: "ES2022", module: "node16", moduleResolution: "node16", skipLibCheck: true, outDir: "bin" },
    files: ["index.ts"],
};

/** A consumer's program: the platform adopting an existing cluster, plus an identity of its own. */
const CONSUMER_PROGRAM = `
import * as k8s from "@pulumi/kubernetes";
import { EksLbcPlatform, IrsaServiceAccount } from "eks-irsa-lbc";
import { webIdentityTrustPolicy } from "eks-irsa-lbc/components/trust-policy";
import { partitionOfRegion } from "eks-irsa-lbc/core/partition";

const region = "eu-central-1";
const issuer = "https://oidc.eks.eu-central-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
const kubernetes = new k8s.Provider("consumer", { kubeconfig: "{}" });

const platform = new EksLbcPlatform("adopted", {
    clusterName: "consumer",
    region,
    vpcId: "vpc-0123456789abcdef0",
    existingCluster: { oidcIssuerUrl: issuer },
}, { providers: { kubernetes } });

const reports = new IrsaServiceAccount(
    "reports",
    { oidcProviderArn: platform.oidcProviderArn, oidcIssuer: platform.oidcIssuer, serviceAccounts: [{ namespace: "reports", name: "exporter" }] },
    { providers: { kubernetes } },
);

export const partition = partitionOfRegion(region);
export const expectedReportsTrust = platform.oidcProviderArn.apply((providerArn) =>
    webIdentityTrustPolicy({ providerArn, issuer, subjects: [{ namespace: "reports", name: "exporter" }] }),
);
export const reportsTrust = reports.trustPolicy;
export const controllerRoleArn = platform.controllerRoleArn;
`;

describe("the npm package (npm pack, installed into a fresh Pulumi project)", function () {
    let work: string;
    let files: string[];
    let tarball: string;
    let project: string;
    let result: MockRunResult;

    before(function () {
        this.timeout(300_000);
        work = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-tarball-"));
        // --ignore-scripts: `prepare` would rebuild; the suite runs on what `npm test` just compiled.
        const packed = JSON.parse(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], REPO_ROOT));
        files = (packed[0].files as { path: string }[]).map((f) => f.path).sort();
        tarball = path.join(work, packed[0].filename);

        project = path.join(work, "consumer");
        fs.mkdirSync(project);
        const typesNode = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@types", "node", "package.json"), "utf8")).version;
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: consumer\nruntime: nodejs\n");
        fs.writeFileSync(
            path.join(project, "package.json"),
            JSON.stringify({
                name: "consumer",
                private: true,
                dependencies: { "eks-irsa-lbc": `file:${tarball}` },
                // The package's own dependencies resolve from npm's cache where it has them; pin the one floating
                // transitive typing to the version the repository installed, so it is cached too.
                overrides: { "@types/node": typesNode },
            }),
        );
        // --legacy-peer-deps: the peers are provided below, as a user's project provides them.
        // --prefer-offline, not --offline: the repository's `npm ci` caches tarballs but not the
        // registry's package documents, so a fresh machine has to fetch those once (later runs use
        // the cache).
        run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--legacy-peer-deps", "--no-package-lock"], project);
        for (const scope of ["@pulumi", "@types"]) {
            const target = path.join(project, "node_modules", scope);
            if (!fs.existsSync(target)) {
                fs.symlinkSync(path.join(REPO_ROOT, "node_modules", scope), target, "dir");
            }
        }
        fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(CONSUMER_TSCONFIG));
        fs.writeFileSync(path.join(project, "index.ts"), CONSUMER_PROGRAM);
        const program = compileProject(project, "the tarball consumer");
        result = runProgramUnderMocks({ program, project: "consumer", stack: "dev", region: "eu-central-1", cwd: project });
    });

    after(() => {
        if (work) {
            fs.rmSync(work, { recursive: true, force: true });
        }
    });

    it("holds compiled JavaScript with .d.ts types, the README and the license, and nothing else", () => {
        assert.deepStrictEqual(files.filter((f) => !ALLOWED.test(f)), []);
        assert.deepStrictEqual(files.filter((f) => FORBIDDEN.some((pattern) => pattern.test(f))), []);
        for (const required of ["LICENSE", "README.md", "package.json", "bin/eks-irsa-lbc.js"]) {
            assert.ok(files.includes(required), `the tarball lacks ${required}`);
        }
        const componentSources = fs
            .readdirSync(path.join(REPO_ROOT, "components"))
            .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
            .map((f) => f.slice(0, -".ts".length));
        const missing = componentSources.flatMap((base) => [`dist/components/${base}.js`, `dist/components/${base}.d.ts`]).filter((f) => !files.includes(f));
        assert.deepStrictEqual(missing, []);
    });

    it("declares every @pulumi package as a peer the repository's pinned version satisfies, none as a dependency", () => {
        const installed = JSON.parse(fs.readFileSync(path.join(project, "node_modules", "eks-irsa-lbc", "package.json"), "utf8"));
        const pulumiPackages = Object.keys(rootPackage.devDependencies).filter((name) => name.startsWith("@pulumi/")).sort();
        assert.deepStrictEqual(Object.keys(installed.peerDependencies).sort(), pulumiPackages);
        assert.deepStrictEqual(Object.keys(installed.dependencies ?? {}).filter((name) => name.startsWith("@pulumi/")), []);
        const unsatisfied = pulumiPackages.filter((name) => !satisfies(rootPackage.devDependencies[name], installed.peerDependencies[name]));
        assert.deepStrictEqual(unsatisfied, []);
        assert.deepStrictEqual(installed.engines, { node: ">=22" });
    });

    it("exposes the components, the analysis core and the builders through its exports map, and nothing private", () => {
        const probe = `
            const out = {};
            for (const id of ["eks-irsa-lbc", "eks-irsa-lbc/components", "eks-irsa-lbc/components/trust-policy", "eks-irsa-lbc/core/partition", "eks-irsa-lbc/core", "eks-irsa-lbc/policies", "eks-irsa-lbc/package.json", "eks-irsa-lbc/dist/index.js", "eks-irsa-lbc/dist/test/smoke.spec.js"]) {
                try { require.resolve(id); out[id] = "resolves"; } catch (e) { out[id] = e.code; }
            }
            const main = require("eks-irsa-lbc");
            out.components = ["EksLbcPlatform", "IrsaServiceAccount", "LoadBalancerController"].map((n) => n + ":" + typeof main[n]);
            out.sameModule = require("eks-irsa-lbc/components") === main;
            out.core = ["analyze", "parseSnapshot", "evaluateWebIdentityTrust"].map((n) => n + ":" + typeof require("eks-irsa-lbc/core")[n]);
            // Importing the policies must not start a policy server (the process would not exit).
            const { POLICIES } = require("eks-irsa-lbc/policies");
            out.policies = Array.isArray(POLICIES) && POLICIES.length > 0 && POLICIES.every((p) => typeof p.name === "string" && typeof p.enforcementLevel === "string");
            console.log(JSON.stringify(out));`;
        const out = JSON.parse(run(process.execPath, ["-e", probe], project));
        assert.deepStrictEqual(out, {
            "eks-irsa-lbc": "resolves",
            "eks-irsa-lbc/components": "resolves",
            "eks-irsa-lbc/components/trust-policy": "resolves",
            "eks-irsa-lbc/core/partition": "resolves",
            "eks-irsa-lbc/core": "resolves",
            "eks-irsa-lbc/policies": "resolves",
            "eks-irsa-lbc/package.json": "resolves",
            "eks-irsa-lbc/dist/index.js": "ERR_PACKAGE_PATH_NOT_EXPORTED",
            "eks-irsa-lbc/dist/test/smoke.spec.js": "ERR_PACKAGE_PATH_NOT_EXPORTED",
            components: ["EksLbcPlatform:function", "IrsaServiceAccount:function", "LoadBalancerController:function"],
            sameModule: true,
            core: ["analyze:function", "parseSnapshot:function", "evaluateWebIdentityTrust:function"],
            policies: true,
        });
    });

    it("runs a consumer program under mocks: the adopted platform and the consumer's own identity, exactly", () => {
        assert.deepStrictEqual(typeNames(result), [
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider::adopted-oidc-provider",
            "aws:iam/policy:Policy::adopted-lbc-policy",
            "aws:iam/role:Role::adopted-lbc-identity-role",
            "aws:iam/role:Role::reports-role",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::adopted-lbc-identity-policy-0",
            "eks-irsa-lbc:index:EksLbcPlatform::adopted",
            "eks-irsa-lbc:index:IrsaServiceAccount::adopted-lbc-identity",
            "eks-irsa-lbc:index:IrsaServiceAccount::reports",
            "eks-irsa-lbc:index:LoadBalancerController::adopted-lbc",
            "kubernetes:core/v1:ServiceAccount::adopted-lbc-identity-sa-kube-system/aws-load-balancer-controller",
            "kubernetes:core/v1:ServiceAccount::reports-sa-reports/exporter",
            "kubernetes:helm.sh/v3:Release::adopted-lbc-chart",
            "pulumi:providers:kubernetes::consumer",
        ]);
        assert.deepStrictEqual(result.outputs.partition, "aws");
        // The builder exported for other tools and the document the installed component gave the role agree.
        assert.deepStrictEqual(JSON.parse(result.outputs.reportsTrust as string), result.outputs.expectedReportsTrust);
        assert.deepStrictEqual(JSON.parse(registration(result, "aws:iam/role:Role", "reports-role").inputs.assumeRolePolicy as string), result.outputs.expectedReportsTrust);
        assert.match(result.outputs.controllerRoleArn as string, /^arn:aws:iam::111122223333:role\/adopted-lbc-identity-role-[0-9a-f]{7}$/);
    });
});
