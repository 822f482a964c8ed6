/**
 * Turns property values as the Pulumi SDK sends them to the resource monitor (a protobuf Struct,
 * with signature-keyed objects for secrets, resource references, assets and unknowns) into plain
 * JSON for printing and for the policy pack. The SDK's own deserializer would rebuild live
 * `Resource` and `Asset` objects instead, which neither prints nor compares.
 */

/** Pulumi's wire markers (runtime/rpc.js in @pulumi/pulumi). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** What to do with a secret: show its value (resource inputs) or hide it (stack outputs). */
export type SecretHandling = "unwrap" | "mask";
export const MASKED_SECRET = "[secret]";

/**
 * Decodes one wire value. Unknowns become `undefined` (dropped from objects), resource references
 * become their URN, assets and archives their path, text or URI.
 */
export function decodeWireValue(value: unknown, secrets: SecretHandling): unknown {
    if (value === UNKNOWN_VALUE) {
        return undefined;
    }
    if (Array.isArray(value)) {
        return value.map((item) => decodeWireValue(item, secrets));
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const object = value as Record<string, unknown>;
    switch (object[SIG_KEY]) {
        case SECRET_SIG:
            return secrets === "mask" ? MASKED_SECRET : decodeWireValue(object.value, secrets);
        case RESOURCE_SIG:
            return object.urn;
        case ASSET_SIG:
        case ARCHIVE_SIG:
            return object.path ?? object.text ?? object.uri ?? decodeWireObject(object.assets, secrets);
        case OUTPUT_VALUE_SIG:
            return object.secret === true && secrets === "mask" ? MASKED_SECRET : decodeWireValue(object.value, secrets);
        default:
            return decodeWireObject(object, secrets);
    }
}

/** Decodes every property of an object, leaving out the ones whose value is unknown. */
export function decodeWireObject(object: unknown, secrets: SecretHandling): Record<string, unknown> {
    const decoded: Record<string, unknown> = {};
    if (typeof object !== "object" || object === null) {
        return decoded;
    }
    for (const [key, value] of Object.entries(object)) {
        const plain = decodeWireValue(value, secrets);
        if (plain !== undefined) {
            decoded[key] = plain;
        }
    }
    return decoded;
}
