/**
 * The gap check between a user's controller policy and what a controller release needs: no false
 * positives on any upstream policy, and every kind of shortfall (older policy, statements left
 * out, AddTags only on existing resources, another partition's ARNs, explicit Denies) caught in
 * its various spellings.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    compareControllerVersions,
    controllerPolicyDocument,
    controllerPolicyGaps,
    KNOWN_CONTROLLER_VERSIONS,
    PermissionGap,
} from "../../core/controller-policy";
import { PARTITIONS } from "../../core/partition";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const CASES = path.resolve(REPO_ROOT, "..", "shared", "corpus", "cases");

const ADD_TAGS_ON_CREATE_TAIL =
    "as it is created, so creating %THEM% fails with AccessDenied whatever the controller version; the upstream statement allows "
    + "AddTags on targetgroup/*/*, loadbalancer/net/*/* and loadbalancer/app/*/* with StringEquals elasticloadbalancing:CreateAction "
    + "[CreateTargetGroup, CreateLoadBalancer] and Null aws:RequestTag/elbv2.k8s.aws/cluster false";

function addTagsOnCreateGap(kinds = "target group, Application Load Balancer or Network Load Balancer"): PermissionGap {
    return {
        actions: ["elasticloadbalancing:AddTags"],
        reason: "since 2023-06-01 Elastic Load Balancing checks elasticloadbalancing:AddTags on every create call that carries tags, "
            + `and no Allow statement lets the controller tag a new ${kinds} `
            + ADD_TAGS_ON_CREATE_TAIL.replace("%THEM%", kinds.includes(" or ") ? "them" : "it"),
    };
}

/** The newest upstream policy (the one the components attach) with some statements changed. */
function newest(edit: (statements: any[]) => any[] = (statements) => statements): any {
    const document = controllerPolicyDocument("v3.5.0", "aws");
    return { ...document, Statement: edit(document.Statement as any[]) };
}

function withoutStatement(actions: string[]): any {
    return newest((statements) => statements.filter((statement) => JSON.stringify(statement.Action) !== JSON.stringify(actions)));
}

const ON_CREATE_CONDITION = {
    StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
    Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" },
};
const ELB_CREATED = [
    "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
    "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*",
    "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*",
];

/** The newest policy with its AddTags-on-create statement replaced by `statement` (or removed). */
function withOnCreateStatement(statement?: object): any {
    return newest((statements) => {
        const rest = statements.filter((s) => JSON.stringify(s.Condition ?? {}) !== JSON.stringify(ON_CREATE_CONDITION));
        assert.strictEqual(rest.length, statements.length - 1);
        return statement === undefined ? rest : [...rest, statement];
    });
}

describe("controllerPolicyGaps: no false positives", () => {
    const withOnCreate = KNOWN_CONTROLLER_VERSIONS.filter((version) => compareControllerVersions(version, "v2.4.7") >= 0);

    it("finds nothing in the upstream policy of any release from v2.4.7, in its own partition or any", () => {
        for (const version of withOnCreate) {
            for (const partition of PARTITIONS) {
                const policy = controllerPolicyDocument(version, partition);
                assert.deepStrictEqual(controllerPolicyGaps(policy, version, partition), [], `${version} ${partition}`);
                assert.deepStrictEqual(controllerPolicyGaps(policy, version), [], `${version} ${partition}, no partition`);
            }
        }
    });

    it("finds nothing when the policy is newer than the controller", () => {
        for (const partition of PARTITIONS) {
            // Each distinct upstream document once, under the first release that published it.
            const seen = new Set<string>();
            const firsts = withOnCreate.filter((version) => {
                const text = JSON.stringify(controllerPolicyDocument(version, partition));
                return !seen.has(text) && seen.add(text) !== undefined;
            });
            assert.strictEqual(firsts.length, partition === "aws" ? 8 : 7, partition);
            for (const policyVersion of firsts) {
                const policy = controllerPolicyDocument(policyVersion, partition);
                for (const controller of KNOWN_CONTROLLER_VERSIONS.filter((v) => compareControllerVersions(v, policyVersion) <= 0)) {
                    assert.deepStrictEqual(controllerPolicyGaps(policy, controller, partition), [], `policy ${policyVersion}, controller ${controller}, ${partition}`);
                }
            }
        }
    });

    it("judges an unlisted version by the newest release before it", () => {
        assert.deepStrictEqual(controllerPolicyGaps(newest(), "v3.6.0", "aws"), []);
        assert.deepStrictEqual(controllerPolicyGaps(newest(), "4.0.0", "aws"), []);
        assert.deepStrictEqual(controllerPolicyGaps(controllerPolicyDocument("v2.12.0", "aws"), "v2.12.9", "aws"), []);
    });

    it("accepts every way of writing a full grant", () => {
        const grants: object[] = [
            { Effect: "Allow", Action: "*", Resource: "*" },
            { Effect: "Allow", Action: ["*"], Resource: ["*"] },
            {
                Effect: "Allow",
                Action: ["ec2:*", "elasticloadbalancing:*", "iam:*", "cognito-idp:*", "acm:*", "waf-regional:*", "wafv2:*", "shield:*"],
                Resource: "*",
            },
            // IAM compares actions case-insensitively; `?` is one character.
            {
                Effect: "Allow",
                Action: ["EC2:*", "ElasticLoadBalancing:*", "IAM:*", "cognito-IDP:*", "ACM:*", "waf-regional:*", "WAFV2:*", "shield:*"],
                Resource: "arn:aws:*",
            },
            { Effect: "Allow", NotAction: ["s3:*", "dynamodb:*"], Resource: "*" },
            { Effect: "Allow", Action: ["*:*"], NotResource: "arn:aws:s3:::*" },
        ];
        for (const grant of grants) {
            assert.deepStrictEqual(controllerPolicyGaps({ Version: "2012-10-17", Statement: grant }, "v3.5.0", "aws"), [], JSON.stringify(grant));
            assert.deepStrictEqual(controllerPolicyGaps({ Version: "2012-10-17", Statement: [grant] }, "v2.4.0"), [], JSON.stringify(grant));
        }
    });

    it("ignores Denies that may not apply (with a condition, or on some resources only)", () => {
        const denies = [
            { Effect: "Deny", Action: "elasticloadbalancing:DeleteLoadBalancer", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/protected": "true" } } },
            { Effect: "Deny", Action: "elasticloadbalancing:*", Resource: "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/prod-*/*" },
            // Conditions that may or may not hold when a load balancer is created.
            { Effect: "Deny", Action: "elasticloadbalancing:AddTags", Resource: "*", Condition: { StringNotEquals: { "aws:RequestTag/elbv2.k8s.aws/cluster": "demo" } } },
            { Effect: "Deny", Action: "elasticloadbalancing:AddTags", Resource: "*", Condition: { Bool: { "aws:ViaAWSService": "true" } } },
            // Pinned to another account: not certainly this cluster's.
            { Effect: "Deny", Action: "elasticloadbalancing:AddTags", Resource: "arn:aws:elasticloadbalancing:*:444455556666:targetgroup/*/*" },
        ];
        for (const deny of denies) {
            assert.deepStrictEqual(controllerPolicyGaps(newest((s) => [...s, deny]), "v3.5.0", "aws"), [], JSON.stringify(deny));
        }
    });

    it("accepts AddTags-on-create statements that may hold at creation", () => {
        const variants: object[] = [
            // Unconditional, on every resource.
            { Effect: "Allow", Action: "elasticloadbalancing:AddTags", Resource: "*" },
            // Wildcard create action, pinned cluster name (its value is unknown here), case of the key.
            {
                Effect: "Allow",
                Action: "elasticloadbalancing:Add*",
                Resource: "arn:aws:elasticloadbalancing:*:*:*",
                Condition: {
                    StringLike: { "ElasticLoadBalancing:CreateAction": "Create*" },
                    StringEquals: { "aws:RequestTag/elbv2.k8s.aws/cluster": "demo" },
                },
            },
            // Pinned to one region and account, split in two statements.
            {
                Effect: "Allow",
                Action: ["elasticloadbalancing:AddTags"],
                Resource: ["arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/*/*"],
                Condition: { StringEquals: { "elasticloadbalancing:CreateAction": "CreateTargetGroup" } },
            },
            {
                Effect: "Allow",
                Action: ["elasticloadbalancing:AddTags"],
                Resource: ["arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/*"],
                Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["elbv2.k8s.aws/cluster"] }, Bool: { "aws:SecureTransport": "true" } },
            },
        ];
        assert.deepStrictEqual(controllerPolicyGaps(withOnCreateStatement(variants[0]), "v3.5.0", "aws"), []);
        assert.deepStrictEqual(controllerPolicyGaps(withOnCreateStatement(variants[1]), "v3.5.0", "aws"), []);
        const split = newest((s) => [...s.filter((x) => JSON.stringify(x.Condition ?? {}) !== JSON.stringify(ON_CREATE_CONDITION)), variants[2], variants[3]]);
        assert.deepStrictEqual(controllerPolicyGaps(split, "v3.5.0", "aws"), []);
    });
});

describe("controllerPolicyGaps: shortfalls", () => {
    it("names what an older release's policy lacks, grouped by the release that added it", () => {
        assert.deepStrictEqual(controllerPolicyGaps(controllerPolicyDocument("v2.9.0", "aws"), "v3.5.0", "aws"), [
            {
                actions: ["ec2:GetSecurityGroupsForVpc"],
                reason: "controller v3.5.0 needs this action (security group discovery per VPC), in the upstream policy since v2.10.0, and the policy does not allow it: it looks written for a release before v2.10.0",
                since: "v2.10.0",
            },
            {
                actions: ["elasticloadbalancing:DescribeCapacityReservation", "elasticloadbalancing:ModifyCapacityReservation"],
                reason: "controller v3.5.0 needs these actions (load balancer capacity reservations), in the upstream policy since v2.11.0, and the policy does not allow them: it looks written for a release before v2.11.0",
                since: "v2.11.0",
            },
            {
                actions: ["ec2:DescribeIpamPools", "elasticloadbalancing:ModifyIpPools", "elasticloadbalancing:SetRulePriorities"],
                reason: "controller v3.5.0 needs these actions (IPAM pools for load balancer addresses; listener rule priorities), in the upstream policy since v2.12.0, and the policy does not allow them: it looks written for a release before v2.12.0",
                since: "v2.12.0",
            },
            {
                actions: ["ec2:DescribeRouteTables"],
                reason: "controller v3.5.0 needs this action (subnet discovery by route-table reachability), in the upstream policy since v2.13.0, and the policy does not allow it: it looks written for a release before v2.13.0",
                since: "v2.13.0",
            },
        ]);
    });

    it("uses each partition's own history (China's policy gained DescribeTrustStores a release later)", () => {
        const chinaV27 = controllerPolicyDocument("v2.7.0", "aws-cn");
        assert.deepStrictEqual(controllerPolicyGaps(chinaV27, "v2.7.2", "aws-cn"), []);
        assert.deepStrictEqual(controllerPolicyGaps(chinaV27, "v2.7.2"), []);
        const gap = (since: string): PermissionGap => ({
            actions: ["elasticloadbalancing:DescribeTrustStores"],
            reason: `controller v2.8.0 needs this action (mutual TLS trust stores on ALB listeners), in the upstream policy since ${since}, and the policy does not allow it: it looks written for a release before ${since}`,
            since,
        });
        assert.deepStrictEqual(controllerPolicyGaps(chinaV27, "v2.8.0", "aws-cn"), [gap("v2.8.0")]);
        assert.deepStrictEqual(controllerPolicyGaps(chinaV27, "v2.8.0"), [gap("v2.7.0")]);
        // GovCloud's policy gained it with v2.7.0, like the commercial one.
        const usGovV247 = controllerPolicyDocument("v2.4.7", "aws-us-gov");
        assert.deepStrictEqual(controllerPolicyGaps(usGovV247, "v2.7.0", "aws-us-gov"), [
            {
                actions: ["elasticloadbalancing:DescribeTrustStores"],
                reason: "controller v2.7.0 needs this action (mutual TLS trust stores on ALB listeners), in the upstream policy since v2.7.0, and the policy does not allow it: it looks written for a release before v2.7.0",
                since: "v2.7.0",
            },
        ]);
    });

    it("reports a statement left out, with the reason for its actions", () => {
        assert.deepStrictEqual(controllerPolicyGaps(withoutStatement(["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]), "v2.13.0", "aws"), [
            {
                actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                reason: "controller v2.13.0 needs these actions, part of the upstream policy of every release since v2.4.0, and the policy does not allow them",
            },
        ]);
        assert.deepStrictEqual(controllerPolicyGaps(withoutStatement(["iam:CreateServiceLinkedRole"]), "2.13.0"), [
            {
                actions: ["iam:CreateServiceLinkedRole"],
                reason: "controller v2.13.0 needs this action, part of the upstream policy of every release since v2.4.0, and the policy does not allow it",
            },
        ]);
    });

    it("reports a missing AddTags-on-create statement whatever the controller version", () => {
        for (const version of ["v2.4.0", "v2.4.6", "v2.13.0", "v3.5.0", "v2.2.0", "v1.1.9"]) {
            assert.deepStrictEqual(controllerPolicyGaps(withOnCreateStatement(), version, "aws"), [addTagsOnCreateGap()], version);
        }
        // Upstream's own policy before v2.4.7 had the same hole.
        for (const partition of PARTITIONS) {
            assert.deepStrictEqual(controllerPolicyGaps(controllerPolicyDocument("v2.4.6", partition), "v2.4.6", partition), [addTagsOnCreateGap()]);
        }
    });

    it("reports AddTags statements that cannot hold at creation, naming what cannot be created", () => {
        const cases: Array<[object, string]> = [
            // Only on resources that already carry the tag (the request carries it on create).
            [{ Effect: "Allow", Action: "elasticloadbalancing:AddTags", Resource: ELB_CREATED, Condition: { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "true" } } }, "target group, Application Load Balancer or Network Load Balancer"],
            // The new resource has no tags to match yet.
            [{ Effect: "Allow", Action: "elasticloadbalancing:AddTags", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "demo" } } }, "target group, Application Load Balancer or Network Load Balancer"],
            // One create action only.
            [{ Effect: "Allow", Action: "elasticloadbalancing:AddTags", Resource: ELB_CREATED, Condition: { StringEquals: { "elasticloadbalancing:CreateAction": "CreateTargetGroup" } } }, "Application Load Balancer or Network Load Balancer"],
            // Target groups and ALBs only.
            [{ Effect: "Allow", Action: "elasticloadbalancing:AddTags", Resource: [ELB_CREATED[0], ELB_CREATED[2]], Condition: ON_CREATE_CONDITION }, "Network Load Balancer"],
            // Another partition's ARNs.
            [{ Effect: "Allow", Action: "elasticloadbalancing:AddTags", Resource: ELB_CREATED.map((arn) => arn.replace("arn:aws:", "arn:aws-cn:")), Condition: ON_CREATE_CONDITION }, "target group, Application Load Balancer or Network Load Balancer"],
            // Not the AddTags action at all.
            [{ Effect: "Allow", Action: "elasticloadbalancing:RemoveTags", Resource: ELB_CREATED, Condition: ON_CREATE_CONDITION }, "target group, Application Load Balancer or Network Load Balancer"],
            // Negated create action.
            [{ Effect: "Allow", Action: "elasticloadbalancing:AddTags", Resource: "*", Condition: { StringNotLike: { "elasticloadbalancing:CreateAction": "Create*" } } }, "target group, Application Load Balancer or Network Load Balancer"],
        ];
        for (const [statement, kinds] of cases) {
            assert.deepStrictEqual(controllerPolicyGaps(withOnCreateStatement(statement), "v3.5.0", "aws"), [addTagsOnCreateGap(kinds)], JSON.stringify(statement));
        }
    });

    it("reports grants that name only another partition's resources", () => {
        assert.deepStrictEqual(controllerPolicyGaps(controllerPolicyDocument("v3.5.0", "aws"), "v3.5.0", "aws-cn"), [
            addTagsOnCreateGap(),
            {
                actions: [
                    "ec2:CreateTags",
                    "ec2:DeleteTags",
                    "elasticloadbalancing:RemoveTags",
                    "elasticloadbalancing:RegisterTargets",
                    "elasticloadbalancing:DeregisterTargets",
                ],
                reason: 'the policy allows these actions only on resources of another partition; in aws-cn ARNs start with "arn:aws-cn:"',
            },
        ]);
    });

    it("reports actions that an unconditional Deny on every resource takes away", () => {
        const denies: object[] = [
            { Effect: "Deny", Action: ["elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteTargetGroup"], Resource: "*" },
            { Effect: "Deny", Action: "*:Delete*Group", Resource: "arn:*:*:*:*:*" },
        ];
        assert.deepStrictEqual(controllerPolicyGaps(newest((s) => [...s, denies[0]]), "v3.5.0", "aws"), [
            {
                actions: ["elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteTargetGroup"],
                reason: "the policy denies these actions on every resource, which overrides any Allow, and controller v3.5.0 needs them",
            },
        ]);
        assert.deepStrictEqual(controllerPolicyGaps(newest((s) => [...s, denies[1]]), "v3.5.0", "aws"), [
            {
                actions: ["ec2:DeleteSecurityGroup", "elasticloadbalancing:DeleteTargetGroup"],
                reason: "the policy denies these actions on every resource, which overrides any Allow, and controller v3.5.0 needs them",
            },
        ]);
        // A Deny of AddTags (any spelling) is reported once, as the AddTags-on-create gap.
        const denyAddTags = { Effect: "Deny", Action: "elasticloadbalancing:addtags", Resource: "*" };
        assert.deepStrictEqual(controllerPolicyGaps(newest((s) => [...s, denyAddTags]), "v3.5.0", "aws"), [addTagsOnCreateGap()]);
        // A Deny whose condition certainly holds on create (the new resource carries no tags) blocks it too.
        const denyUntagged = {
            Effect: "Deny",
            Action: "elasticloadbalancing:AddTags",
            Resource: "arn:aws:elasticloadbalancing:*:*:loadbalancer/*",
            Condition: { Null: { "aws:ResourceTag/team": "true" } },
        };
        assert.deepStrictEqual(controllerPolicyGaps(newest((s) => [...s, denyUntagged]), "v3.5.0", "aws"), [
            addTagsOnCreateGap("Application Load Balancer or Network Load Balancer"),
        ]);
        // NotAction in a Deny takes away everything it does not name.
        const onlyElb = { Effect: "Deny", NotAction: "elasticloadbalancing:*", Resource: "*" };
        const allActions: string[] = newest().Statement.flatMap((s: any) => s.Action as string[]);
        const nonElb = [...new Set(allActions)].filter((a) => !a.startsWith("elasticloadbalancing:"));
        assert.deepStrictEqual(controllerPolicyGaps(newest((s) => [...s, onlyElb]), "v3.5.0", "aws"), [
            {
                actions: nonElb,
                reason: "the policy denies these actions on every resource, which overrides any Allow, and controller v3.5.0 needs them",
            },
        ]);
    });

    it("treats an empty or unreadable policy as granting nothing", () => {
        const everything = controllerPolicyDocument("v2.4.0", "aws").Statement.flatMap((s) => s.Action);
        const expected: PermissionGap[] = [
            {
                actions: [...new Set(everything)].filter((action) => action !== "elasticloadbalancing:AddTags"),
                reason: "controller v2.4.0 needs these actions, part of the upstream policy of every release since v2.4.0, and the policy does not allow them",
            },
            addTagsOnCreateGap(),
        ];
        for (const policy of [{}, { Statement: [] }, { Statement: "nonsense" }, { Statement: [{ Effect: "allow", Action: "*", Resource: "*" }] }, { Statement: [{ Effect: "Allow", Action: "*" }] }]) {
            assert.deepStrictEqual(controllerPolicyGaps(policy, "v2.4.0", "aws"), expected, JSON.stringify(policy));
        }
    });

    it("rejects a version that is not one, and a partition that is not one, naming them", () => {
        assert.throws(() => controllerPolicyGaps(newest(), "latest", "aws"), {
            message: 'controller version: "latest" is not a version; expected MAJOR.MINOR.PATCH with or without "v", e.g. "v3.5.0"',
        });
        assert.throws(() => controllerPolicyGaps(newest(), "v3.5.0", "aws-iso" as any), {
            message: 'partition: "aws-iso" is not a partition; allowed: aws, aws-cn, aws-us-gov',
        });
    });
});

describe("controllerPolicyGaps on the corpus", () => {
    const cases = fs.readdirSync(CASES).filter((file) => file.endsWith(".json")).map((file) => JSON.parse(fs.readFileSync(path.join(CASES, file), "utf8")));
    const withPolicy = cases.filter((c) => c.input.controllerPolicy !== undefined && c.input.helmValues?.image?.tag !== undefined);

    it("has cases with a controller policy and version", () => {
        assert.ok(withPolicy.length >= 3, String(withPolicy.length));
    });

    for (const c of withPolicy) {
        const gaps = (): PermissionGap[] => controllerPolicyGaps(c.input.controllerPolicy, c.input.helmValues.image.tag, c.input.cluster?.partition);
        if (["ok", "allow"].includes(c.expected.verdict)) {
            it(`finds nothing in ${c.id} (${c.kind})`, () => assert.deepStrictEqual(gaps(), []));
        } else if (String(c.kind).startsWith("controller-policy")) {
            it(`finds the shortfall in ${c.id} (${c.kind})`, () => assert.notDeepStrictEqual(gaps(), []));
        }
    }

    it("names the listener-attribute actions for an eksctl well-known policy under v2.9.0 (c42's shape)", () => {
        const c42 = cases.find((c) => c.id === "c42");
        const gaps = controllerPolicyGaps(c42.input.controllerPolicy, "v2.9.0", "aws");
        assert.deepStrictEqual(gaps.filter((gap) => gap.since !== undefined), [
            {
                actions: ["elasticloadbalancing:DescribeTrustStores"],
                reason: "controller v2.9.0 needs this action (mutual TLS trust stores on ALB listeners), in the upstream policy since v2.7.0, and the policy does not allow it: it looks written for a release before v2.7.0",
                since: "v2.7.0",
            },
            {
                actions: ["elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:ModifyListenerAttributes"],
                reason: "controller v2.9.0 needs these actions (listener attributes), in the upstream policy since v2.9.0, and the policy does not allow them: it looks written for a release before v2.9.0",
                since: "v2.9.0",
            },
        ]);
        assert.deepStrictEqual(gaps[gaps.length - 1], addTagsOnCreateGap());
    });
});
