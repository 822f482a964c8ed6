/**
 * From resources to wiring snapshots: the bridge every Pulumi-facing front end (policy pack, plan)
 * uses before it calls the analysis core. No Pulumi runtime here, so both can share it.
 */
export { assembleWirings, federatedPrincipals, type AssembleOptions, type AssembledWiring } from "./assemble-wirings";
export { snapshotOfResource, type ResourceContext, type SingleResourceSnapshot } from "./single-resource";
export { faultUrn, partOfPath, type WiringPart } from "./fault-owner";
export { UnknownValue, isUnknown, type GenericResource, type PropertyNote } from "./generic-resource";
export { TYPES, CONTROLLER_CHART } from "./resource-types";
