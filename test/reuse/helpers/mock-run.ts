/**
 * Runs one Pulumi program (a consumer's compiled `index.js`) under Pulumi's mock runtime with the
 * project's cloud stand-ins, and writes every resource it registered to a JSON file.
 *
 * It is a separate Node process on purpose: Pulumi's runtime keeps its mocks, config and root
 * resource in module state, and a consumer program registers its resources at import time, so two
 * programs (or a program and mocha's other specs) must never share a process. The parent passes the
 * stack's config in `PULUMI_CONFIG`, exactly as the Pulumi CLI does.
 *
 * Usage: node mock-run.js <request.json>
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { cloudStandIns } from "../../../plan/stand-ins";

/** What the parent asks for; written to a file so that no value needs shell quoting. */
export interface MockRunRequest {
    /** Absolute path of the program's entry module (compiled JavaScript). */
    readonly program: string;
    readonly project: string;
    readonly stack: string;
    /** Region the stand-ins answer for; it decides the partition of every ARN they make up. */
    readonly region: string;
    /** Where to write the {@link MockRunResult}. */
    readonly output: string;
    /**
     * Outputs of the stacks the program reads through `pulumi.StackReference`, by stack name: what
     * the Pulumi service would answer for a stack deployed elsewhere.
     */
    readonly stackReferences?: Record<string, Record<string, unknown>>;
}

/** One registration as the mock monitor saw it. */
export interface MockRegistration {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** Inputs after Pulumi resolved them (plain JSON). */
    readonly inputs: Record<string, unknown>;
}

export interface MockRunResult {
    readonly resources: MockRegistration[];
    /** Tokens of the functions (invokes) the program called, in call order. */
    readonly calls: string[];
    /** The program module's exports that are plain values or Outputs, resolved (the stack outputs). */
    readonly outputs: Record<string, unknown>;
}

async function main(requestPath: string): Promise<void> {
    const request = JSON.parse(fs.readFileSync(requestPath, "utf8")) as MockRunRequest;
    const standIns = cloudStandIns({ region: request.region, stack: request.stack, project: request.project });
    const resources: MockRegistration[] = [];
    const calls: string[] = [];
    await pulumi.runtime.setMocks({
        newResource(args) {
            resources.push({ type: args.type, name: args.name, custom: args.custom !== false, inputs: args.inputs ?? {} });
            if (args.type === "pulumi:pulumi:StackReference") {
                const stackName = String(args.inputs?.name ?? args.name);
                const outputs = request.stackReferences?.[stackName];
                if (!outputs) {
                    throw new Error(`mock-run: the program references stack ${stackName}, which the test did not describe`);
                }
                return { id: stackName, state: { name: stackName, outputs, secretOutputNames: [] } };
            }
            return standIns.newResource(args);
        },
        call(args) {
            calls.push(args.token);
            return standIns.call(args);
        },
    }, request.project, request.stack, false);

    // A program may export a promise of its outputs (Pulumi's Node host awaits it the same way).
    const exported: Record<string, unknown> = await Promise.resolve(require(request.program));
    // Resolving the exports also waits for the registrations they depend on; the process then ends
    // when the mock runtime has nothing left in flight.
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(exported)) {
        if (typeof value === "function") {
            continue;
        }
        const output: pulumi.Output<unknown> = pulumi.output(value as pulumi.Input<unknown>);
        outputs[key] = await new Promise((resolve) => output.apply((v) => resolve(v)));
    }
    process.once("beforeExit", () => {
        const result: MockRunResult = { resources, calls, outputs };
        fs.writeFileSync(request.output, JSON.stringify(result, null, 2));
    });
}

const failed = (err: unknown) => {
    process.stderr.write(`mock-run: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
};
process.on("unhandledRejection", failed);
process.on("uncaughtException", failed);
main(process.argv[2]).catch(failed);
