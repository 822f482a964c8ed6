/** The chart values the controller gets, and every way user values can disagree with the chain. */
import * as assert from "assert";
import { controllerChartValues, controllerValueConflicts, mergeChartValues, type ChainValues } from "../../components/controller-values";

const ROLE = "arn:aws:iam::111122223333:role/lbc";
const CHAIN: Required<ChainValues> = {
    clusterName: "demo",
    region: "eu-west-1",
    vpcId: "vpc-0123456789abcdef0",
    serviceAccountName: "aws-load-balancer-controller",
    roleArn: ROLE,
    controllerVersion: "v3.5.0",
};

describe("controllerChartValues", () => {
    it("sets the chain values, two replicas with a disruption budget, and keeps the webhook certificate", () => {
        assert.deepStrictEqual(controllerChartValues(CHAIN), {
            clusterName: "demo",
            region: "eu-west-1",
            vpcId: "vpc-0123456789abcdef0",
            serviceAccount: { create: false, name: "aws-load-balancer-controller" },
            image: { tag: "v3.5.0" },
            replicaCount: 2,
            podDisruptionBudget: { maxUnavailable: 1 },
            keepTLSSecret: true,
        });
    });
});

describe("mergeChartValues", () => {
    it("deep-merges user values under the component's", () => {
        const user = { image: { repository: "registry.example/lbc" }, replicaCount: 3, enableShield: false, serviceAccount: { name: "aws-load-balancer-controller" } };
        assert.deepStrictEqual(mergeChartValues(user, controllerChartValues(CHAIN)), {
            image: { repository: "registry.example/lbc", tag: "v3.5.0" },
            replicaCount: 2,
            enableShield: false,
            serviceAccount: { name: "aws-load-balancer-controller", create: false },
            clusterName: "demo",
            region: "eu-west-1",
            vpcId: "vpc-0123456789abcdef0",
            podDisruptionBudget: { maxUnavailable: 1 },
            keepTLSSecret: true,
        });
        assert.deepStrictEqual(user, { image: { repository: "registry.example/lbc" }, replicaCount: 3, enableShield: false, serviceAccount: { name: "aws-load-balancer-controller" } }, "the user's object is not modified");
    });
});

describe("controllerValueConflicts", () => {
    it("accepts absent values, unrelated values and values equal to the component's", () => {
        assert.deepStrictEqual(controllerValueConflicts(undefined, CHAIN, "values"), []);
        assert.deepStrictEqual(
            controllerValueConflicts(
                {
                    clusterName: "demo",
                    region: "eu-west-1",
                    vpcId: "vpc-0123456789abcdef0",
                    serviceAccount: { create: false, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": ROLE } },
                    image: { tag: "v3.5.0", repository: "x" },
                    replicaCount: 3,
                    keepTLSSecret: false,
                },
                CHAIN,
                "values",
            ),
            [],
        );
    });

    const cases: Array<[string, Record<string, unknown>, string]> = [
        ["clusterName", { clusterName: "other" }, 'values.clusterName: "other" is not valid: clusterName is set by the component to "demo" (the cluster the controller manages); leave it out of values or give the same value'],
        ["region", { region: "us-east-1" }, 'values.region: "us-east-1" is not valid: region is set by the component to "eu-west-1" (the controller must not ask instance metadata for its region); leave it out of values or give the same value'],
        ["vpcId", { vpcId: "vpc-11111111" }, 'values.vpcId: "vpc-11111111" is not valid: vpcId is set by the component to "vpc-0123456789abcdef0" (the controller must not ask instance metadata for its VPC); leave it out of values or give the same value'],
        ["an empty vpcId", { vpcId: "" }, 'values.vpcId: "" is not valid: vpcId is set by the component to "vpc-0123456789abcdef0" (the controller must not ask instance metadata for its VPC); leave it out of values or give the same value'],
        ["serviceAccount.create", { serviceAccount: { create: true } }, "values.serviceAccount.create: true is not valid: serviceAccount.create is set by the component to false (the component creates the annotated ServiceAccount itself); leave it out of values or give the same value"],
        ["serviceAccount.name", { serviceAccount: { name: "default" } }, 'values.serviceAccount.name: "default" is not valid: serviceAccount.name is set by the component to "aws-load-balancer-controller" (the pods must run as the annotated ServiceAccount); leave it out of values or give the same value'],
        ["image.tag", { image: { tag: "v2.4.7" } }, 'values.image.tag: "v2.4.7" is not valid: image.tag is set by the component to "v3.5.0" (controllerVersion decides both the image and its IAM permissions); leave it out of values or give the same value'],
        ["another role annotation", { serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::444455556666:role/other" } } }, 'values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]: "arn:aws:iam::444455556666:role/other" is not valid: the component annotates the ServiceAccount with its own role "arn:aws:iam::111122223333:role/lbc"; leave it out or give the same value'],
        ["an annotation the chart would drop", { serviceAccount: { annotations: { "eks.amazonaws.com/sts-regional-endpoints": "true" } } }, 'values.serviceAccount.annotations["eks.amazonaws.com/sts-regional-endpoints"]: "true" is not valid: the chart ignores serviceAccount.annotations when serviceAccount.create is false; the component\'s ServiceAccount carries only eks.amazonaws.com/role-arn'],
        ["annotations that are not a map", { serviceAccount: { annotations: "x" } }, 'values.serviceAccount.annotations: "x" is not valid: a map; the component annotates the ServiceAccount with eks.amazonaws.com/role-arn itself'],
        ["another serviceAccount setting", { serviceAccount: { automountServiceAccountToken: false } }, "values.serviceAccount.automountServiceAccountToken: false is not valid: the chart ignores serviceAccount settings other than name when serviceAccount.create is false; the component creates the ServiceAccount"],
        ["serviceAccount that is not a map", { serviceAccount: "aws-load-balancer-controller" }, 'values.serviceAccount: "aws-load-balancer-controller" is not valid: a map with at most create: false and name: "aws-load-balancer-controller"'],
        ["image that is not a map", { image: "public.ecr.aws/eks/aws-load-balancer-controller:v3.5.0" }, 'values.image: "public.ecr.aws/eks/aws-load-balancer-controller:v3.5.0" is not valid: a map of image settings (repository, pullPolicy); the tag comes from controllerVersion'],
    ];
    for (const [what, values, message] of cases) {
        it(`rejects ${what}`, () => {
            assert.deepStrictEqual(controllerValueConflicts(values, CHAIN, "values"), [message]);
        });
    }

    it("rejects values that are not a map", () => {
        assert.deepStrictEqual(controllerValueConflicts(["clusterName"], CHAIN, "values"), ['values: ["clusterName"] is not valid: a map of Helm values for the aws-load-balancer-controller chart']);
    });

    it("lists every conflict at once, under the caller's argument name", () => {
        assert.deepStrictEqual(controllerValueConflicts({ clusterName: "a", region: "b", serviceAccount: { create: true, name: "c" } }, CHAIN, "controllerValues"), [
            'controllerValues.clusterName: "a" is not valid: clusterName is set by the component to "demo" (the cluster the controller manages); leave it out of controllerValues or give the same value',
            'controllerValues.region: "b" is not valid: region is set by the component to "eu-west-1" (the controller must not ask instance metadata for its region); leave it out of controllerValues or give the same value',
            "controllerValues.serviceAccount.create: true is not valid: serviceAccount.create is set by the component to false (the component creates the annotated ServiceAccount itself); leave it out of controllerValues or give the same value",
            'controllerValues.serviceAccount.name: "c" is not valid: serviceAccount.name is set by the component to "aws-load-balancer-controller" (the pods must run as the annotated ServiceAccount); leave it out of controllerValues or give the same value',
        ]);
    });

    it("leaves values of chain fields not known yet for later", () => {
        const pending: ChainValues = { region: "eu-west-1", serviceAccountName: "aws-load-balancer-controller", controllerVersion: "v3.5.0" };
        assert.deepStrictEqual(
            controllerValueConflicts({ clusterName: "x", vpcId: "vpc-11111111", serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "y" } } }, pending, "values"),
            [],
        );
    });
});
