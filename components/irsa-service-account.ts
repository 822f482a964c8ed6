/**
 * What `eksctl create iamserviceaccount` does, as a component: an IAM role that only the named
 * Kubernetes service accounts can assume through the cluster's OIDC provider, the policies attached
 * to it, and the ServiceAccounts annotated with the role's ARN. Keeping the three together means the
 * trust policy, the annotation and the account can never name different things.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { ROLE_ARN_ANNOTATION } from "./controller-values";
import { issuerHostPath, webIdentityTrustPolicy, type ServiceAccountRef } from "./trust-policy";
import {
    describeValue,
    isPlainString,
    namespaceRule,
    oidcProviderArnRule,
    policyArnRule,
    Problems,
    roleNameRule,
    rolePathRule,
    serviceAccountNameRule,
} from "./validation";

export const IRSA_SERVICE_ACCOUNT_TYPE = "eks-irsa-lbc:index:IrsaServiceAccount";

export interface IrsaServiceAccountArgs {
    // Only types Pulumi's schema inference accepts (for use from other languages): no readonly arrays,
    // no `unknown`, no unions. test/reuse/schema.spec.ts fails otherwise.
    /** ARN of the cluster's IAM OIDC provider: the role's Federated principal. */
    readonly oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer, with or without `https://` (condition keys never carry the scheme). */
    readonly oidcIssuer: pulumi.Input<string>;
    /**
     * The service accounts that may assume the role (each `{ namespace, name }`), at least one. All of
     * them go into one `StringEquals` `:sub` value list, and each is created annotated with the role.
     */
    readonly serviceAccounts: ServiceAccountRef[];
    /**
     * ARNs of the IAM policies to attach to the role.
     * @default []
     */
    readonly policyArns?: pulumi.Input<string>[];
    /**
     * Name of the IAM role.
     * @default an auto-generated name: the resource name `<name>-role` plus a random suffix
     */
    readonly roleName?: string;
    /**
     * IAM path of the role.
     * @default "/"
     */
    readonly rolePath?: string;
    /**
     * ARN of a managed policy to use as the role's permissions boundary.
     * @default no permissions boundary
     */
    readonly permissionsBoundary?: pulumi.Input<string>;
    /**
     * Tags for the IAM role.
     * @default {}
     */
    readonly tags?: Readonly<Record<string, string>>;
}

/** The problems with IrsaServiceAccount arguments (plain values only; outputs are trusted). */
export function irsaServiceAccountProblems(args: IrsaServiceAccountArgs, problems: Problems): void {
    serviceAccountListProblems(args.serviceAccounts, problems);
    irsaRoleProblems(args, problems);
}

/** The role's arguments, shared with the components that build an IrsaServiceAccount. */
export type IrsaRoleArgs = Pick<IrsaServiceAccountArgs, "oidcProviderArn" | "oidcIssuer" | "policyArns" | "roleName" | "rolePath" | "permissionsBoundary">;

function serviceAccountListProblems(accounts: unknown, problems: Problems): void {
    const prefix = "";
    if (!Array.isArray(accounts) || accounts.length === 0) {
        problems.add(`${prefix}serviceAccounts`, accounts, "a list of at least one { namespace, name }");
    } else {
        const seen = new Set<string>();
        accounts.forEach((account: unknown, index: number) => {
            const path = `${prefix}serviceAccounts[${index}]`;
            if (typeof account !== "object" || account === null) {
                problems.add(path, account, "an object { namespace, name }");
                return;
            }
            const { namespace, name } = account as Partial<ServiceAccountRef>;
            const namespaceOk = problems.check(`${path}.namespace`, namespace, namespaceRule);
            const nameOk = problems.check(`${path}.name`, name, serviceAccountNameRule);
            const key = `${namespace}/${name}`;
            if (namespaceOk && nameOk && seen.has(key)) {
                problems.add(path, account, `each service account once; ${key} is listed twice`);
            }
            seen.add(key);
        });
    }
}

/** Problems with the role's arguments, under `prefix` (e.g. `controller.` when nested). */
export function irsaRoleProblems(args: IrsaRoleArgs, problems: Problems, prefix = ""): void {
    if (isPlainString(args.oidcProviderArn)) {
        problems.check(`${prefix}oidcProviderArn`, args.oidcProviderArn, oidcProviderArnRule);
    }
    if (isPlainString(args.oidcIssuer) && !/^(https:\/\/)?[^\s/?#:@]+(\/[^\s?#]*)?$/i.test(args.oidcIssuer.trim())) {
        problems.add(`${prefix}oidcIssuer`, args.oidcIssuer, "the cluster's issuer URL (https://<host>/<path>) or its host and path, without port, query or fragment");
    } else if (
        isPlainString(args.oidcIssuer) &&
        isPlainString(args.oidcProviderArn) &&
        oidcProviderArnRule.test(args.oidcProviderArn) &&
        !args.oidcProviderArn.endsWith(`:oidc-provider/${issuerHostPath(args.oidcIssuer)}`)
    ) {
        problems.add(`${prefix}oidcProviderArn`, args.oidcProviderArn, `the ARN of the provider for the issuer ${describeValue(issuerHostPath(args.oidcIssuer))}, ending in ":oidc-provider/${issuerHostPath(args.oidcIssuer)}"`);
    }
    (args.policyArns ?? []).forEach((arn, index) => {
        if (isPlainString(arn)) {
            problems.check(`${prefix}policyArns[${index}]`, arn, policyArnRule);
        }
    });
    if (args.roleName !== undefined) {
        problems.check(`${prefix}roleName`, args.roleName, roleNameRule);
    }
    if (args.rolePath !== undefined) {
        problems.check(`${prefix}rolePath`, args.rolePath, rolePathRule);
    }
    if (isPlainString(args.permissionsBoundary)) {
        problems.check(`${prefix}permissionsBoundary`, args.permissionsBoundary, policyArnRule);
    }
}

/** An IAM role for Kubernetes service accounts (IRSA), its policy attachments and the annotated accounts. */
export class IrsaServiceAccount extends pulumi.ComponentResource {
    /** ARN of the role: the value of every account's `eks.amazonaws.com/role-arn` annotation. */
    public readonly roleArn: pulumi.Output<string>;
    public readonly roleName: pulumi.Output<string>;
    /** The trust policy as the role received it (JSON). */
    public readonly trustPolicy: pulumi.Output<string>;
    /** The role; for `dependsOn` and further attachments. */
    public readonly role: aws.iam.Role;
    /** One per entry of `policyArns`, in that order. */
    public readonly policyAttachments: aws.iam.RolePolicyAttachment[];
    /** One per entry of `serviceAccounts`, in that order. */
    public readonly serviceAccounts: k8s.core.v1.ServiceAccount[];

    constructor(name: string, args: IrsaServiceAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = new Problems();
        irsaServiceAccountProblems(args, problems);
        problems.throwIfAny(IRSA_SERVICE_ACCOUNT_TYPE, name);
        super(IRSA_SERVICE_ACCOUNT_TYPE, name, {}, opts);

        const subjects = args.serviceAccounts.map(({ namespace, name: accountName }) => ({ namespace, name: accountName }));
        // The principal comes from the provider's ARN output, so the provider exists before the role.
        const assumeRolePolicy = pulumi
            .all([args.oidcProviderArn, args.oidcIssuer])
            .apply(([providerArn, issuer]) => JSON.stringify(webIdentityTrustPolicy({ providerArn, issuer, subjects })));

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                name: args.roleName,
                path: args.rolePath ?? "/",
                assumeRolePolicy,
                permissionsBoundary: args.permissionsBoundary,
                description: `IRSA role for ${subjects.map((s) => `${s.namespace}/${s.name}`).join(", ")}`,
                tags: args.tags ? { ...args.tags } : undefined,
            },
            { parent: this },
        );

        // Index-based names: policy ARNs are often outputs, unknown when names are chosen.
        this.policyAttachments = (args.policyArns ?? []).map(
            (policyArn, index) =>
                new aws.iam.RolePolicyAttachment(`${name}-policy-${index}`, { role: this.role.name, policyArn }, { parent: this }),
        );

        this.serviceAccounts = subjects.map(
            (account) =>
                new k8s.core.v1.ServiceAccount(
                    `${name}-sa-${account.namespace}/${account.name}`,
                    {
                        metadata: {
                            name: account.name,
                            namespace: account.namespace,
                            annotations: { [ROLE_ARN_ANNOTATION]: this.role.arn },
                        },
                    },
                    { parent: this },
                ),
        );

        this.roleArn = this.role.arn;
        this.roleName = this.role.name;
        this.trustPolicy = this.role.assumeRolePolicy;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, trustPolicy: this.trustPolicy });
    }
}
