/**
 * The program: one EKS cluster (new, or an existing one adopted) with the AWS Load Balancer
 * Controller wired through IRSA, configured from the stack config declared in Pulumi.yaml.
 * It loads only the components it uses, so a `pulumi up` (and the offline plan) start quickly.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { EKS_LBC_PLATFORM_TYPE, EksLbcPlatform, eksLbcPlatformProblems, type EksLbcPlatformArgs } from "./components/eks-lbc-platform";
import { InvalidArgumentsError } from "./components/validation";
import { KNOWN_REGIONS } from "./core/partition";

const PLATFORM_NAME = "platform";

const config = new pulumi.Config();
const region = config.require("region");

/**
 * The AWS provider below is built from this project's `region`, so `aws:region` reaches no resource:
 * a different value there would deploy in the other region without a word, to a user who set it
 * the usual AWS way. Refused before anything is registered, as the offline plan refuses it (its
 * check is in plan/stack-config.ts, with the same wording). The same value is harmless, and ""
 * (also what a key written without a value reads as) names no region at all. The fix suggests a
 * value for the project's key only when aws:region holds a region.
 */
function ignoredAwsRegionProblem(): string | undefined {
    const awsRegion = new pulumi.Config("aws").get("region");
    if (awsRegion === undefined || awsRegion === "" || awsRegion === region) {
        return undefined;
    }
    const ownKey = `${config.name}:region`;
    const ignored = `this project reads only its own ${JSON.stringify(ownKey)} (${JSON.stringify(region)}), so aws:region would be ignored`;
    if (!KNOWN_REGIONS.includes(awsRegion)) {
        const examples = ["us-west-2", "eu-west-1", "cn-north-1", "us-gov-west-1"].filter((r) => KNOWN_REGIONS.includes(r));
        return `"aws:region" is ${JSON.stringify(awsRegion)}, which is no AWS region, and ${ignored}: ` +
            `remove aws:region; to deploy in another region than ${JSON.stringify(region)}, set it with \`pulumi config set ${ownKey} <region>\`, ` +
            `a known AWS region (e.g. ${examples.join(", ")})`;
    }
    return `"aws:region" is ${JSON.stringify(awsRegion)}, but ${ignored}: set the region with \`pulumi config set ${ownKey} ${awsRegion}\` instead, and remove aws:region`;
}

/**
 * Problems with the stack config that this program checks itself (aws:region), with every problem
 * the component finds in the arguments built from the config: one error, so that one `pulumi up`
 * (or one offline plan) shows everything to fix. The header names what is wrong: the stack config,
 * then, as the component reports it, its arguments.
 */
class InvalidStackConfigError extends Error {
    readonly problems: string[];

    constructor(configProblems: string[], componentError: InvalidArgumentsError | undefined) {
        super([`invalid stack config: ${configProblems.join("; ")}`, ...(componentError ? [componentError.message] : [])].join("; "),
            componentError ? { cause: componentError } : undefined);
        this.name = "InvalidStackConfigError";
        this.problems = [...configProblems, ...(componentError?.problems ?? [])];
    }
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

const platformArgs: EksLbcPlatformArgs = {
    clusterName: config.require("clusterName"),
    region,
    controllerVersion: config.get("controllerVersion"),
    ...clusterSettings(),
};

const regionProblem = ignoredAwsRegionProblem();
if (regionProblem !== undefined) {
    // Nothing is registered yet: the component's own checks run here without it (the program gives
    // it no Kubernetes provider), so its problems are listed too.
    let componentError: InvalidArgumentsError | undefined;
    try {
        eksLbcPlatformProblems(platformArgs).throwIfAny(EKS_LBC_PLATFORM_TYPE, PLATFORM_NAME);
    } catch (err) {
        const named = nameConfigKeys(err);
        if (!(named instanceof InvalidArgumentsError)) throw err;
        componentError = named;
    }
    throw new InvalidStackConfigError([regionProblem], componentError);
}

// One explicit AWS provider for the configured region: the region decides the partition of every
// ARN the components build, so the resources must be created in that same region, whatever
// `aws:region` or AWS_REGION say.
const awsProvider = new aws.Provider("aws", { region });

const platform = (() => {
    try {
        return new EksLbcPlatform(PLATFORM_NAME, platformArgs, { providers: { aws: awsProvider } });
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
