/**
 * Builds the exact upstream IAM policy of one controller release in one partition from the
 * newest statement set and the history of what older releases lacked. The components attach
 * this document to the controller's role; the gap check reads the same data.
 */
import { arnPrefix, isPartition, Partition, PARTITIONS } from "../partition";
import { IamPolicy, IamStatement, NEWEST_STATEMENTS, StatementKey, StatementTemplate } from "./newest-statements";
import { additionSince, addTagsOnCreateComesFirst, POLICY_ADDITIONS } from "./policy-history";
import { compareControllerVersions, requireKnownControllerVersion } from "./versions";

function requirePartition(partition: string): Partition {
    if (!isPartition(partition)) {
        throw new Error(`partition: "${String(partition)}" is not a partition; allowed: ${PARTITIONS.join(", ")}`);
    }
    return partition;
}

function isBefore(version: string, since: string): boolean {
    return compareControllerVersions(version, since) < 0;
}

/** The statements (with their actions) that release `version` has in `partition`, in upstream order. */
export function controllerStatementTemplates(controllerVersion: string, partition: Partition): StatementTemplate[] {
    const version = requireKnownControllerVersion(controllerVersion);
    const target = requirePartition(partition);
    const missingStatements = new Set<StatementKey>();
    const missingActions = new Set<string>();
    for (const addition of POLICY_ADDITIONS) {
        if (!isBefore(version, additionSince(addition, target))) {
            continue;
        }
        if (addition.statement) {
            missingStatements.add(addition.statement);
        }
        for (const name of addition.actions?.names ?? []) {
            missingActions.add(`${addition.actions!.statement} ${name}`);
        }
    }
    const templates = NEWEST_STATEMENTS
        .filter((template) => !missingStatements.has(template.key))
        .map((template) => ({
            ...template,
            actions: template.actions.filter((action) => !missingActions.has(`${template.key} ${action}`)),
        }));
    if (addTagsOnCreateComesFirst(target, isBefore(version, "v2.5.0"))) {
        const onCreate = templates.findIndex((template) => template.key === "add-tags-on-create");
        const modify = templates.findIndex((template) => template.key === "modify-own-load-balancers-and-target-groups");
        if (onCreate > modify && modify >= 0) {
            const [moved] = templates.splice(onCreate, 1);
            templates.splice(modify, 0, moved);
        }
    }
    return templates;
}

function render(template: StatementTemplate, arn: string): IamStatement {
    const statement: IamStatement = {
        Effect: "Allow",
        Action: [...template.actions],
        Resource: template.resource(arn),
    };
    if (template.condition) {
        // A deep copy: callers may edit the document they get without touching the shared data.
        statement.Condition = JSON.parse(JSON.stringify(template.condition));
    }
    return statement;
}

/**
 * The upstream permission set of controller release `controllerVersion` (with or without "v") in
 * `partition`, as a fresh IAM policy document. Throws for an unknown release or partition.
 */
export function controllerPolicyDocument(controllerVersion: string, partition: Partition): IamPolicy {
    const arn = arnPrefix(requirePartition(partition));
    return {
        Version: "2012-10-17",
        Statement: controllerStatementTemplates(controllerVersion, partition).map((template) => render(template, arn)),
    };
}
