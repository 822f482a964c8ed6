/**
 * The chart facts the core states itself, proven against upstream: the value keys of chart v3.5.0
 * (../shared/upstream/.../values.yaml), and the service-account name the chart renders.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { CHART_SECTION_KEYS, CHART_TOP_LEVEL_KEYS } from "../../core/chart-values-keys";
import { chartFullName, chartServiceAccount } from "../../core/chart-service-account";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const VALUES = path.resolve(REPO_ROOT, "..", "shared", "upstream", "aws-load-balancer-controller", "chart-v3.5.0", "values.yaml");

describe("chart value keys", () => {
    const upstream = yaml.load(fs.readFileSync(VALUES, "utf8")) as Record<string, Record<string, unknown>>;
    it("are exactly the top-level keys of upstream values.yaml", () => {
        assert.deepEqual([...CHART_TOP_LEVEL_KEYS].sort(), Object.keys(upstream).sort());
    });
    for (const section of Object.keys(CHART_SECTION_KEYS)) {
        it(`are exactly the keys of ${section} in upstream values.yaml`, () => {
            assert.deepEqual([...CHART_SECTION_KEYS[section]].sort(), Object.keys(upstream[section]).sort());
        });
    }
});

describe("chart service account", () => {
    it("uses serviceAccount.name when set, whatever create says", () => {
        assert.deepEqual(chartServiceAccount({ serviceAccount: { create: false, name: "lbc" } }, "rel"), { create: false, name: "lbc", origin: "value", annotations: {} });
        assert.deepEqual(chartServiceAccount({ serviceAccount: { name: "lbc", annotations: { a: "b" } } }, "rel"), { create: true, name: "lbc", origin: "value", annotations: { a: "b" } });
    });
    it("runs the pods as default when create=false and no name is set", () => {
        assert.deepEqual(chartServiceAccount({ serviceAccount: { create: false, name: "" } }, "rel"), { create: false, name: "default", origin: "default-account", annotations: {} });
    });
    it("generates the full name from the release when create=true and no name is set", () => {
        assert.deepEqual(chartServiceAccount({}, "lbc"), { create: true, name: "lbc-aws-load-balancer-controller", origin: "generated", annotations: {} });
        assert.deepEqual(chartServiceAccount({ serviceAccount: { create: true } }, undefined), { create: true, name: undefined, origin: "generated", annotations: {} });
    });
    it("applies the chart's fullname rules: release containing the name, overrides, 63 characters", () => {
        assert.equal(chartFullName({}, "aws-load-balancer-controller-1634831210"), "aws-load-balancer-controller-1634831210");
        assert.equal(chartFullName({}, "aws-loadbalancer-controller"), "aws-loadbalancer-controller-aws-load-balancer-controller");
        assert.equal(chartFullName({ nameOverride: "lbc" }, "prod-lbc"), "prod-lbc");
        assert.equal(chartFullName({ nameOverride: "lbc" }, "prod"), "prod-lbc");
        assert.equal(chartFullName({ fullnameOverride: "my-controller" }, undefined), "my-controller");
        assert.equal(chartFullName({}, "a".repeat(40)), `${"a".repeat(40)}-aws-load-balancer-cont`);
        assert.equal(chartFullName({}, "b".repeat(34)), `${"b".repeat(34)}-aws-load-balancer-controller`);
        assert.equal(chartFullName({}, "c".repeat(34))?.length, 63);
        assert.equal(chartFullName({}, "x".repeat(62) + "-y"), "x".repeat(62));
    });
});
