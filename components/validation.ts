/**
 * Argument checks shared by the components. Bad input must fail before any resource is registered,
 * with one error that lists every problem, each naming the argument, the bad value and what is
 * allowed, so that one `pulumi up` (or one offline plan) shows everything to fix at once.
 */
import { KNOWN_REGIONS, partitionOfRegion } from "../core/partition";
import { dnsSuffixOf } from "./dns-suffix";
import { DEFAULT_CONTROLLER_VERSION, SUPPORTED_CONTROLLER_VERSIONS } from "../core/controller-policy";

/** Every problem with a component's arguments. The offline plan prints `problems` as one line. */
export class InvalidArgumentsError extends Error {
    readonly component: string;
    readonly resourceName: string;
    readonly problems: string[];

    constructor(component: string, resourceName: string, problems: string[]) {
        super(`invalid arguments for ${component} "${resourceName}": ${problems.join("; ")}`);
        this.name = "InvalidArgumentsError";
        this.component = component;
        this.resourceName = resourceName;
        this.problems = [...problems];
    }
}

/** One rule an argument must satisfy: `allowed` is the sentence the user reads when it does not. */
export interface Rule {
    readonly allowed: string;
    test(value: unknown): boolean;
}

/** Collects problems in argument order; `throwIfAny` turns them into one InvalidArgumentsError. */
export class Problems {
    private readonly items: string[] = [];

    /**
     * Records `<path>: <value as JSON> is not valid: <allowed>`, or `<path> is not set: <allowed>`
     * for `undefined`: "undefined is not valid" would read as if the user had typed "undefined".
     */
    add(path: string, value: unknown, allowed: string): void {
        this.items.push(value === undefined ? `${path} is not set: ${allowed}` : `${path}: ${describeValue(value)} is not valid: ${allowed}`);
    }

    /** Records a problem line built elsewhere (same `<path>: <value> is not valid: ...` form). */
    addLine(problem: string): void {
        this.items.push(problem);
    }

    /** Checks `value` against `rule`; returns whether it passed. */
    check(path: string, value: unknown, rule: Rule): boolean {
        if (rule.test(value)) {
            return true;
        }
        this.add(path, value, rule.allowed);
        return false;
    }

    get list(): readonly string[] {
        return this.items;
    }

    throwIfAny(component: string, resourceName: string): void {
        if (this.items.length > 0) {
            throw new InvalidArgumentsError(component, resourceName, this.items);
        }
    }
}

/** JSON keeps strings quoted (so `""` and `" x"` are visible); `undefined` has no JSON form. */
export function describeValue(value: unknown): string {
    if (value === undefined) {
        return "undefined";
    }
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

function patternRule(pattern: RegExp, allowed: string, maxLength = Infinity): Rule {
    return { allowed, test: (value) => typeof value === "string" && value.length <= maxLength && pattern.test(value) };
}

/** EKS `CreateCluster` name constraint. */
export const clusterNameRule = patternRule(
    /^[0-9A-Za-z][A-Za-z0-9_-]*$/,
    "1 to 100 characters: a letter or digit, then letters, digits, \"-\" or \"_\"",
    100,
);

/** Kubernetes namespaces are DNS-1123 labels. */
export const namespaceRule = patternRule(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "a DNS-1123 label: 1 to 63 lower-case letters, digits or \"-\", starting and ending with a letter or digit",
    63,
);

/** Kubernetes object names such as service accounts are DNS-1123 subdomains. */
export const serviceAccountNameRule = patternRule(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    "a DNS-1123 subdomain: 1 to 253 lower-case letters, digits, \"-\" or \".\", starting and ending with a letter or digit",
    253,
);

export const regionRule: Rule = {
    allowed: `a region of a known partition (aws, aws-cn, aws-us-gov): ${KNOWN_REGIONS.join(", ")}`,
    test: (value) => typeof value === "string" && partitionOfRegion(value) !== undefined,
};

/** Both the old 8-digit and the current 17-digit VPC ids. */
export const vpcIdRule = patternRule(/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/, "\"vpc-\" followed by 8 or 17 lower-case hex digits");

/**
 * The release tag for a controller version as users write it: `3.5.0` and `v3.5.0` both mean the
 * tag `v3.5.0` (the image tag needs the `v`); `undefined` means the default. Anything else is
 * returned unchanged for the rule below to refuse.
 */
export function controllerVersionTag(version: string | undefined): string {
    if (version === undefined) {
        return DEFAULT_CONTROLLER_VERSION;
    }
    const match = typeof version === "string" ? /^v?(\d+\.\d+\.\d+)$/.exec(version) : null;
    return match ? `v${match[1]}` : version;
}

export const controllerVersionRule: Rule = {
    allowed: `a supported AWS Load Balancer Controller release, with or without the leading "v" (default ${DEFAULT_CONTROLLER_VERSION}): ${SUPPORTED_CONTROLLER_VERSIONS.join(", ")}`,
    test: (value) => typeof value === "string" && SUPPORTED_CONTROLLER_VERSIONS.includes(controllerVersionTag(value)),
};

/** IAM `Path`: `/` alone or `/.../` of printable ASCII, at most 512 characters. */
export const rolePathRule = patternRule(
    /^\/([\x21-\x7E]*\/)?$/,
    "an IAM path: \"/\" or a string that starts and ends with \"/\" (printable ASCII, no spaces, at most 512 characters)",
    512,
);

/** IAM role names (the path is separate). */
export const roleNameRule = patternRule(/^[\w+=,.@-]+$/, "1 to 64 characters: letters, digits or + = , . @ _ -", 64);

/** Managed or customer policy ARN, any of the three partitions. */
export const policyArnRule = patternRule(
    /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/.+$/,
    "an IAM policy ARN: arn:<partition>:iam::<account id or \"aws\">:policy/<path><name>",
);

export const oidcProviderArnRule = patternRule(
    /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:oidc-provider\/[^\s/]+(\/[^\s/]+)*$/,
    "an IAM OIDC provider ARN: arn:<partition>:iam::<account id>:oidc-provider/<issuer host and path>",
);

export const positiveIntegerRule: Rule = {
    allowed: "an integer of at least 1",
    test: (value) => Number.isInteger(value) && (value as number) >= 1,
};

export const nonNegativeIntegerRule: Rule = {
    allowed: "an integer of at least 0",
    test: (value) => Number.isInteger(value) && (value as number) >= 0,
};

/**
 * EKS's default service quota "Nodes per managed node group" (450). AWS raises it on request, but
 * a component cannot see the account's quota: without a bound, a typo such as an extra digit (or a
 * number too large to be exact) reaches CreateNodegroup and fails only there, after the cluster.
 */
export const MAX_NODES_PER_MANAGED_NODE_GROUP = 450;

export const nodeCountLimitRule: Rule = {
    allowed: `at most ${MAX_NODES_PER_MANAGED_NODE_GROUP}, the EKS service quota "Nodes per managed node group" (its default)`,
    test: (value) => typeof value === "number" && value <= MAX_NODES_PER_MANAGED_NODE_GROUP,
};

/** `1.35`: EKS takes the minor version only. */
export const kubernetesVersionRule = patternRule(/^1\.\d{2}$/, "a Kubernetes minor version that EKS accepts, such as \"1.35\"");

/** EC2 instance type names (`m7i.large`, `c6gn.16xlarge`, `u-6tb1.metal`). */
export const instanceTypeRule = patternRule(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, "an EC2 instance type such as \"t3.medium\"");

/** Whether a value is a plain string, i.e. known now (not a Pulumi Output or Promise). */
export function isPlainString(value: unknown): value is string {
    return typeof value === "string";
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * The cluster's OIDC issuer. By default it must have the shape EKS gives issuers in `region`
 * (China regions use `amazonaws.com.cn`), which catches an issuer copied from another cluster's
 * region or a URL pasted without `https://`. `allowNonEksIssuer` accepts any https issuer, for
 * self-managed clusters that publish their own discovery documents.
 */
export function issuerUrlRule(region: string | undefined, allowNonEksIssuer: boolean): Rule {
    if (allowNonEksIssuer) {
        // IAM and STS compare the provider's URL with the token's `iss` claim as strings, so
        // `https://issuer.example.com/` does not match tokens issued by `https://issuer.example.com`
        // (and the plan's own policy then refuses the chain): no trailing slash, no empty segment.
        return patternRule(
            /^https:\/\/[^\s/?#:@]+(\/[^\s/?#]+)*$/,
            "an https URL equal to the \"iss\" claim of the cluster's tokens exactly: no trailing slash, port, query or fragment, e.g. https://issuer.example.com/cluster",
        );
    }
    const partition = region === undefined ? undefined : partitionOfRegion(region);
    if (partition === undefined) {
        return patternRule(
            /^https:\/\/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[0-9A-Z]{32}$/,
            "an EKS issuer https://oidc.eks.<region>.amazonaws.com/id/<32 upper-case letters or digits> (set allowNonEksIssuer to accept any https issuer)",
        );
    }
    const suffix = dnsSuffixOf(partition);
    const escaped = `oidc.eks.${region}.${suffix}`.replace(/\./g, "\\.");
    return patternRule(
        new RegExp(`^https://${escaped}/id/[0-9A-Z]{32}$`),
        `an EKS issuer of region ${region}: https://oidc.eks.${region}.${suffix}/id/<32 upper-case letters or digits> (set allowNonEksIssuer to accept any https issuer)`,
    );
}
