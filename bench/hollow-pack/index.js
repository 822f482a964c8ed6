// The project's pack with its policies hollowed out: the same 10 policies (names, enforcement
// levels, config schemas, the Pulumi type each resource policy is attached to) and the same modules
// loaded at start-up, but every validate function returns at once. @pulumi/policy's server does for
// it all it does for the real pack (decode each resource's properties once per policy of its type,
// answer NotApplicable for every other resource policy, hand each stack policy its own copy of every
// resource), so bench/pack-load.ts can tell what that server costs for this pack's shape from what
// the project's own code costs (the real pack minus this one).
"use strict";
const path = require("path");
const { PolicyPack } = require("@pulumi/policy");

const compiled = path.resolve(__dirname, "..", "..", "dist", "policy-pack", "policies", "index.js");
let policies;
try {
    ({ POLICIES: policies } = require(compiled));
} catch (err) {
    process.stderr.write(`bench/hollow-pack: cannot load ${compiled} (build first: npm run build): ${err.message}\n`);
    process.exit(2);
}

new PolicyPack("eks-irsa-lbc-bench-hollow", {
    policies: policies.map((policy) => {
        const { validateResource, validateStack, ...shape } = policy;
        if (validateStack) return { ...shape, validateStack: () => undefined };
        const hollow = () => undefined;
        // The type attached as @pulumi/policy's validateResourceOfType attaches it: the server skips
        // the policy for other types before decoding anything, as it does for the real pack.
        const type = validateResource && validateResource.__pulumiType;
        if (type) Object.assign(hollow, { __pulumiType: type });
        return { ...shape, validateResource: hollow };
    }),
});
