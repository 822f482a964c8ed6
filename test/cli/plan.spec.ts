/**
 * `eks-irsa-lbc plan` as users run it: its flags, and the project's own dev stack planned offline
 * with the exact documents `pulumi up` would send (trust policy, ServiceAccount, Helm values).
 */
import * as assert from "assert";
import * as fs from "fs";
import { MINI_PROJECT, REPO_ROOT, copyProject, removeDir, runCli } from "../plan/cli-runner";

describe("eks-irsa-lbc plan: flags", function () {
    this.timeout(60_000);
    const refused: [string[], string][] = [
        [["--bogus"], 'plan: unknown flag "--bogus": expected --stack NAME, --json, --cwd DIR, --verbose, --policy-pack-config FILE'],
        [["--stack"], "plan: --stack needs a value"],
        [["--stack", "--json"], "plan: --stack needs a value"],
        [["--stack="], "plan: --stack needs a value"],
        [["--json=yes"], "plan: --json takes no value"],
        [["dev"], 'plan: unexpected argument "dev": plan takes no positional arguments (use --stack NAME)'],
        [["--cwd", "/nonexistent/project"], "project directory /nonexistent/project does not exist"],
    ];
    for (const [args, message] of refused) {
        it(`refuses ${args.join(" ")} with exit 2 and one line`, () => {
            assert.deepStrictEqual(runCli(["plan", ...args], MINI_PROJECT), { status: 2, stdout: "", stderr: `eks-irsa-lbc: ${message}\n` });
        });
    }

    it("prints its usage for --help and exits 0", () => {
        const run = runCli(["plan", "--help"], MINI_PROJECT);
        assert.deepStrictEqual({ status: run.status, stderr: run.stderr, first: run.stdout.split("\n")[0] }, {
            status: 0, stderr: "",
            first: "usage: eks-irsa-lbc plan [--stack NAME] [--json] [--cwd DIR] [--verbose] [--policy-pack-config FILE]",
        });
    });

    it("accepts --stack=NAME", () => {
        const run = runCli(["plan", "--stack=gov", "--json"], MINI_PROJECT);
        assert.deepStrictEqual({ status: run.status, stack: JSON.parse(run.stdout).stack }, { status: 0, stack: "gov" });
    });
});

const ISSUER = "oidc.eks.us-west-2.amazonaws.com/id/5B93867C78422F509211E12EF8A5CAF8";
const PROVIDER_ARN = `arn:aws:iam::111122223333:oidc-provider/${ISSUER}`;
const ROLE_ARN = "arn:aws:iam::111122223333:role/platform-lbc-identity-role-58fc4a2";
const TRUST_DOCUMENT = {
    Version: "2012-10-17",
    Statement: [{
        Effect: "Allow",
        Principal: { Federated: PROVIDER_ARN },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: {
                [`${ISSUER}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller",
                [`${ISSUER}:aud`]: "sts.amazonaws.com",
            },
        },
    }],
};
const HELM_VALUES = {
    clusterName: "lbc-dev",
    image: { tag: "v3.5.0" },
    keepTLSSecret: true,
    podDisruptionBudget: { maxUnavailable: 1 },
    region: "us-west-2",
    replicaCount: 2,
    serviceAccount: { create: false, name: "aws-load-balancer-controller" },
    vpcId: "vpc-b9a87221c24e28952",
};

describe("eks-irsa-lbc plan: the project's dev stack", function () {
    this.timeout(60_000);
    let run: ReturnType<typeof runCli>;
    let plan: any;
    const named = (name: string) => plan.resources.find((r: any) => r.name === name);
    before(() => {
        run = runCli(["plan", "--json"], REPO_ROOT);
        plan = run.status === 0 ? JSON.parse(run.stdout) : undefined;
    });

    it("exits 0 with one JSON document and nothing on stderr", () => {
        assert.deepStrictEqual({ status: run.status, stderr: run.stderr }, { status: 0, stderr: "" });
        assert.deepStrictEqual([plan.stack, plan.project, plan.offline], ["dev", "eks-irsa-lbc", true]);
    });

    it("creates the cluster, OIDC provider, policy, role, attachment, ServiceAccount and Helm release, each once where it belongs", () => {
        const parentName = (r: any) => r.parent === undefined ? undefined : plan.resources.find((p: any) => p.urn === r.parent).name;
        assert.deepStrictEqual(plan.resources.map((r: any) => [r.type, r.name, parentName(r)]), [
            ["pulumi:pulumi:Stack", "eks-irsa-lbc-dev", undefined],
            ["pulumi:providers:aws", "aws", "eks-irsa-lbc-dev"],
            ["eks-irsa-lbc:index:EksLbcPlatform", "platform", "eks-irsa-lbc-dev"],
            ["aws:iam/role:Role", "platform-node-role", "platform"],
            ["aws:ec2/launchTemplate:LaunchTemplate", "platform-node-template", "platform"],
            ["eks:index:Cluster", "platform-cluster", "platform"],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "platform-node-worker", "platform"],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "platform-node-cni", "platform"],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "platform-node-ecr", "platform"],
            ["aws:iam/openIdConnectProvider:OpenIdConnectProvider", "platform-oidc-provider", "platform"],
            ["pulumi:providers:kubernetes", "platform-k8s", "platform"],
            ["eks-irsa-lbc:index:LoadBalancerController", "platform-lbc", "platform"],
            ["aws:eks/nodeGroup:NodeGroup", "platform-nodes", "platform"],
            ["eks-irsa-lbc:index:IrsaServiceAccount", "platform-lbc-identity", "platform-lbc"],
            ["aws:iam/policy:Policy", "platform-lbc-policy", "platform-lbc"],
            ["aws:iam/role:Role", "platform-lbc-identity-role", "platform-lbc-identity"],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "platform-lbc-identity-policy-0", "platform-lbc-identity"],
            ["kubernetes:core/v1:ServiceAccount", "platform-lbc-identity-sa-kube-system/aws-load-balancer-controller", "platform-lbc-identity"],
            ["kubernetes:helm.sh/v3:Release", "platform-lbc-chart", "platform-lbc"],
        ]);
        assert.strictEqual(plan.summary.resources, 19);
    });

    it("prints the exact trust document, derived from the OIDC provider created before the role", () => {
        assert.deepStrictEqual(plan.trustPolicies.map((t: any) => [t.name, t.document]), [["platform-lbc-identity-role", TRUST_DOCUMENT]]);
        const provider = named("platform-oidc-provider");
        assert.deepStrictEqual(
            { inputs: provider.inputs, arn: provider.outputs.arn, roleDependsOnProvider: named("platform-lbc-identity-role").dependencies.includes(provider.urn) },
            { inputs: { clientIdLists: ["sts.amazonaws.com"], url: `https://${ISSUER}` }, arn: PROVIDER_ARN, roleDependsOnProvider: true });
    });

    it("attaches the controller policy to that role and annotates the ServiceAccount with its ARN", () => {
        assert.deepStrictEqual(named("platform-lbc-identity-policy-0").inputs, {
            policyArn: named("platform-lbc-policy").outputs.arn,
            role: named("platform-lbc-identity-role").outputs.name,
        });
        assert.deepStrictEqual(plan.serviceAccounts.map((a: any) => [a.namespace, a.name, a.annotations]), [
            ["kube-system", "aws-load-balancer-controller", { "eks.amazonaws.com/role-arn": ROLE_ARN }],
        ]);
        assert.strictEqual(named("platform-lbc-identity-role").outputs.arn, ROLE_ARN);
    });

    it("installs the chart with the account it must not create, and the cluster's name, region and VPC", () => {
        assert.deepStrictEqual(plan.helmReleases.map((h: any) => ({ ...h, urn: undefined })), [{
            urn: undefined, resourceName: "platform-lbc-chart", chart: "aws-load-balancer-controller", version: "3.5.0",
            repo: "https://aws.github.io/eks-charts", namespace: "kube-system", values: HELM_VALUES,
        }]);
    });

    it("prints the same documents as text", () => {
        const text = runCli(["plan"], REPO_ROOT);
        assert.deepStrictEqual({ status: text.status, stderr: text.stderr }, { status: 0, stderr: "" });
        for (const part of [
            `Offline plan of stack "dev" (project eks-irsa-lbc) under Pulumi's mock runtime: nothing was sent to AWS or Kubernetes.\n`,
            `\nTrust policy of role platform-lbc-identity-role:\n${JSON.stringify(TRUST_DOCUMENT, null, 2)}\n\n`,
            `\nServiceAccount kube-system/aws-load-balancer-controller:\n  eks.amazonaws.com/role-arn: ${ROLE_ARN}\n\n`,
            "\nHelm release platform-lbc-chart: chart aws-load-balancer-controller 3.5.0 from https://aws.github.io/eks-charts into namespace kube-system\n" +
            `Values:\n${JSON.stringify(HELM_VALUES, null, 2)}\n\n`,
        ]) {
            assert.ok(text.stdout.includes(part), `missing:\n${part}`);
        }
    });
});

describe("eks-irsa-lbc plan: bad config for the project", function () {
    this.timeout(60_000);
    const cases: [string, Record<string, string>, string[], string][] = [
        [
            "a stack that does not exist, listing those that do",
            { "Pulumi.dev.yaml": "config: {}\n" }, ["--stack", "prod"],
            'stack "prod" not found: no Pulumi.prod.yaml in DIR; existing stacks: dev',
        ],
        [
            "an unknown key",
            { "Pulumi.dev.yaml": "config:\n  eks-irsa-lbc:clustrName: lbc-dev\n" }, [],
            'invalid stack config "dev": Pulumi.dev.yaml: unknown key "eks-irsa-lbc:clustrName" (did you mean "eks-irsa-lbc:clusterName"?); ' +
            "Pulumi.yaml declares region, clusterName, controllerVersion, existingCluster, vpcId, subnetIds, kubernetesVersion, nodeInstanceTypes, " +
            "nodeDesiredSize, nodeMinSize, nodeMaxSize, oidcIssuerUrl, kubeconfig, allowNonEksIssuer",
        ],
        [
            "a value of the wrong type",
            { "Pulumi.dev.yaml": "config:\n  eks-irsa-lbc:nodeDesiredSize: two\n" }, [],
            'invalid stack config "dev": Pulumi.dev.yaml: "eks-irsa-lbc:nodeDesiredSize" must be an integer, got string "two"',
        ],
        [
            "a region outside every partition",
            { "Pulumi.dev.yaml": "config:\n  eks-irsa-lbc:region: eu-central-3\n" }, [],
            'invalid stack config "dev": eks-irsa-lbc:region "eu-central-3" is not a known AWS region (e.g. us-west-2, eu-west-1, cn-north-1, us-gov-west-1)',
        ],
        [
            "a value the components reject",
            { "Pulumi.dev.yaml": "config:\n  eks-irsa-lbc:nodeDesiredSize: 1\n" }, [],
            'invalid stack config "dev": nodeDesiredSize: 1 is not valid: between nodeMinSize (2) and nodeMaxSize (3)',
        ],
        [
            // Before the fix the plan accepted it and then failed its own mandatory policy (exit 1).
            "a non-EKS issuer with a trailing slash, which no token's iss can equal",
            { "Pulumi.dev.yaml": "config:\n  eks-irsa-lbc:existingCluster: true\n  eks-irsa-lbc:allowNonEksIssuer: true\n" +
                "  eks-irsa-lbc:oidcIssuerUrl: https://example.com/\n  eks-irsa-lbc:vpcId: vpc-0123456789abcdef0\n  eks-irsa-lbc:kubeconfig: k\n" }, [],
            'invalid stack config "dev": existingCluster.oidcIssuerUrl: "https://example.com/" is not valid: an https URL equal to the "iss" claim ' +
            "of the cluster's tokens exactly: no trailing slash, port, query or fragment, e.g. https://issuer.example.com/cluster",
        ],
        [
            "an existing cluster with none of its settings",
            { "Pulumi.dev.yaml": "config:\n  eks-irsa-lbc:existingCluster: true\n" }, [],
            'invalid stack config "dev": vpcId is not set (stack config key eks-irsa-lbc:vpcId): required with existingCluster: the existing cluster\'s VPC id, "vpc-" followed by 8 or 17 lower-case hex digits; ' +
            "existingCluster.oidcIssuerUrl is not set (stack config key eks-irsa-lbc:oidcIssuerUrl): an EKS issuer of region us-west-2: https://oidc.eks.us-west-2.amazonaws.com/id/<32 upper-case letters or digits> (set allowNonEksIssuer to accept any https issuer); " +
            "existingCluster.kubeconfig is not set (stack config key eks-irsa-lbc:kubeconfig): a kubeconfig for the existing cluster, or a Kubernetes provider in the resource options (providers: { kubernetes: ... })",
        ],
        [
            // The program builds its AWS provider from eks-irsa-lbc:region: aws:region reaches no resource.
            "an aws:region other than the project's region, which would be ignored",
            { "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n" }, [],
            'invalid stack config "dev": Pulumi.dev.yaml: "aws:region" is "eu-west-1", but this project reads only its own "eks-irsa-lbc:region" ("us-west-2"), ' +
            "so aws:region would be ignored: set the region with `pulumi config set region eu-west-1` instead, and remove aws:region",
        ],
        [
            // aws:region holds no region: the fix must not suggest setting the project's region to it.
            "an aws:region that is no region (a number)",
            { "Pulumi.dev.yaml": "config:\n  aws:region: 5\n" }, [],
            'invalid stack config "dev": Pulumi.dev.yaml: "aws:region" is 5, which is no AWS region, and this project reads only its own "eks-irsa-lbc:region" ("us-west-2"), ' +
            'so aws:region would be ignored: remove aws:region; to deploy in another region than "us-west-2", set it with `pulumi config set region <region>`, ' +
            "a known AWS region (e.g. us-west-2, eu-west-1, cn-north-1, us-gov-west-1)",
        ],
        [
            "an aws:region that is no known region (a string)",
            { "Pulumi.dev.yaml": "config:\n  aws:region: us-west-9\n" }, [],
            'invalid stack config "dev": Pulumi.dev.yaml: "aws:region" is "us-west-9", which is no AWS region, and this project reads only its own "eks-irsa-lbc:region" ("us-west-2"), ' +
            'so aws:region would be ignored: remove aws:region; to deploy in another region than "us-west-2", set it with `pulumi config set region <region>`, ' +
            "a known AWS region (e.g. us-west-2, eu-west-1, cn-north-1, us-gov-west-1)",
        ],
        [
            // The fix names the project's own key, not the aws:region the project ignores.
            "an encrypted aws:region, which the plan cannot compare with the project's region",
            { "Pulumi.dev.yaml": "config:\n  aws:region:\n    secure: v1:abc:def\n" }, [],
            'invalid stack config "dev": Pulumi.dev.yaml: "aws:region" is encrypted (secure), which the offline plan cannot read (it has no secrets provider), ' +
            'and this project reads only its own "eks-irsa-lbc:region" ("us-west-2"), so aws:region would be ignored: remove aws:region; a region is not secret: ' +
            'to deploy in another region than "us-west-2", set it in plain text with `pulumi config set region <region>`',
        ],
        [
            // The README promises one error listing every problem: the components' too.
            "an ignored aws:region together with a cluster name the components reject",
            { "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n  eks-irsa-lbc:clusterName: bad name\n  eks-irsa-lbc:nodeMinSize: 5\n" }, [],
            'invalid stack config "dev": Pulumi.dev.yaml: "aws:region" is "eu-west-1", but this project reads only its own "eks-irsa-lbc:region" ("us-west-2"), ' +
            "so aws:region would be ignored: set the region with `pulumi config set region eu-west-1` instead, and remove aws:region; " +
            'clusterName: "bad name" is not valid: 1 to 100 characters: a letter or digit, then letters, digits, "-" or "_"; ' +
            "nodeDesiredSize: 2 is not valid: between nodeMinSize (5) and nodeMaxSize (3)",
        ],
        [
            "an ignored aws:region together with other problems of the stack file",
            { "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n  eks-irsa-lbc:nodeDesiredSize: two\n" }, [],
            'invalid stack config "dev": Pulumi.dev.yaml: "eks-irsa-lbc:nodeDesiredSize" must be an integer, got string "two"; ' +
            'Pulumi.dev.yaml: "aws:region" is "eu-west-1", but this project reads only its own "eks-irsa-lbc:region" ("us-west-2"), ' +
            "so aws:region would be ignored: set the region with `pulumi config set region eu-west-1` instead, and remove aws:region",
        ],
        [
            "an ignored aws:region together with an unknown project region",
            { "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n  eks-irsa-lbc:region: eu-central-3\n" }, [],
            'invalid stack config "dev": eks-irsa-lbc:region "eu-central-3" is not a known AWS region (e.g. us-west-2, eu-west-1, cn-north-1, us-gov-west-1); ' +
            'Pulumi.dev.yaml: "aws:region" is "eu-west-1", but this project reads only its own "eks-irsa-lbc:region" ("eu-central-3"), ' +
            "so aws:region would be ignored: set the region with `pulumi config set region eu-west-1` instead, and remove aws:region",
        ],
        [
            // YAML null: the Pulumi CLI reads it as "", so the default does not apply (pulumi/pulumi#19483).
            "a region key written without a value",
            { "Pulumi.dev.yaml": "config:\n  eks-irsa-lbc:region:\n" }, [],
            'invalid stack config "dev": Pulumi.dev.yaml: "eks-irsa-lbc:region" has no value, which Pulumi reads as "", not as unset, and "" is no region: ' +
            'give it a region, or remove the line to use the default "us-west-2"',
        ],
        [
            "an integer key written without a value",
            { "Pulumi.dev.yaml": "config:\n  eks-irsa-lbc:nodeMaxSize: ~\n" }, [],
            'invalid stack config "dev": Pulumi.dev.yaml: "eks-irsa-lbc:nodeMaxSize" has no value, which Pulumi reads as "", not as unset, and "" is no integer: ' +
            "give it a value, or remove the line to use the default 3",
        ],
        [
            "an encrypted region",
            { "Pulumi.dev.yaml": "config:\n  eks-irsa-lbc:region:\n    secure: AAABAHk=\n" }, [],
            'invalid stack config "dev": Pulumi.dev.yaml: "eks-irsa-lbc:region" is encrypted (secure), which the offline plan cannot read: it has no secrets provider, ' +
            "and it needs the region itself; a region is not secret: set it in plain text (`pulumi config set region <region>`)",
        ],
        [
            "a node count beyond the EKS quota",
            { "Pulumi.dev.yaml": "config:\n  eks-irsa-lbc:nodeMaxSize: 99999999999999999999\n" }, [],
            'invalid stack config "dev": nodeMaxSize: 100000000000000000000 is not valid: at most 450, the EKS service quota "Nodes per managed node group" (its default)',
        ],
    ];
    for (const [title, stackFiles, args, message] of cases) {
        it(`exits 2 with one line for ${title}`, () => {
            const dir = copyProject(REPO_ROOT, stackFiles);
            try {
                assert.deepStrictEqual(runCli(["plan", ...args], dir), { status: 2, stdout: "", stderr: `eks-irsa-lbc: ${message.replace("DIR", dir)}\n` });
            } finally {
                removeDir(dir);
            }
        });
    }

    it("stops the policy pack it started before the config was refused: no process is left behind", function () {
        // The pack is spawned before the config is read; it inherits this tag, by which its process
        // would still be found after the plan exited.
        if (!fs.existsSync("/proc/self/environ")) this.skip();
        const tag = `EKS_IRSA_LBC_TEST_TAG=${process.pid}-${Date.now()}`;
        const dir = copyProject(REPO_ROOT, { "Pulumi.dev.yaml": "config:\n  eks-irsa-lbc:nodeDesiredSize: two\n" });
        try {
            const run = runCli(["plan"], dir, { EKS_IRSA_LBC_TEST_TAG: tag.slice(tag.indexOf("=") + 1) });
            assert.deepStrictEqual(run, { status: 2, stdout: "", stderr: 'eks-irsa-lbc: invalid stack config "dev": Pulumi.dev.yaml: "eks-irsa-lbc:nodeDesiredSize" must be an integer, got string "two"\n' });
            const tagged = fs.readdirSync("/proc").filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
                try {
                    return fs.readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(tag);
                } catch {
                    return false; // gone meanwhile, or not ours to read
                }
            });
            assert.deepStrictEqual(tagged, []);
        } finally {
            removeDir(dir);
        }
    });

    for (const [title, line] of [["empty", '  aws:region: ""\n'], ["written without a value (read as \"\")", "  aws:region:\n"]]) {
        it(`accepts an aws:region ${title}, as the program does: it names no region, and the project's region is planned`, () => {
            const dir = copyProject(REPO_ROOT, { "Pulumi.dev.yaml": `config:\n${line}` });
            try {
                const run = runCli(["plan", "--json"], dir);
                const plan = run.status === 0 ? JSON.parse(run.stdout) : {};
                assert.deepStrictEqual(
                    { status: run.status, stderr: run.stderr, aws: plan.config?.["aws:region"], region: plan.standIns?.region, resources: plan.summary?.resources },
                    { status: 0, stderr: "", aws: "", region: "us-west-2", resources: 19 },
                );
            } finally {
                removeDir(dir);
            }
        });
    }

    it("accepts an aws:region equal to the project's region, and an optional string key without a value (read as \"\", i.e. not set)", () => {
        const dir = copyProject(REPO_ROOT, { "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n  eks-irsa-lbc:region: eu-west-1\n  eks-irsa-lbc:vpcId:\n" });
        try {
            const run = runCli(["plan", "--json"], dir);
            const plan = JSON.parse(run.stdout);
            assert.deepStrictEqual(
                { status: run.status, stderr: run.stderr, region: plan.config["eks-irsa-lbc:region"], aws: plan.config["aws:region"], vpcId: plan.config["eks-irsa-lbc:vpcId"] },
                { status: 0, stderr: "", region: "eu-west-1", aws: "eu-west-1", vpcId: "" },
            );
        } finally {
            removeDir(dir);
        }
    });
});
