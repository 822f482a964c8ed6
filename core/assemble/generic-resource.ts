/**
 * The common denominator of a resource as CrossGuard shows it to a policy (`PolicyResource`,
 * `ResourceValidationArgs`) and as the offline plan records it (`RecordedResource`): enough to
 * rebuild the IRSA wiring of a stack without depending on either runtime. The assembler only ever
 * reads these fields, so the policy pack and the plan see exactly the same snapshots.
 */

export interface GenericResource {
    urn: string;
    /** Type token, e.g. `aws:iam/role:Role`. */
    type: string;
    /** Logical name. */
    name: string;
    /** Inputs (per-resource analysis) or outputs (stack analysis); unknown values as `UnknownValue`. */
    props: Record<string, unknown>;
    /** URN of the parent resource. */
    parent?: string;
    /** URNs this resource depends on (explicit `dependsOn` and data flow). */
    dependencies?: readonly string[];
    /**
     * URN of the resource's explicit provider. For Kubernetes objects it says which cluster they
     * live in: two clusters can each have `kube-system/aws-load-balancer-controller`.
     */
    provider?: string;
}

/**
 * A value that is only known at update time (a preview's computed output). Front ends replace their
 * own markers (the engine's unknown sentinels) with this, so the assembler can leave the fact out
 * and say which property it could not read instead of mistaking the marker for data.
 */
export class UnknownValue {
    constructor(readonly kind: string = "value") {}
}

export function isUnknown(value: unknown): value is UnknownValue {
    return value instanceof UnknownValue;
}

/** A property the assembler could not use: unknown during preview, or not parseable. */
export interface PropertyNote {
    urn: string;
    /** Dotted property path, e.g. `metadata.annotations`. */
    property: string;
    /** The same path as keys (annotation keys hold dots, so the dotted form is for people only). */
    path: (string | number)[];
    /** Why it was left out. */
    message: string;
}
