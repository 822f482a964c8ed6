/**
 * Which resource is at fault for a finding: every finding names a snapshot path, every top-level
 * snapshot field was read from one resource, so the path's first segment leads to the resource the
 * user must change. Findings are reported on that resource, not on the stack.
 */

/** A link of the wiring, named after the kind of resource that carries it. */
export type WiringPart =
    | "role"
    | "oidcProvider"
    | "serviceAccount"
    | "helmRelease"
    | "controllerPolicy"
    | "nodeMetadata"
    | "cluster"
    | "podIdentityAssociation"
    | "subnets"
    | "loadBalancer";

const PART_OF_FIELD: Readonly<Record<string, WiringPart>> = Object.freeze({
    trustPolicy: "role",
    creationOrder: "role",
    intendedSubjects: "role",
    oidcProvider: "oidcProvider",
    serviceAccount: "serviceAccount",
    helmRelease: "helmRelease",
    helmValues: "helmRelease",
    controllerPolicy: "controllerPolicy",
    nodeMetadataOptions: "nodeMetadata",
    cluster: "cluster",
    podIdentityAssociation: "podIdentityAssociation",
    subnets: "subnets",
    loadBalancer: "loadBalancer",
});

/** The part a finding path belongs to (`serviceAccount.roleArnAnnotation` → `serviceAccount`). */
export function partOfPath(path: string): WiringPart | undefined {
    const field = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(path)?.[0];
    return field === undefined ? undefined : PART_OF_FIELD[field];
}

/**
 * The URN of the resource at fault, falling back to the role (every wiring has one, and the role's
 * trust is what the chain exists for) when the part came from outside the stack or from no resource.
 */
export function faultUrn(owners: Partial<Record<WiringPart, string>>, roleUrn: string, path: string): string {
    const part = partOfPath(path);
    return (part && owners[part]) || roleUrn;
}
