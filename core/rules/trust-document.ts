/**
 * The trust document as IAM judges it when the role is created: structure, the shape of Federated
 * principals, condition keys with exactly one colon, no leftover placeholders, and a provider that
 * exists before the role that names it. A document that fails here never reaches STS, so the other
 * trust rules stay silent about it.
 */
import type { Finding } from "../analysis";
import { childPath } from "../path";
import { issuerHostPath } from "../iam/web-identity";
import type { Wiring } from "../wiring";
import { finding } from "./finding";

/** Text that generators leave behind when they render before their values are known. */
const PLACEHOLDERS: readonly { pattern: RegExp; what: string; fix: string }[] = [
    { pattern: /Calling \[toString\] on an \[Output<T>\]/i, what: "a Pulumi Output rendered with toString()/JSON.stringify before it resolved", fix: "Build the document inside pulumi.all([...]).apply(...) or with pulumi.jsonStringify, so the provider ARN and issuer are resolved strings." },
    { pattern: /\[object Object\]/, what: "an object rendered as a string ([object Object])", fix: "Render the resolved string value, not the object that holds it." },
    { pattern: /\$\{Token\[/, what: "an unresolved CDK token", fix: "Let the CDK resolve the token (use the construct's attribute in the policy document, not a string concatenation)." },
    { pattern: /\$\{[^}]*\}|\{\{[^}]*\}\}/, what: "an unrendered template expression", fix: "Render the template (Terraform interpolation, Helm or Jinja) before the document is sent to IAM." },
    { pattern: /<[A-Za-z][A-Za-z0-9_ -]*>/, what: "a documentation placeholder such as <ACCOUNT_ID> or <OIDC_ID>", fix: "Replace every <...> placeholder with the real account id, region and OIDC id." },
    { pattern: /(^|[:/.])(undefined|null|None)([:/.]|$)/, what: "an undefined value rendered as text", fix: "Make sure every value the document is built from is defined before rendering it." },
];

const OIDC_PROVIDER_ARN = /^arn:([^:]*):iam::([^:]*):oidc-provider\/(.*)$/;
const SAML_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:saml-provider\/[\w+=,.@-]+$/;
const HOST_PATH = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(\/[A-Za-z0-9._~%-]+)*$/;

/** Every placeholder above holds one of these; most strings hold none and skip the patterns. */
const PLACEHOLDER_HINT = /[[${<]|undefined|null|None/;

function placeholderIn(text: string) {
    return PLACEHOLDER_HINT.test(text) ? PLACEHOLDERS.find((p) => p.pattern.test(text)) : undefined;
}

function countColons(text: string): number {
    let count = 0;
    for (let at = text.indexOf(":"); at >= 0; at = text.indexOf(":", at + 1)) count++;
    return count;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asList(value: unknown): unknown[] {
    return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/**
 * What an AWS principal may name (IAM resolves each when the document is stored): `*`, an account id,
 * or an account root, IAM user or role, or an STS assumed-role or federated-user session.
 */
const AWS_PRINCIPAL_ARN = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}|\*):(.*)$/;
const AWS_PRINCIPAL_RESOURCE: Readonly<Record<string, RegExp>> = {
    iam: /^(root|user\/.+|role\/.+)$/,
    sts: /^(assumed-role\/.+|federated-user\/.+)$/,
};

/** Why IAM refuses this AWS principal value; `undefined` when its shape is one IAM accepts. */
function awsPrincipalProblem(value: string, partition: string | undefined): { message: string; fix: string } | undefined {
    // A unique id (AROA..., AIDA...) is how IAM shows a principal that was deleted after the document was stored.
    if (value === "*" || /^\d{12}$/.test(value) || /^A[A-Z0-9]{15,127}$/.test(value)) return undefined;
    const match = AWS_PRINCIPAL_ARN.exec(value);
    if (match === null || !AWS_PRINCIPAL_RESOURCE[match[2]].test(match[4])) {
        const provider = /:(oidc-provider|saml-provider)\//.exec(value)?.[1];
        return {
            message: provider !== undefined
                ? `AWS principal "${value}" is an identity provider (${provider}) ARN, which IAM accepts only as a Federated principal; IAM refuses the document (Invalid principal in policy)`
                : `AWS principal "${value}" is not an account id or the ARN of an account root, user, role or role session; IAM refuses the document (Invalid principal in policy)`,
            fix: provider !== undefined
                ? `Write the principal as {"Federated": "${value}"}.`
                : "Name an account id, or the ARN of a user or role as IAM returns it.",
        };
    }
    if (partition !== undefined && match[1] !== partition) {
        return {
            message: `AWS principal "${value}" is in partition "${match[1]}" but the role is in "${partition}"; IAM refuses the document (Invalid principal in policy)`,
            fix: `Write the ARN with "arn:${partition}:".`,
        };
    }
    return undefined;
}

/** Why IAM refuses this Federated value; `undefined` when IAM accepts it. */
function federatedProblem(value: string, accountId: string | undefined, rolePartition: string | undefined): { message: string; fix: string } | undefined {
    const oidc = OIDC_PROVIDER_ARN.exec(value);
    if (oidc !== null) {
        const [, partition, account, rest] = oidc;
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) {
            const bare = rest.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
            return {
                message: `Federated principal "${value}" carries the issuer's scheme (${rest.split("//")[0]}//) inside the provider ARN; IAM refuses it`,
                fix: `Use the issuer without https:// in the ARN: "arn:${partition}:iam::${account}:oidc-provider/${bare}".`,
            };
        }
        if (!/^aws[a-z-]*$/.test(partition) || !/^\d{12}$/.test(account) || !HOST_PATH.test(rest)) {
            return {
                message: `Federated principal "${value}" is not a well-formed OIDC provider ARN (arn:<partition>:iam::<12-digit account>:oidc-provider/<issuer host/path>)`,
                fix: `Use the provider's ARN as IAM returns it${accountId !== undefined ? `, e.g. arn:aws:iam::${accountId}:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<OIDC id>` : ""}.`,
            };
        }
        if (rolePartition !== undefined && partition !== rolePartition) {
            return {
                message: `Federated principal "${value}" is an ARN of partition "${partition}" but the role is in "${rolePartition}"; IAM there finds no such provider and refuses the document (Federated principals must be valid domain names or SAML metadata ARNs)`,
                fix: `Build the provider ARN from the role's partition: "arn:${rolePartition}:iam::${account}:oidc-provider/${rest}".`,
            };
        }
        return undefined;
    }
    if (SAML_PROVIDER_ARN.test(value)) {
        const partition = value.split(":")[1];
        if (rolePartition !== undefined && partition !== rolePartition) {
            return {
                message: `Federated principal "${value}" is an ARN of partition "${partition}" but the role is in "${rolePartition}"; IAM refuses the document`,
                fix: `Write the provider ARN with "arn:${rolePartition}:".`,
            };
        }
        return undefined;
    }
    if (value.startsWith("arn:")) {
        const kind = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:([A-Za-z-]+)/.exec(value)?.[1] ?? "other";
        return {
            message: `Federated principal "${value}" is a${/^[aeiou]/i.test(kind) ? "n" : ""} ${kind} ARN, not an identity provider; IAM refuses it`,
            fix: "Pass the OIDC provider's ARN (the aws.iam.OpenIdConnectProvider's arn), not the cluster's or another role's ARN.",
        };
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
        return {
            message: `Federated principal "${value}" is a URL; IAM accepts only a provider ARN or a bare domain`,
            fix: "Use the OIDC provider's ARN (arn:<partition>:iam::<account>:oidc-provider/<issuer without https://>).",
        };
    }
    if (HOST_PATH.test(value)) return undefined; // IAM stores bare domains (Cognito, Google...); STS may never match them.
    return {
        message: `Federated principal "${value}" is neither a provider ARN nor a domain name; IAM refuses it`,
        fix: "Use the OIDC provider's ARN (arn:<partition>:iam::<account>:oidc-provider/<issuer without https://>).",
    };
}

export function trustDocumentFindings(wiring: Wiring): Finding[] {
    const read = wiring.trust;
    if (read === undefined) return [];
    const findings: Finding[] = read.problems.map((p) => finding(p.rule, p.path, p.message, p.fix));
    const document = wiring.snapshot.trustPolicy;
    const raw = isObject(document) ? document.Statement : undefined;
    const statementsRoot = "trustPolicy.Statement";
    let namesProvider = false;
    asList(raw).forEach((statement, index) => {
        if (!isObject(statement)) return;
        const path = Array.isArray(raw) ? `${statementsRoot}[${index}]` : statementsRoot;
        for (const field of ["Principal", "NotPrincipal"]) {
            const principal = statement[field];
            if (!isObject(principal)) continue;
            for (const [type, values] of Object.entries(principal)) {
                asList(values).forEach((value, i) => {
                    if (typeof value !== "string") return;
                    const valuePath = () => Array.isArray(values) ? childPath(childPath(childPath(path, field), type), i) : childPath(childPath(path, field), type);
                    const placeholder = placeholderIn(value);
                    if (placeholder !== undefined) {
                        findings.push(finding("trust-unresolved-placeholder", valuePath(),
                            `${type} principal "${value}" is ${placeholder.what}; IAM refuses it as a principal`, placeholder.fix));
                        return;
                    }
                    if (type === "AWS") {
                        const problem = awsPrincipalProblem(value, wiring.knownPartition);
                        if (problem !== undefined) findings.push(finding("trust-document-malformed", valuePath(), problem.message, problem.fix));
                        return;
                    }
                    if (type !== "Federated") return;
                    if (OIDC_PROVIDER_ARN.test(value)) namesProvider = true;
                    const problem = federatedProblem(value, wiring.snapshot.cluster?.accountId, wiring.knownPartition);
                    if (problem !== undefined) findings.push(finding("trust-federated-principal-malformed", valuePath(), problem.message, problem.fix));
                });
            }
        }
    });
    for (const entry of read.conditionEntries) {
        const key = entry.key;
        const placeholder = placeholderIn(key);
        if (placeholder !== undefined) {
            findings.push(finding("trust-unresolved-placeholder", entry.path,
                `condition key "${key}" holds ${placeholder.what}; it names no key of any provider`, placeholder.fix));
            continue;
        }
        const colons = countColons(key);
        if (colons === 0) {
            findings.push(finding("trust-condition-key-malformed", entry.path,
                `condition key "${key}" has no colon; every key IAM knows is prefixed (aws:, sts:, or the issuer's host/path for OIDC claims), and IAM refuses the document (Actions/Conditions must be prefaced by a vendor)`,
                `Write the key with its prefix, e.g. "${wiring.issuer !== undefined ? issuerHostPath(wiring.issuer) : "<issuer host/path>"}:${key}".`));
        } else if (colons > 1) {
            const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(key);
            findings.push(finding("trust-condition-key-malformed", entry.path, scheme !== null
                ? `condition key "${key}" carries the issuer's ${scheme[1]}:// scheme, giving it ${colons} colons; IAM allows one and refuses the document`
                : `condition key "${key}" has ${colons} colons; IAM allows exactly one (between the issuer host/path and the claim) and refuses the document`,
                `Write the key as "${key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")}"${scheme !== null ? " (issuer host and path, no scheme)" : ""}.`));
        }
    }
    const order = wiring.snapshot.creationOrder;
    if (namesProvider && order !== undefined) {
        const isProvider = (entry: string) => /oidc|provider/i.test(entry);
        const roleAt = order.findIndex((entry) => /role/i.test(entry) && !isProvider(entry) && !/polic|attach/i.test(entry));
        const providerAt = order.findIndex(isProvider);
        if (roleAt >= 0 && providerAt > roleAt) {
            findings.push(finding("trust-provider-created-after-role", "creationOrder",
                `the role ("${order[roleAt]}") is created before the OIDC provider ("${order[providerAt]}") its trust policy names; IAM validates the Federated principal at CreateRole and refuses it (Invalid principal in policy)`,
                "Derive the trust policy's Federated principal from the provider resource's arn output (or add dependsOn), so the provider is created first."));
        }
    }
    return findings;
}

/** Rules whose findings mean IAM never stored the document: STS's evaluation is meaningless then. */
export const DOCUMENT_REFUSED_RULES: ReadonlySet<string> = new Set([
    "trust-document-malformed",
    "trust-condition-key-malformed",
    "trust-federated-principal-malformed",
    "trust-unresolved-placeholder",
    "trust-provider-created-after-role",
]);
