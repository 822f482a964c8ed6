/**
 * The upstream v2.13.0 controller policy from ../shared (reference data), optionally without the
 * "AddTags on create" statement, to exercise the permissions policy with a real document.
 */
import * as fs from "fs";
import * as path from "path";

const SHARED = path.resolve(__dirname, "..", "..", "..", "..", "shared");

export function controllerPolicyDocument(opts: { withoutAddTagsOnCreate?: boolean; version?: string } = {}): Record<string, unknown> {
    const file = path.join(SHARED, "upstream", "aws-load-balancer-controller", "iam-policy", `aws-${opts.version ?? "v2.13.0"}.json`);
    const document = JSON.parse(fs.readFileSync(file, "utf8")) as { Statement: Record<string, unknown>[] };
    if (!opts.withoutAddTagsOnCreate) return document;
    return {
        ...document,
        Statement: document.Statement.filter((s) => !JSON.stringify(s.Condition ?? {}).includes("elasticloadbalancing:CreateAction")),
    };
}
