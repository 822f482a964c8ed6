/**
 * Where a byte sequence stops being UTF-8. A JSON text must be UTF-8 (RFC 8259); decoding leniently
 * would turn a stray Latin-1 byte in a role name or an annotation into U+FFFD and judge a value the
 * file never held, so `check` refuses such a file and says where it goes wrong. Node's `isUtf8`
 * answers only yes or no, and `TextDecoder` gives no position, hence this one pass over the bytes
 * (run only when `isUtf8` says no), following RFC 3629's table of well-formed sequences.
 */
import { isUtf8 } from "node:buffer";

export interface Utf8Error {
    /** Offset of the first byte of the sequence that is not UTF-8. */
    offset: number;
    /** That sequence, up to and including the byte that breaks it. */
    bytes: number[];
}

/** The allowed range of a sequence's second byte, by its first (RFC 3629); other bytes are 80-BF. */
function secondByteRange(lead: number): [number, number] {
    if (lead === 0xe0) return [0xa0, 0xbf];
    if (lead === 0xed) return [0x80, 0x9f];
    if (lead === 0xf0) return [0x90, 0xbf];
    if (lead === 0xf4) return [0x80, 0x8f];
    return [0x80, 0xbf];
}

/** How many bytes a sequence starting with `lead` has, or 0 when no sequence starts so. */
function sequenceLength(lead: number): number {
    if (lead <= 0x7f) return 1;
    if (lead >= 0xc2 && lead <= 0xdf) return 2;
    if (lead >= 0xe0 && lead <= 0xef) return 3;
    if (lead >= 0xf0 && lead <= 0xf4) return 4;
    return 0;
}

export function firstUtf8Error(bytes: Uint8Array): Utf8Error | undefined {
    if (isUtf8(bytes)) return undefined;
    for (let offset = 0; offset < bytes.length;) {
        const length = sequenceLength(bytes[offset]);
        if (length === 0) return { offset, bytes: [bytes[offset]] };
        for (let i = 1; i < length; i++) {
            const [low, high] = i === 1 ? secondByteRange(bytes[offset]) : [0x80, 0xbf];
            const byte = bytes[offset + i];
            if (byte === undefined || byte < low || byte > high) {
                return { offset, bytes: Array.from(bytes.subarray(offset, Math.min(offset + i + 1, bytes.length))) };
            }
        }
        offset += length;
    }
    // isUtf8 said no, so the loop cannot end here; kept for the type checker.
    return { offset: 0, bytes: [bytes[0]] };
}
