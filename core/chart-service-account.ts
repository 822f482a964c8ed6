/**
 * The service account the aws-load-balancer-controller chart makes its pods run as, computed the way
 * the chart's templates do (upstream SOURCE.md): `create=false` and no name runs them as `default`;
 * `create=true` and no name uses the chart's full name, which comes from the release name. This is
 * the account whose name ends up in the token's `sub`, whatever the author believed it to be.
 */

export const CHART_NAME = "aws-load-balancer-controller";
export const ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";
export const AUDIENCE_ANNOTATION = "eks.amazonaws.com/audience";

export interface ChartServiceAccount {
    /** `serviceAccount.create` as the chart reads it (default `true`). */
    readonly create: boolean;
    /** The name the pods run as; `undefined` when it depends on a release name we were not told. */
    readonly name?: string;
    /** Where the name comes from. */
    readonly origin: "value" | "default-account" | "generated";
    /** `serviceAccount.annotations` (used only when the chart creates the account). */
    readonly annotations: Readonly<Record<string, unknown>>;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Helm's `trunc 63 | trimSuffix "-"`. */
function dnsLabel(name: string): string {
    return name.slice(0, 63).replace(/-$/, "");
}

/** The chart's `fullname` helper. */
export function chartFullName(values: Readonly<Record<string, unknown>>, releaseName: string | undefined): string | undefined {
    const override = values.fullnameOverride;
    if (typeof override === "string" && override !== "") return dnsLabel(override);
    if (releaseName === undefined) return undefined;
    const nameOverride = values.nameOverride;
    const name = typeof nameOverride === "string" && nameOverride !== "" ? nameOverride : CHART_NAME;
    return dnsLabel(releaseName.includes(name) ? releaseName : `${releaseName}-${name}`);
}

export function chartServiceAccount(values: Readonly<Record<string, unknown>>, releaseName: string | undefined): ChartServiceAccount {
    const settings = isObject(values.serviceAccount) ? values.serviceAccount : {};
    const create = settings.create !== false;
    const annotations = isObject(settings.annotations) ? settings.annotations : {};
    const explicit = typeof settings.name === "string" && settings.name !== "" ? settings.name : undefined;
    if (explicit !== undefined) return { create, name: explicit, origin: "value", annotations };
    if (!create) return { create, name: "default", origin: "default-account", annotations };
    return { create, name: chartFullName(values, releaseName), origin: "generated", annotations };
}
