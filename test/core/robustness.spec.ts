/**
 * The core must judge anything parseSnapshot accepts without throwing, and keep its invariants: every
 * finding comes from the catalog with the catalog's severity, has a message, a fix and a path, and the
 * chain is broken exactly when there is an error finding, at the link of one of them. The inputs are
 * the corpus and our cases, bent by a seeded generator inside the free-form parts (trust policy, Helm
 * values, controller policy) and in the typed facts, so every run tests the same 4,000 snapshots.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyze, parseSnapshot, RULES, ruleInfo, type WiringSnapshot } from "../../core";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const DIRS = [path.resolve(REPO_ROOT, "..", "shared", "corpus", "cases"), path.resolve(REPO_ROOT, "test", "cases")];

/** A small deterministic PRNG (mulberry32), so a failure is reproducible from its index. */
function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const ODD_VALUES: unknown[] = [null, true, 0, -1, 1.5, "", "*", "?", "https://x:y:z", "arn:aws:iam::111122223333:oidc-provider/", [], {}, ["*"], { "*": "*" }, [null], "${x}", "a:b:c:d"];

function bend(value: unknown, next: () => number, depth: number): unknown {
    const roll = next();
    if (roll < 0.08 || depth > 6) return ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
    if (Array.isArray(value)) {
        const copy = value.map((v) => bend(v, next, depth + 1));
        if (roll < 0.15) copy.pop();
        if (roll > 0.9) copy.push(ODD_VALUES[Math.floor(next() * ODD_VALUES.length)]);
        return copy;
    }
    if (typeof value === "object" && value !== null) {
        const copy: Record<string, unknown> = {};
        for (const [key, v] of Object.entries(value)) {
            if (next() < 0.1) continue;
            copy[next() < 0.05 ? key.toUpperCase() : key] = bend(v, next, depth + 1);
        }
        return copy;
    }
    if (typeof value === "string" && roll > 0.85) return value.replace(/[a-z]/, "*");
    return value;
}

/** Typed facts changed only to other values of their type, so parseSnapshot still accepts them. */
function bendTyped(snapshot: Record<string, unknown>, next: () => number): void {
    const cluster = snapshot.cluster as Record<string, unknown> | undefined;
    if (cluster && next() < 0.3) cluster.partition = ["aws", "aws-cn", "aws-us-gov", "aws-iso", ""][Math.floor(next() * 5)];
    if (cluster && next() < 0.2) cluster.oidcIssuer = ["https://a/", "", "oidc.eks.x.amazonaws.com/id/Y", "https://"][Math.floor(next() * 4)];
    const sa = snapshot.serviceAccount as Record<string, unknown> | undefined;
    if (sa && next() < 0.3) sa.roleArnAnnotation = [null, "", "arn:aws:iam::1:role/x", "arn:aws-cn:iam::111122223333:role/a/b"][Math.floor(next() * 4)];
    if (next() < 0.2) snapshot.oidcProvider = next() < 0.5 ? null : { clientIdList: [] };
    if (next() < 0.2) snapshot.podIdentityAssociation = next() < 0.5 ? null : { roleArn: "nonsense" };
    // Only values the format allows (parseSnapshot refuses hop limits outside 1-64, a CLB, another scheme).
    if (next() < 0.2) snapshot.nodeMetadataOptions = { httpPutResponseHopLimit: Math.floor(next() * 4) + 1, httpEndpoint: next() < 0.5 ? "disabled" : "enabled" };
    if (next() < 0.2) snapshot.loadBalancer = { kind: ["ALB", "NLB"][Math.floor(next() * 2)], scheme: ["internal", "internet-facing"][Math.floor(next() * 2)] };
}

describe("core robustness", () => {
    const inputs = DIRS.flatMap((dir) => fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
        .map((f) => (JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { input: Record<string, unknown> }).input));
    const ruleIds = new Set(RULES.map((r) => r.id));

    it("judges 4,000 bent snapshots without throwing and keeps its invariants", () => {
        let judged = 0;
        for (let i = 0; i < 4000; i++) {
            const next = random(i + 1);
            const snapshot = structuredClone(inputs[i % inputs.length]);
            for (const free of ["trustPolicy", "helmValues", "controllerPolicy"]) {
                if (snapshot[free] !== undefined && next() < 0.6) {
                    const bent = bend(snapshot[free], next, 0);
                    snapshot[free] = typeof bent === "object" && bent !== null && !Array.isArray(bent) ? bent : {};
                }
            }
            bendTyped(snapshot, next);
            let parsed: WiringSnapshot;
            try {
                parsed = parseSnapshot(snapshot);
            } catch {
                continue; // a bend the format refuses is parseSnapshot's business, tested elsewhere
            }
            const analysis = analyze(parsed);
            judged++;
            const errors = analysis.findings.filter((f) => f.severity === "error");
            for (const f of analysis.findings) {
                assert.ok(ruleIds.has(f.rule), `#${i}: unknown rule ${f.rule}`);
                assert.equal(f.severity, ruleInfo(f.rule).severity, `#${i}`);
                assert.ok(f.message.length > 0 && f.fix.length > 0 && f.path.length > 0, `#${i}: ${JSON.stringify(f)}`);
            }
            assert.equal(analysis.chain.status === "broken", errors.length > 0, `#${i}`);
            if (analysis.chain.status === "broken") {
                assert.ok(errors.some((f) => ruleInfo(f.rule).link === analysis.chain.link), `#${i}`);
            } else {
                assert.equal(analysis.chain.link, undefined, `#${i}`);
            }
        }
        assert.ok(judged > 3500, `only ${judged} bent snapshots passed parseSnapshot`);
    });
});
