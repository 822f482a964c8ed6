/**
 * A corpus case's wiring snapshot as the Pulumi resources that would carry it in a hand-written
 * stack: the cluster (issuer, account), the OIDC provider, the role with its trust, the annotated
 * ServiceAccount(s), the controller's Helm release, the permissions policy and its attachment, the
 * nodes' launch template and node group, a Pod Identity association, subnets with their route
 * tables, the Ingress or Service asking for a load balancer. Every fact has a carrier: creation
 * order by dependency edges, "the stack creates its providers / accounts" by the pack's
 * configuration, a subnet's being public by a route table with an internet-gateway route.
 */
import type { WiringSnapshot } from "../../core";
import { partitionOfRegion } from "../../core/partition";
import type { TestResource } from "../helpers/policy-args";

export interface ConvertedCase {
    resources: TestResource[];
    /** Pack configuration that states what the snapshot states outside any resource. */
    config: Record<string, Record<string, unknown>>;
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

export function caseToResources(input: WiringSnapshot): ConvertedCase {
    const resources: TestResource[] = [];
    const config: Record<string, Record<string, unknown>> = {};
    const chain: Record<string, unknown> = {};
    const cluster = input.cluster ?? {};
    const partition = cluster.partition ?? (cluster.region ? partitionOfRegion(cluster.region) : undefined) ?? "aws";
    const account = cluster.accountId ?? "111122223333";

    if (cluster.oidcIssuer !== undefined || cluster.name !== undefined) {
        resources.push({
            type: "aws:eks/cluster:Cluster", name: "cluster",
            props: {
                ...(cluster.name !== undefined ? { name: cluster.name } : {}),
                ...(cluster.region !== undefined ? { arn: `arn:${partition}:eks:${cluster.region}:${account}:cluster/${cluster.name ?? "cluster"}` } : {}),
                ...(cluster.oidcIssuer !== undefined ? { identities: [{ oidcs: [{ issuer: cluster.oidcIssuer }] }] } : {}),
            },
        });
    }

    // The provider: as given; or, when the case says it is created after the role, the one the trust names.
    const order = input.creationOrder ?? [];
    const roleFirst = order.indexOf("iamRole") >= 0 && order.indexOf("iamRole") < order.indexOf("oidcProvider");
    let provider = input.oidcProvider;
    if (provider === null && roleFirst) {
        const principal = /oidc-provider\/(.+)$/.exec(JSON.stringify(input.trustPolicy ?? {}).match(/arn:[^"]*:oidc-provider\/[^"]+/)?.[0] ?? "")?.[1];
        provider = principal !== undefined ? { url: `https://${principal}`, clientIdList: ["sts.amazonaws.com"] } : null;
    }
    if (provider === null) chain.oidcProvidersManagedInStack = true;
    if (provider) {
        const hostPath = (provider.url ?? "").replace(/^https:\/\//, "").replace(/\/+$/, "");
        resources.push({
            type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider", name: "oidc",
            props: {
                ...(provider.url !== undefined ? { url: provider.url } : {}),
                ...(provider.clientIdList !== undefined ? { clientIdLists: provider.clientIdList } : {}),
                ...(provider.thumbprintList !== undefined ? { thumbprintLists: provider.thumbprintList } : {}),
                arn: `arn:${partition}:iam::${provider.accountId ?? account}:oidc-provider/${hostPath}`,
            },
            dependsOn: resources.some((r) => r.name === "cluster") ? ["cluster"] : [],
        });
    }

    // The role: named and placed as the annotation (or the Pod Identity association) says.
    const sa = input.serviceAccount;
    const association = input.podIdentityAssociation ?? undefined;
    const roleArnText = [sa?.roleArnAnnotation, association?.roleArn].find((a): a is string => typeof a === "string" && ROLE_ARN.test(a));
    const roleName = roleArnText ? (ROLE_ARN.exec(roleArnText) as RegExpExecArray)[3] : "irsa-role";
    const roleArn = roleArnText ?? `arn:${partition}:iam::${account}:role/${roleName}`;
    if (input.trustPolicy !== undefined) {
        resources.push({
            type: "aws:iam/role:Role", name: "role",
            props: { name: roleName, arn: roleArn, assumeRolePolicy: JSON.stringify(input.trustPolicy) },
            dependsOn: provider && !roleFirst ? ["oidc"] : [],
        });
    }

    // Service accounts: the chart makes its own when create is true; otherwise the stack does, unless the case says it does not exist.
    const values = input.helmValues;
    const chartCreates = values !== undefined && (values.serviceAccount as Record<string, unknown> | undefined)?.create !== false;
    const accountNames: string[] = [];
    const addAccount = (name: string, namespace: string | undefined, annotations: Record<string, string>) => {
        const logical = accountNames.length === 0 ? "sa" : `sa-${accountNames.length}`;
        accountNames.push(logical);
        resources.push({
            type: "kubernetes:core/v1:ServiceAccount", name: logical,
            props: { metadata: { name, ...(namespace !== undefined ? { namespace } : {}), annotations } },
            dependsOn: input.trustPolicy !== undefined ? ["role"] : [],
        });
    };
    if (sa !== undefined && !chartCreates) {
        if (sa.exists === false) chain.serviceAccountsManagedInStack = true;
        else if (sa.name !== undefined) {
            const annotations: Record<string, string> = {};
            if (typeof sa.roleArnAnnotation === "string") annotations["eks.amazonaws.com/role-arn"] = sa.roleArnAnnotation;
            if (typeof sa.audienceAnnotation === "string") annotations["eks.amazonaws.com/audience"] = sa.audienceAnnotation;
            addAccount(sa.name, sa.namespace, annotations);
        }
    }
    for (const subject of input.intendedSubjects ?? []) {
        const [, , namespace, name] = subject.split(":");
        if (name !== undefined && !(namespace === sa?.namespace && name === sa?.name)) {
            addAccount(name, namespace, { "eks.amazonaws.com/role-arn": roleArn });
        }
    }

    if (values !== undefined) {
        resources.push({
            type: "kubernetes:helm.sh/v3:Release", name: "chart",
            props: {
                chart: "aws-load-balancer-controller",
                repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
                ...(input.helmRelease?.name !== undefined ? { name: input.helmRelease.name } : {}),
                namespace: input.helmRelease?.namespace ?? sa?.namespace ?? "kube-system",
                values,
            },
            dependsOn: [...accountNames.slice(0, 1), ...(input.trustPolicy !== undefined ? ["role"] : [])],
        });
    }

    if (input.controllerPolicy !== undefined) {
        const policyArn = `arn:${partition}:iam::${account}:policy/controller-policy`;
        resources.push({ type: "aws:iam/policy:Policy", name: "controller-policy", props: { name: "controller-policy", arn: policyArn, policy: JSON.stringify(input.controllerPolicy) } });
        resources.push({ type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "controller-policy-attachment", props: { role: roleName, policyArn }, dependsOn: ["role", "controller-policy"] });
    }

    if (input.nodeMetadataOptions !== undefined) {
        resources.push({ type: "aws:ec2/launchTemplate:LaunchTemplate", name: "nodes-lt", props: { id: "lt-0nodes", metadataOptions: input.nodeMetadataOptions } });
        resources.push({ type: "aws:eks/nodeGroup:NodeGroup", name: "nodes", props: { clusterName: cluster.name ?? "cluster", launchTemplate: { id: "lt-0nodes", version: "1" } }, dependsOn: ["nodes-lt"] });
    }

    if (association !== undefined) {
        resources.push({
            type: "aws:eks/podIdentityAssociation:PodIdentityAssociation", name: "pod-identity",
            props: { ...association, clusterName: cluster.name ?? "cluster" },
            dependsOn: input.trustPolicy !== undefined ? ["role"] : [],
        });
    }

    if (input.subnets !== undefined) {
        const vpcId = typeof values?.vpcId === "string" ? values.vpcId : "vpc-0example";
        resources.push({ type: "aws:ec2/internetGateway:InternetGateway", name: "igw", props: { id: "igw-0example", vpcId } });
        resources.push({ type: "aws:ec2/routeTable:RouteTable", name: "public-rt", props: { id: "rtb-0public", vpcId, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-0example" }] }, dependsOn: ["igw"] });
        resources.push({ type: "aws:ec2/routeTable:RouteTable", name: "private-rt", props: { id: "rtb-0private", vpcId, routes: [] } });
        input.subnets.forEach((subnet, i) => {
            const name = `subnet-${i}`;
            resources.push({
                type: "aws:ec2/subnet:Subnet", name,
                props: { id: subnet.id ?? `subnet-${i}`, vpcId, ...(subnet.az !== undefined ? { availabilityZone: subnet.az } : {}), tags: subnet.tags ?? {} },
            });
            resources.push({
                type: "aws:ec2/routeTableAssociation:RouteTableAssociation", name: `${name}-rta`,
                props: { subnetId: subnet.id ?? `subnet-${i}`, routeTableId: subnet.public ? "rtb-0public" : "rtb-0private" },
                dependsOn: [name, subnet.public ? "public-rt" : "private-rt"],
            });
        });
    }

    const lb = input.loadBalancer;
    if (lb !== undefined) {
        resources.push(lb.kind === "NLB"
            ? {
                type: "kubernetes:core/v1:Service", name: "app-nlb",
                props: {
                    metadata: { name: "app", namespace: "default", annotations: lb.scheme !== undefined ? { "service.beta.kubernetes.io/aws-load-balancer-scheme": lb.scheme } : {} },
                    spec: { type: "LoadBalancer", loadBalancerClass: "service.k8s.aws/nlb", ports: [{ port: 80 }] },
                },
            }
            : {
                type: "kubernetes:networking.k8s.io/v1:Ingress", name: "app-alb",
                props: {
                    metadata: { name: "app", namespace: "default", annotations: lb.scheme !== undefined ? { "alb.ingress.kubernetes.io/scheme": lb.scheme } : {} },
                    spec: { ingressClassName: "alb" },
                },
            });
    }

    if (Object.keys(chain).length > 0) config["irsa-chain-intact"] = chain;
    // A user whose tokens carry a custom audience says so to the provider policy.
    if (typeof sa?.audienceAnnotation === "string" && sa.audienceAnnotation !== "sts.amazonaws.com") {
        config["irsa-oidc-provider-client-ids"] = { audience: sa.audienceAnnotation };
    }
    return { resources, config };
}
