/**
 * Runs components or the program under Pulumi's mock runtime with the project's cloud stand-ins and
 * records every registration exactly as the engine would receive it: type, name, parent, explicit
 * and data-flow dependencies, provider and inputs. The tests assert on these records, so they see
 * what `pulumi up` would send, not what the code meant to send.
 */
import * as pulumi from "@pulumi/pulumi";
import { cloudStandIns } from "../../plan/stand-ins";

export interface Registration {
    type: string;
    name: string;
    urn: string;
    custom: boolean;
    /** Parent URN; absent for top-level resources. */
    parent?: string;
    /** URNs the engine is told this resource depends on. */
    dependencies: string[];
    /** Provider reference (`<urn>::<id>`), when one applies. */
    provider?: string;
    /** `ignoreChanges` resource option. */
    ignoreChanges: string[];
    /** Inputs with secrets unwrapped. */
    inputs: Record<string, any>;
    /** Inputs that were marked secret (top-level keys). */
    secretInputs: string[];
}

export interface MockRunOptions {
    readonly region: string;
    /** @default "test" */
    readonly stack?: string;
    /** @default "eks-irsa-lbc" */
    readonly project?: string;
}

export interface MockRun {
    /** Every registration, in the order the engine received them. */
    readonly resources: Registration[];
    /** The one registration of `type` named `name`; fails when absent. */
    get(type: string, name: string): Registration;
    /** Registrations of one type. */
    ofType(type: string): Registration[];
    /** Waits until every registration sent so far has been answered. */
    settle(): Promise<void>;
}

/** Secrets arrive as `{ <sig>: <secret sig>, value }`; unwrap them and note which keys they were. */
function unwrapSecrets(value: any, found?: { secret: boolean }): any {
    if (Array.isArray(value)) {
        return value.map((item) => unwrapSecrets(item, found));
    }
    if (value !== null && typeof value === "object") {
        if (value[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
            if (found) {
                found.secret = true;
            }
            return unwrapSecrets(value.value, found);
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v, found)]));
    }
    return value;
}

/** Sets fresh mocks (with the project's stand-ins) and starts recording. */
export async function startMockRun(opts: MockRunOptions): Promise<MockRun> {
    const stack = opts.stack ?? "test";
    const project = opts.project ?? "eks-irsa-lbc";
    await pulumi.runtime.setMocks(cloudStandIns({ region: opts.region, stack, project }), project, stack, false);
    const monitor: any = (pulumi.runtime as any).getMonitor();
    const resources: Registration[] = [];
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        original(req, (err: any, resp: any) => {
            if (!err) {
                const raw = pulumi.runtime.deserializeProperties(req.getObject());
                const inputs: Record<string, any> = {};
                const secretInputs: string[] = [];
                for (const [key, value] of Object.entries(raw)) {
                    const found = { secret: false };
                    inputs[key] = unwrapSecrets(value, found);
                    if (found.secret) {
                        secretInputs.push(key);
                    }
                }
                const propertyDependencies: string[] = [];
                req.getPropertydependenciesMap().forEach((deps: any) => propertyDependencies.push(...deps.getUrnsList()));
                resources.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn: resp.getUrn(),
                    custom: req.getCustom(),
                    parent: req.getParent() || undefined,
                    dependencies: [...new Set([...req.getDependenciesList(), ...propertyDependencies])].sort(),
                    provider: req.getProvider() || undefined,
                    ignoreChanges: req.getIgnorechangesList(),
                    inputs,
                    secretInputs: secretInputs.sort(),
                });
            }
            callback(err, resp);
        });
    };
    const settle = async () => {
        // The runtime tracks every outstanding RPC; drain it twice, since answers can trigger more.
        await (pulumi.runtime as any).waitForRPCs();
        await new Promise((resolve) => setImmediate(resolve));
        await (pulumi.runtime as any).waitForRPCs();
    };
    return {
        resources,
        get(type, name) {
            const matches = resources.filter((r) => r.type === type && r.name === name);
            if (matches.length !== 1) {
                throw new Error(`expected one ${type} named ${name}, found ${matches.length}; registered: ${resources.map((r) => `${r.type} ${r.name}`).join(", ")}`);
            }
            return matches[0];
        },
        ofType(type) {
            return resources.filter((r) => r.type === type);
        },
        settle,
    };
}

/** The value of an output, for assertions (fails on unknown values). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => { resolve(value); return value; }));
}

/** The value of an output as a promise that also rejects when the output failed (e.g. a throwing apply). */
export function settledValueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as any).promise() as Promise<T>;
}

/** Whether an output is marked secret. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
    return (output as any).isSecret as Promise<boolean>;
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, as the mock monitor forms it. */
export function urnOf(run: MockRun, type: string, name: string): string {
    return run.get(type, name).urn;
}
