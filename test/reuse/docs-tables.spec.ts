/**
 * The README's args and outputs tables are generated from the components' JSDoc: this fails when the
 * committed README differs from what `npm run docs` would write, and pins down what the generator
 * reads (JSDoc, `@default`, optionality, types, nested types, type tokens) on a small component.
 */
import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { collectComponents, renderTables, TABLES_END, TABLES_START, withTables } from "../../scripts/docs-tables";
import { consumerWorkspace, REPO_ROOT } from "./helpers/example-projects";

const FIXTURE = `
import * as pulumi from "@pulumi/pulumi";

export const WIDGET_TYPE = "demo:index:Widget";

/** Where a widget lives. */
export interface Placement {
    /** The shelf | rack. */
    readonly shelf: string;
    readonly slot?: number;
}

export interface WidgetArgs {
    /** Name of the widget. */
    readonly name: pulumi.Input<string>;
    /**
     * How many to make.
     * @default 2
     */
    readonly count?: number;
    /**
     * Where to put it.
     * @default on the floor
     */
    readonly placement?: Placement;
}

/** A widget, for the generator's own test. */
export class Widget extends pulumi.ComponentResource {
    /** ARN of the widget. */
    public readonly arn: pulumi.Output<string>;
    public readonly undocumented: pulumi.Output<number>;
    private readonly secret = 1;

    constructor(name: string, args: WidgetArgs, opts?: pulumi.ComponentResourceOptions) {
        super(WIDGET_TYPE, name, {}, opts);
        this.arn = pulumi.output(String(args.name));
        this.undocumented = pulumi.output(this.secret);
    }
}

/** Not a component: left out. */
export class Helper {}
`;

describe("README args and outputs tables (scripts/docs-tables.ts)", () => {
    it("README.md holds exactly what `npm run docs` generates from the components (`docs-tables --check`)", function () {
        this.timeout(180_000);
        const run = childProcess.spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "scripts", "docs-tables.js"), "--check"], { encoding: "utf8" });
        // On a stale README the script exits 1 and says: run `npm run docs`.
        assert.deepStrictEqual({ status: run.status, stderr: run.stderr }, { status: 0, stderr: "" });
    });

    it("renders JSDoc, @default, optionality, written types, nested project types and the type token", function () {
        this.timeout(120_000);
        const workspace = consumerWorkspace("eks-irsa-lbc-docs-");
        try {
            fs.mkdirSync(path.join(workspace, "components"));
            fs.writeFileSync(path.join(workspace, "components", "widget.ts"), FIXTURE);
            fs.writeFileSync(path.join(workspace, "components", "index.ts"), `export * from "./widget";\n`);
            const tables = renderTables(collectComponents(workspace));
            assert.strictEqual(
                tables,
                [
                    "#### `Widget` (`demo:index:Widget`)",
                    "",
                    "A widget, for the generator's own test.",
                    "",
                    "Args (`WidgetArgs`):",
                    "",
                    "| Name | Type | Required | Default | Description |",
                    "| --- | --- | --- | --- | --- |",
                    "| `name` | `pulumi.Input<string>` | yes |  | Name of the widget. |",
                    "| `count` | `number` | no | `2` | How many to make. |",
                    "| `placement` | `Placement` | no | on the floor | Where to put it. |",
                    "",
                    "`Placement`:",
                    "",
                    "| Name | Type | Required | Default | Description |",
                    "| --- | --- | --- | --- | --- |",
                    "| `shelf` | `string` | yes |  | The shelf \\| rack. |",
                    "| `slot` | `number` | no |  |  |",
                    "",
                    "Outputs:",
                    "",
                    "| Name | Type | Description |",
                    "| --- | --- | --- |",
                    "| `arn` | `pulumi.Output<string>` | ARN of the widget. |",
                    "| `undocumented` | `pulumi.Output<number>` |  |",
                    "",
                ].join("\n"),
            );
        } finally {
            fs.rmSync(workspace, { recursive: true, force: true });
        }
    });

    it("refuses an argument without JSDoc, naming it", function () {
        this.timeout(120_000);
        const workspace = consumerWorkspace("eks-irsa-lbc-docs-");
        try {
            fs.mkdirSync(path.join(workspace, "components"));
            fs.writeFileSync(path.join(workspace, "components", "widget.ts"), FIXTURE.replace("    /** Name of the widget. */\n", ""));
            fs.writeFileSync(path.join(workspace, "components", "index.ts"), `export * from "./widget";\n`);
            assert.throws(() => collectComponents(workspace), {
                message: "docs-tables: WidgetArgs.name has no JSDoc; every argument needs a sentence saying what it is",
            });
        } finally {
            fs.rmSync(workspace, { recursive: true, force: true });
        }
    });

    it("replaces only the block between the markers, and refuses a README without them", () => {
        const readme = `# x\n\nbefore\n${TABLES_START}\n\nold tables\n${TABLES_END}\nafter\n`;
        assert.strictEqual(withTables(readme, "new tables\n"), `# x\n\nbefore\n${TABLES_START}\n\nnew tables\n\n${TABLES_END}\nafter\n`);
        // A stale block is detected: the rewrite differs from what is there.
        assert.notStrictEqual(withTables(readme, "new tables\n"), readme);
        assert.throws(() => withTables("# x\n", "t"), {
            message: `docs-tables: README.md must contain the line ${TABLES_START} followed later by ${TABLES_END}`,
        });
    });
});
