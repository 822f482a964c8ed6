/**
 * Every handed corpus case, converted to the Pulumi resources that would carry it and run through
 * every policy of the pack (in-process, with the engine's argument shapes), must get the verdict
 * `check` gives the same input: a mandatory violation exactly when the chain is broken, and a
 * violation of any level exactly when there is a finding.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { analyze, parseSnapshot, type WiringSnapshot } from "../../core";
import { POLICIES } from "../../policy-pack/policies";
import { runResourcePolicy, runStackPolicy, type Diagnostic } from "../helpers/policy-args";
import { caseToResources } from "./corpus-resources";

const CASES_DIR = path.resolve(__dirname, "..", "..", "..", "..", "shared", "corpus", "cases");

interface Verdict {
    broken: boolean;
    flagged: boolean;
}

function checkVerdict(snapshot: WiringSnapshot): Verdict {
    const analysis = analyze(snapshot);
    return { broken: analysis.chain.status === "broken", flagged: analysis.findings.length > 0 };
}

async function packVerdict(input: WiringSnapshot): Promise<{ verdict: Verdict; violations: Diagnostic[] }> {
    const { resources, config } = caseToResources(input);
    const violations: Diagnostic[] = [];
    for (const policy of POLICIES) {
        const opts = { config: config[policy.name] ?? {} };
        if ("validateStack" in policy) {
            violations.push(...(await runStackPolicy(policy as StackValidationPolicy, resources, opts)).violations);
        } else {
            for (const resource of resources) violations.push(...(await runResourcePolicy(policy as ResourceValidationPolicy, resource, opts)).violations);
        }
    }
    return { verdict: { broken: violations.some((v) => v.enforcementLevel === "mandatory"), flagged: violations.length > 0 }, violations };
}

describe("the corpus through the policy pack", () => {
    const files = fs.readdirSync(CASES_DIR).filter((f) => f.endsWith(".json")).sort();

    it("finds the handed cases", () => {
        assert.ok(files.length > 0, `no cases in ${CASES_DIR}`);
    });

    for (const file of files) {
        const testCase = JSON.parse(fs.readFileSync(path.join(CASES_DIR, file), "utf8")) as { id: string; kind: string; input: unknown };
        it(`${testCase.id} (${testCase.kind}) gets check's verdict`, async () => {
            const input = parseSnapshot(testCase.input, file);
            const { verdict, violations } = await packVerdict(input);
            const detail = violations.map((v) => `${v.enforcementLevel} ${v.policyName}: ${v.message.split("\n")[1] ?? v.message}`).join("\n  ");
            assert.deepStrictEqual(verdict, checkVerdict(input), `pack vs check:\n  ${detail}`);
        });
    }
});
