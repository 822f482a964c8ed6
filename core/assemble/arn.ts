/**
 * The few ARN shapes the assembler links resources by: role ARNs (annotation ↔ role), OIDC provider
 * ARNs (trust principal ↔ provider) and any ARN's account and partition. Parsing is lenient: a
 * string that is not an ARN simply yields nothing, and the analysis core judges it.
 */

export interface ArnParts {
    partition: string;
    service: string;
    region: string;
    account: string;
    resource: string;
}

export function parseArn(value: string | undefined): ArnParts | undefined {
    if (typeof value !== "string") return undefined;
    const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(value.trim());
    if (!m) return undefined;
    return { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] };
}

/** The role name of `arn:<partition>:iam::<account>:role/<path><name>`. */
export function roleNameOfArn(value: string | undefined): string | undefined {
    const arn = parseArn(value);
    if (!arn || arn.service !== "iam" || !arn.resource.startsWith("role/")) return undefined;
    return arn.resource.slice(arn.resource.lastIndexOf("/") + 1);
}

/** The issuer host/path of `arn:<partition>:iam::<account>:oidc-provider/<host/path>`. */
export function providerHostPathOfArn(value: string | undefined): string | undefined {
    const arn = parseArn(value);
    if (!arn || arn.service !== "iam" || !arn.resource.startsWith("oidc-provider/")) return undefined;
    return arn.resource.slice("oidc-provider/".length);
}

/**
 * An issuer reduced for linking resources: no scheme, no trailing slash. Deliberately more lenient
 * than IAM (for which a trailing slash is another issuer): the provider is still found, and the
 * core, which sees its URL as written, judges the slash.
 */
export function hostPath(url: string): string {
    return url.trim().replace(/^https:\/\//i, "").replace(/\/+$/, "");
}

/** The region in an EKS issuer host (`oidc.eks.<region>.amazonaws.com[.cn]`). */
export function regionOfIssuer(issuer: string | undefined): string | undefined {
    if (!issuer) return undefined;
    return /^oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\//.exec(hostPath(issuer))?.[1];
}
