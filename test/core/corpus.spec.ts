/**
 * Every case of the handed corpus (../shared/corpus/cases) and every case of our own (test/cases, other
 * spellings of the same kinds) through the core: `deny` breaks the chain with an error finding (at
 * trust-document-invalid when IAM refuses the document, stage `iam-create`), `violation` yields at
 * least one finding (and a working chain with no error when a policy linter finds it, stage
 * `policy-lint`), `allow` works with no finding, `ok` has no finding. Nothing here knows a case by name.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyze, parseSnapshot } from "../../core";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const CORPUS_DIR = path.resolve(REPO_ROOT, "..", "shared", "corpus", "cases");
const OWN_DIR = path.resolve(REPO_ROOT, "test", "cases");

interface Case {
    id: string;
    kind: string;
    source: string;
    /** Where the fault shows: `policy-lint` (works but unsafe), `iam-create` (IAM refuses the document), `sts`, ... */
    stage: string;
    input: unknown;
    expected: { verdict: "deny" | "violation" | "allow" | "ok"; why: string };
}

function loadCases(dir: string): Case[] {
    return fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
        .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Case);
}

function describeOutcome(c: Case): string {
    const analysis = analyze(parseSnapshot(c.input, c.id));
    return JSON.stringify({ chain: analysis.chain, rules: analysis.findings.map((f) => `${f.severity} ${f.rule}`) });
}

function judge(c: Case): void {
    const analysis = analyze(parseSnapshot(c.input, c.id));
    const errors = analysis.findings.filter((f) => f.severity === "error");
    switch (c.expected.verdict) {
        case "deny":
            assert.equal(analysis.chain.status, "broken", describeOutcome(c));
            assert.ok(errors.length > 0, "a broken chain is also an error finding");
            // A document IAM refuses at CreateRole breaks the chain at its first link.
            if (c.stage === "iam-create") assert.equal(analysis.chain.link, "trust-document-invalid", describeOutcome(c));
            break;
        case "violation":
            assert.ok(analysis.findings.length > 0, describeOutcome(c));
            // Found by a policy linter: the chain works, it is only unsafe, so nothing may call it broken.
            if (c.stage === "policy-lint") {
                assert.equal(analysis.chain.status, "works", describeOutcome(c));
                assert.deepEqual(errors, [], describeOutcome(c));
            }
            break;
        case "allow":
            assert.equal(analysis.chain.status, "works", describeOutcome(c));
            assert.deepEqual(analysis.findings, []);
            break;
        case "ok":
            assert.deepEqual(analysis.findings, [], describeOutcome(c));
            break;
        default:
            assert.fail(`unknown verdict ${JSON.stringify(c.expected.verdict)}`);
    }
    // The verdict and the findings never disagree: broken iff some error finding exists.
    assert.equal(analysis.chain.status === "broken", errors.length > 0);
}

const corpus = loadCases(CORPUS_DIR);
const own = loadCases(OWN_DIR);

describe("handed corpus", () => {
    it("is there to run", () => assert.ok(corpus.length >= 40, `found ${corpus.length} cases in ${CORPUS_DIR}`));
    for (const c of corpus) {
        it(`${c.id} ${c.kind}: ${c.expected.verdict}`, () => judge(c));
    }
});

describe("own cases (other spellings of the handed kinds)", () => {
    for (const c of own) {
        it(`${c.id} ${c.kind}: ${c.expected.verdict}`, () => judge(c));
    }
    it("spell every handed kind at least once more, with the same verdict", () => {
        const ownKinds = new Map(own.map((c) => [c.kind, c.expected.verdict]));
        const missing = corpus.filter((c) => ownKinds.get(c.kind) !== c.expected.verdict).map((c) => `${c.id} ${c.kind}`);
        assert.deepEqual(missing, []);
    });
    it("name their stage, as the handed cases do, so the stage's assertions apply to them too", () => {
        assert.deepEqual(own.filter((c) => typeof c.stage !== "string" || c.stage === "").map((c) => c.id), []);
    });
    it("have unique ids that do not collide with the corpus", () => {
        const ids = [...corpus, ...own].map((c) => c.id);
        assert.equal(new Set(ids).size, ids.length);
    });
});
