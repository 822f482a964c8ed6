/**
 * The analysis core's public face: `analyze` a snapshot, `parseSnapshot` untrusted JSON, the `RULES`
 * catalog, and the trust evaluator for callers that hold a trust document alone (the policy pack).
 */
export { analyze, type AnalyzeOptions } from "./analyze";
export { parseSnapshot, SnapshotError } from "./parse-snapshot";
export { RULES, ruleInfo, type RuleInfo } from "./rules/catalog";
export { CHAIN_ORDER } from "./chain";
export {
    evaluateWebIdentityTrust,
    webIdentityRequest,
    oidcProviderArn,
    issuerHostPath,
    serviceAccountSubject,
    DEFAULT_AUDIENCE,
    WEB_IDENTITY_ACTION,
    type WebIdentityToken,
    type WebIdentityVerdict,
} from "./iam/web-identity";
export { evaluatePolicy, type AuthorizationRequest, type PolicyDecision, type Decision } from "./iam/evaluate";
export { readPolicy, type PolicyStatement, type ReadPolicy } from "./iam/policy-document";
export { chartServiceAccount, chartFullName } from "./chart-service-account";
export type * from "./analysis";
export type * from "./snapshot";
