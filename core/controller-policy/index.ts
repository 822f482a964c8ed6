/** The AWS Load Balancer Controller's permission data: versions, charts, policy documents, gaps. */
export * from "./versions";
export * from "./chart-version";
export * from "./newest-statements";
export * from "./policy-history";
export * from "./policy-document";
export * from "./needed-actions";
export * from "./permission-statements";
export * from "./add-tags-on-create";
export * from "./policy-gaps";
