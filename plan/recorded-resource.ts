/**
 * One resource as the offline plan saw it registered under Pulumi's mock runtime. The plan prints
 * these, the policy-pack client sends them to the pack over the Analyzer protocol, and the analysis
 * core assembles a wiring snapshot from them.
 */
export interface RecordedResource {
    urn: string;
    /** Type token, e.g. `aws:iam/role:Role`. */
    type: string;
    name: string;
    /** `false` for component resources. */
    custom: boolean;
    /** URN of the parent resource; absent for the stack's direct children. */
    parent?: string;
    /** URNs this resource depends on (explicit `dependsOn` and data flow). */
    dependencies: string[];
    /** URN of the explicit provider resource, when one was passed. */
    provider?: string;
    /** Inputs as registered, plain JSON (secrets unwrapped, unknowns as `undefined`). */
    inputs: Record<string, unknown>;
    /** Outputs as the stand-ins returned them. */
    outputs: Record<string, unknown>;
    id?: string;
}
