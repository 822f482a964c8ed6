/**
 * Stack config resolution in-process: what the program is handed (Pulumi's string forms, secret
 * keys), which the CLI tests only see through the plan's output.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readProjectFile } from "../../plan/project-file";
import { SECURE_PLACEHOLDER, defaultStack, listStacks, resolveStackConfig } from "../../plan/stack-config";
import { MINI_PROJECT, copyProject, removeDir } from "./cli-runner";

const NAMESPACES = ["aws", "kubernetes", "pulumi"];

describe("stack config resolution", () => {
    it("hands the program strings, JSON for lists, a placeholder for encrypted values, and names the secret keys", () => {
        const resolved = resolveStackConfig(readProjectFile(MINI_PROJECT), "gov", NAMESPACES);
        assert.deepStrictEqual(resolved, {
            values: {
                "aws:region": "us-gov-west-1", "mini:clusterName": "demo-gov", "mini:enableShield": true, "mini:failInApply": false,
                "mini:licenseKey": "[secret]", "mini:replicas": 3, "mini:subnetTags": ["a", "b"],
            },
            runtimeValues: {
                "aws:region": "us-gov-west-1", "mini:clusterName": "demo-gov", "mini:enableShield": "true", "mini:failInApply": "false",
                "mini:licenseKey": SECURE_PLACEHOLDER, "mini:replicas": "3", "mini:subnetTags": '["a","b"]',
            },
            secretKeys: ["mini:licenseKey"],
        });
    });

    it("keeps a declared secret's project default secret", () => {
        assert.deepStrictEqual(resolveStackConfig(readProjectFile(MINI_PROJECT), "dev", NAMESPACES).secretKeys, ["mini:licenseKey"]);
    });

    it("lists stacks from the stack config dir, .yaml and .yml alike, and picks dev by default", () => {
        const dir = copyProject(MINI_PROJECT, {}, (project) => { project.stackConfigDir = "stacks"; });
        try {
            fs.mkdirSync(path.join(dir, "stacks"));
            for (const name of ["Pulumi.prod.yml", "Pulumi.dev.yaml", "Pulumi.bad name.yaml", "notes.yaml"]) {
                fs.writeFileSync(path.join(dir, "stacks", name), "config: {}\n");
            }
            const project = readProjectFile(dir);
            assert.deepStrictEqual({ stacks: listStacks(project), chosen: defaultStack(project) }, { stacks: ["dev", "prod"], chosen: "dev" });
            fs.rmSync(path.join(dir, "stacks", "Pulumi.dev.yaml"));
            assert.strictEqual(defaultStack(project), "prod", "the only stack left");
        } finally {
            removeDir(dir);
        }
    });

    it("asks for --stack when there are several stacks and no dev", () => {
        const dir = copyProject(MINI_PROJECT, { "Pulumi.a.yaml": "config: {}\n", "Pulumi.b.yaml": "config: {}\n" });
        try {
            assert.throws(() => defaultStack(readProjectFile(dir)), { name: "PlanInputError", message: "no stack given and no dev stack: pass --stack NAME (one of a, b)" });
        } finally {
            removeDir(dir);
        }
    });

    it("refuses a project file without a nodejs runtime", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-irsa-lbc-project-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: python\n");
            assert.throws(() => readProjectFile(dir), { name: "PlanInputError", message: 'Pulumi.yaml: runtime "python" is not supported: the offline plan runs nodejs programs only' });
        } finally {
            removeDir(dir);
        }
    });
});
