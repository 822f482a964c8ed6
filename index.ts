/**
 * The program: one EKS cluster (new, or an existing one adopted) with the AWS Load Balancer
 * Controller wired through IRSA, configured from the stack config declared in Pulumi.yaml.
 * It loads only the components it uses, so a `pulumi up` (and the offline plan) start quickly.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { EKS_LBC_PLATFORM_TYPE, EksLbcPlatform, type EksLbcPlatformArgs } from "./components/eks-lbc-platform";
import { InvalidArgumentsError } from "./components/validation";

const PLATFORM_NAME = "platform";

const config = new pulumi.Config();
const region = config.require("region");

/**
 * The AWS provider below is built from this project's `region`, so `aws:region` reaches no resource:
 * a different value there would deploy in the other region without a word, to a user who set it
 * the usual AWS way. Refused before anything is registered, as the offline plan refuses it (its
 * check is in plan/stack-config.ts). The same value is harmless, and "" names no region at all.
 */
function ignoredAwsRegionProblem(): string | undefined {
    const awsRegion = new pulumi.Config("aws").get("region");
    if (awsRegion === undefined || awsRegion === "" || awsRegion === region) {
        return undefined;
    }
    const ownKey = `${config.name}:region`;
    return `"aws:region" is ${JSON.stringify(awsRegion)}, but this project reads only its own ${JSON.stringify(ownKey)} (${JSON.stringify(region)}), ` +
        `so aws:region would be ignored: set the region with \`pulumi config set ${ownKey} ${awsRegion}\` instead, and remove aws:region`;
}

const regionProblem = ignoredAwsRegionProblem();
if (regionProblem !== undefined) {
    // The error type of every other config mistake: the offline plan prints its problems as one line.
    throw new InvalidArgumentsError(EKS_LBC_PLATFORM_TYPE, PLATFORM_NAME, [regionProblem]);
}

/** Optional keys default to "" or [] in Pulumi.yaml (the CLI requires a default): both mean "not set". */
function optionalString(key: string): string | undefined {
    const value = config.get(key);
    return value === "" ? undefined : value;
}

function optionalList(key: string): string[] | undefined {
    const value = config.getObject<string[]>(key);
    return Array.isArray(value) && value.length === 0 ? undefined : value;
}

/** Settings that only mean something for the mode chosen by `existingCluster`. */
function clusterSettings(): Partial<EksLbcPlatformArgs> {
    if (config.getBoolean("existingCluster") === true) {
        const kubeconfig = optionalString("kubeconfig");
        return {
            vpcId: optionalString("vpcId"),
            existingCluster: {
                // Missing values are reported by the component ("is not set"), together with every other problem.
                oidcIssuerUrl: optionalString("oidcIssuerUrl") as string,
                kubeconfig: kubeconfig === undefined ? undefined : pulumi.secret(kubeconfig),
            },
            allowNonEksIssuer: config.getBoolean("allowNonEksIssuer"),
        };
    }
    return {
        vpcId: optionalString("vpcId"),
        subnetIds: optionalList("subnetIds"),
        kubernetesVersion: config.get("kubernetesVersion"),
        nodeInstanceTypes: config.getObject<string[]>("nodeInstanceTypes"),
        nodeDesiredSize: config.getNumber("nodeDesiredSize"),
        nodeMinSize: config.getNumber("nodeMinSize"),
        nodeMaxSize: config.getNumber("nodeMaxSize"),
    };
}

/**
 * The stack config key behind each component argument this program can leave unset. The component
 * names its arguments; a user of this program sets config keys, so a missing one is named as such.
 */
const CONFIG_KEY_OF_ARGUMENT: Readonly<Record<string, string>> = {
    vpcId: "vpcId",
    "existingCluster.oidcIssuerUrl": "oidcIssuerUrl",
    "existingCluster.kubeconfig": "kubeconfig",
};

/** `<argument> is not set: ...` becomes `<argument> is not set (stack config key <key>): ...`. */
function nameConfigKeys(err: unknown): unknown {
    if (!(err instanceof InvalidArgumentsError)) {
        return err;
    }
    const problems = err.problems.map((problem) => {
        const argument = Object.keys(CONFIG_KEY_OF_ARGUMENT).find((arg) => problem.startsWith(`${arg} is not set: `));
        return argument === undefined
            ? problem
            : problem.replace(`${argument} is not set: `, `${argument} is not set (stack config key ${config.name}:${CONFIG_KEY_OF_ARGUMENT[argument]}): `);
    });
    return new InvalidArgumentsError(err.component, err.resourceName, problems);
}

// One explicit AWS provider for the configured region: the region decides the partition of every
// ARN the components build, so the resources must be created in that same region, whatever
// `aws:region` or AWS_REGION say.
const awsProvider = new aws.Provider("aws", { region });

const platform = (() => {
    try {
        return new EksLbcPlatform(
            PLATFORM_NAME,
            {
                clusterName: config.require("clusterName"),
                region,
                controllerVersion: config.get("controllerVersion"),
                ...clusterSettings(),
            },
            { providers: { aws: awsProvider } },
        );
    } catch (err) {
        throw nameConfigKeys(err);
    }
})();

export const clusterName = platform.clusterName;
export const kubeconfig = platform.kubeconfig;
export const vpcId = platform.vpcId;
export const oidcIssuer = platform.oidcIssuer;
export const oidcProviderArn = platform.oidcProviderArn;
export const controllerRoleArn = platform.controllerRoleArn;
export const serviceAccount = platform.serviceAccount;
export const chartVersion = platform.chartVersion;
