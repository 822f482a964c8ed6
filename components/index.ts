/** The package's components and their pure builders; nothing here registers a resource on import. */
export * from "./validation";
export * from "./dns-suffix";
export * from "./trust-policy";
export * from "./controller-values";
export * from "./irsa-service-account";
export * from "./load-balancer-controller";
export * from "./eks-lbc-platform";
