// The floor for the policy pack's throughput: the same process start-up, the same @pulumi/policy
// server and the same gRPC exchange as the project's pack, but one resource policy that returns at
// once. bench/pack-load.ts runs it beside the real pack, so the difference between the two is what
// the project's policies cost and the rest is the protocol's.
"use strict";
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("eks-irsa-lbc-bench-noop", {
    policies: [{
        name: "noop",
        description: "Checks that nothing at all is wrong (it never reports).",
        enforcementLevel: "advisory",
        validateResource: () => undefined,
    }],
});
