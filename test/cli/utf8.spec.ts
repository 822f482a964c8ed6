/**
 * firstUtf8Error: the first sequence that is not UTF-8 (RFC 3629), at its offset, with the bytes
 * up to the one that breaks it; undefined for well-formed UTF-8.
 */
import * as assert from "assert";
import { firstUtf8Error } from "../../cli/utf8";

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => typeof p === "string" ? Buffer.from(p) : Buffer.from(p)));

describe("firstUtf8Error", () => {
    it("accepts well-formed UTF-8: ASCII, a byte-order mark, two-, three- and four-byte characters, U+FFFD itself, nothing at all", () => {
        for (const good of [bytes("{}"), bytes([0xef, 0xbb, 0xbf], "{}"), bytes("café ✓ 😀 \ufffd"), bytes([0xf4, 0x8f, 0xbf, 0xbf]), Buffer.alloc(0)]) {
            assert.strictEqual(firstUtf8Error(good), undefined);
        }
    });

    const cases: [string, Buffer, { offset: number; bytes: number[] }][] = [
        ["a Latin-1 byte before ASCII", bytes("ab", [0xe9], "c"), { offset: 2, bytes: [0xe9, 0x63] }],
        ["a lone continuation byte", bytes("a", [0x80]), { offset: 1, bytes: [0x80] }],
        ["an overlong two-byte form (C0 AF)", bytes([0xc0, 0xaf]), { offset: 0, bytes: [0xc0] }],
        ["an overlong three-byte form (E0 80 AF)", bytes([0xe0, 0x80, 0xaf]), { offset: 0, bytes: [0xe0, 0x80] }],
        ["a UTF-16 surrogate (ED A0 80)", bytes("x", [0xed, 0xa0, 0x80]), { offset: 1, bytes: [0xed, 0xa0] }],
        ["beyond U+10FFFF (F4 90)", bytes([0xf4, 0x90, 0x80, 0x80]), { offset: 0, bytes: [0xf4, 0x90] }],
        ["a byte no sequence starts with (F5)", bytes([0xf5]), { offset: 0, bytes: [0xf5] }],
        ["a sequence cut short by an ASCII byte", bytes("{", [0xe2, 0x82], "A"), { offset: 1, bytes: [0xe2, 0x82, 0x41] }],
        ["a sequence cut short by the end", bytes("{", [0xf0, 0x9f, 0x98]), { offset: 1, bytes: [0xf0, 0x9f, 0x98] }],
        ["a UTF-16 byte-order mark", bytes([0xff, 0xfe, 0x7b, 0x00]), { offset: 0, bytes: [0xff] }],
        ["a bad byte after characters of every length", bytes("a é ✓ 😀 ", [0xbf]), { offset: 14, bytes: [0xbf] }],
    ];
    for (const [name, input, expected] of cases) {
        it(name, () => assert.deepStrictEqual(firstUtf8Error(input), expected));
    }

    it("finds a bad byte after a million bytes of real U+FFFD characters at the right offset", () => {
        const filler = Buffer.from("\ufffd".repeat(333_334));
        assert.deepStrictEqual(firstUtf8Error(bytes("[", [...filler], [0xff])), { offset: 1 + filler.length, bytes: [0xff] });
    });
});
