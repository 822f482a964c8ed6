/**
 * Proves the project's own controller permission data equal to the upstream policy files, for
 * every release and partition that upstream's index names, and pins the version helpers.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    chartVersionFor,
    compareControllerVersions,
    controllerPolicyDocument,
    DEFAULT_CONTROLLER_VERSION,
    KNOWN_CONTROLLER_VERSIONS,
    nearestKnownControllerVersion,
    normalizeControllerVersion,
    SUPPORTED_CONTROLLER_VERSIONS,
} from "../../core/controller-policy";
import { Partition, PARTITIONS } from "../../core/partition";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const UPSTREAM = path.resolve(REPO_ROOT, "..", "shared", "upstream", "aws-load-balancer-controller", "iam-policy");

interface IndexEntry { "aws": string; "aws-cn": string; "aws-us-gov": string; chartVersionInRepoAtTag: string }
const UPSTREAM_INDEX: Record<string, IndexEntry> = JSON.parse(fs.readFileSync(path.join(UPSTREAM, "index.json"), "utf8"));

function upstreamPolicy(version: string, partition: Partition): any {
    return JSON.parse(fs.readFileSync(path.join(UPSTREAM, UPSTREAM_INDEX[version][partition]), "utf8"));
}

function asList(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [value];
}

/** Order-free form: one sorted entry per (effect, action, resource, condition) that the policy grants. */
function grants(policy: any): string[] {
    const triples = new Set<string>();
    for (const statement of asList(policy.Statement) as any[]) {
        for (const action of asList(statement.Action)) {
            for (const resource of asList(statement.Resource)) {
                triples.add(JSON.stringify([statement.Effect, action, resource, canonical(statement.Condition ?? null)]));
            }
        }
    }
    return [...triples].sort();
}

/** Condition with keys sorted and single values as lists, so spelling differences do not matter. */
function canonical(value: any): any {
    if (value === null || typeof value !== "object") {
        return value;
    }
    return Object.fromEntries(Object.keys(value).sort().map((key) => {
        const inner = value[key];
        return [key, typeof inner === "object" && !Array.isArray(inner) ? canonical(inner) : asList(inner).slice().sort()];
    }));
}

describe("controller policy data", () => {
    it("knows exactly the releases in upstream's index, in release order", () => {
        assert.deepStrictEqual([...KNOWN_CONTROLLER_VERSIONS], Object.keys(UPSTREAM_INDEX));
        const sorted = [...KNOWN_CONTROLLER_VERSIONS].sort(compareControllerVersions);
        assert.deepStrictEqual(sorted, [...KNOWN_CONTROLLER_VERSIONS]);
    });

    for (const version of Object.keys(UPSTREAM_INDEX)) {
        for (const partition of PARTITIONS) {
            it(`grants exactly upstream's ${version} permissions in ${partition}`, () => {
                const ours = controllerPolicyDocument(version, partition);
                const theirs = upstreamPolicy(version, partition);
                assert.deepStrictEqual(grants(ours), grants(theirs));
                // Stronger than needed by IAM, and true today: the very same document, order included.
                assert.deepStrictEqual(ours, theirs);
            });
        }
    }

    it("supports v2.13.0 and later, whose policy is one and the same", () => {
        assert.deepStrictEqual([...SUPPORTED_CONTROLLER_VERSIONS], Object.keys(UPSTREAM_INDEX).slice(Object.keys(UPSTREAM_INDEX).indexOf("v2.13.0")));
        for (const partition of PARTITIONS) {
            const newest = controllerPolicyDocument(DEFAULT_CONTROLLER_VERSION, partition);
            for (const version of SUPPORTED_CONTROLLER_VERSIONS) {
                assert.deepStrictEqual(controllerPolicyDocument(version, partition), newest);
            }
        }
        assert.strictEqual(DEFAULT_CONTROLLER_VERSION, "v3.5.0");
    });

    it("accepts a version without the leading v", () => {
        assert.deepStrictEqual(controllerPolicyDocument("2.9.0", "aws"), controllerPolicyDocument("v2.9.0", "aws"));
    });

    it("hands out a fresh document each time", () => {
        const first = controllerPolicyDocument("v3.5.0", "aws");
        (first.Statement[0].Condition as any).StringEquals["iam:AWSServiceName"] = "changed";
        first.Statement[1].Action.push("s3:*");
        assert.deepStrictEqual(controllerPolicyDocument("v3.5.0", "aws"), upstreamPolicy("v3.5.0", "aws"));
    });

    it("rejects an unknown release, naming it and the allowed list", () => {
        const allowed = KNOWN_CONTROLLER_VERSIONS.join(", ");
        assert.throws(() => controllerPolicyDocument("v2.3.0", "aws"), {
            message: `controller version: "v2.3.0" is not a known AWS Load Balancer Controller release; allowed: ${allowed}`,
        });
        assert.throws(() => controllerPolicyDocument("latest", "aws"), {
            message: `controller version: "latest" is not a known AWS Load Balancer Controller release; allowed: ${allowed}`,
        });
        assert.throws(() => chartVersionFor("v9.9.9"), {
            message: `controller version: "v9.9.9" is not a known AWS Load Balancer Controller release; allowed: ${allowed}`,
        });
    });

    it("rejects an unknown partition, naming it and the allowed list", () => {
        assert.throws(() => controllerPolicyDocument("v3.5.0", "aws-iso" as Partition), {
            message: `partition: "aws-iso" is not a partition; allowed: aws, aws-cn, aws-us-gov`,
        });
    });
});

describe("chartVersionFor", () => {
    it("matches the chart in upstream's repository at every release tag", () => {
        for (const [version, entry] of Object.entries(UPSTREAM_INDEX)) {
            assert.strictEqual(chartVersionFor(version), entry.chartVersionInRepoAtTag, version);
        }
    });

    it("follows the rules: 3.x is itself, 2.X.Y is 1.X.Y unless upstream bumped the chart apart", () => {
        assert.deepStrictEqual(
            ["v3.5.0", "3.2.1", "v2.13.0", "v2.16.0", "v2.17.1", "v2.17.0", "v3.4.1", "v2.4.2"].map(chartVersionFor),
            ["3.5.0", "3.2.1", "1.13.0", "1.16.0", "1.17.1", "1.16.0", "3.4.0", "1.4.1"],
        );
    });
});

describe("compareControllerVersions", () => {
    it("orders by major, minor, patch as numbers, with or without v", () => {
        assert.ok(compareControllerVersions("v2.9.0", "v2.10.0") < 0);
        assert.ok(compareControllerVersions("v2.10.0", "2.9.9") > 0);
        assert.ok(compareControllerVersions("v3.0.0", "v2.17.1") > 0);
        assert.ok(compareControllerVersions("v2.13.1", "v2.13.0") > 0);
        assert.strictEqual(compareControllerVersions("2.13.0", "v2.13.0"), 0);
    });

    it("rejects what is not a version, naming it", () => {
        assert.throws(() => compareControllerVersions("v2.13", "v2.13.0"), {
            message: `controller version: "v2.13" is not a version; expected MAJOR.MINOR.PATCH with or without "v", e.g. "v3.5.0"`,
        });
        assert.throws(() => compareControllerVersions("v3.5.0", "main"), {
            message: `controller version: "main" is not a version; expected MAJOR.MINOR.PATCH with or without "v", e.g. "v3.5.0"`,
        });
    });

    it("normalizes spellings and finds the release whose permissions an unlisted version has", () => {
        assert.strictEqual(normalizeControllerVersion("2.13.0"), "v2.13.0");
        assert.strictEqual(nearestKnownControllerVersion("v3.6.0"), "v3.5.0");
        assert.strictEqual(nearestKnownControllerVersion("v2.13.9"), "v2.13.4");
        assert.strictEqual(nearestKnownControllerVersion("2.9.0"), "v2.9.0");
        assert.strictEqual(nearestKnownControllerVersion("v2.3.1"), undefined);
    });
});
