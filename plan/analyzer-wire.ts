/**
 * The bytes of the Analyzer requests that carry resources (`AnalyzeRequest`, `AnalyzeStackRequest`),
 * written directly instead of through google-protobuf's message objects.
 *
 * Why: building a `google.protobuf.Struct` with `Struct.fromJavaScript` (after a JSON round trip
 * to drop `undefined`) and serializing it was most of the client's CPU time over a large stack,
 * and the client's turn is time the pack waits. Written back to front, each length-delimited field
 * is written after its content, so its length is known without a sizing pass or nested buffers.
 *
 * The output is byte for byte what google-protobuf 3.21 writes for the same message built from
 * `JSON.parse(JSON.stringify(value))` (map entries sorted by key, oneof members written even at
 * their default, proto3 scalars skipped at theirs); `test/plan/analyzer-wire.spec.ts` proves it
 * against google-protobuf itself.
 */

/** Protobuf wire tags, `field << 3 | wire type` (0 varint, 1 fixed64, 2 length-delimited). */
const TAG = { f1Len: 0x0a, f2Len: 0x12, f3Len: 0x1a, f4Len: 0x22, f5Len: 0x2a, f6Len: 0x32, f7Len: 0x3a, f8Len: 0x42, f1Varint: 0x08, f2Fixed64: 0x11, f4Varint: 0x20 } as const;

/** Grows toward the front: `mark()` counts bytes written so far, unaffected by growing. */
class ReverseWriter {
    private buf: Buffer;
    private pos: number;

    constructor(initial = 16 * 1024) {
        this.buf = Buffer.allocUnsafe(initial);
        this.pos = initial;
    }

    mark(): number {
        return this.buf.length - this.pos;
    }

    private ensure(n: number): void {
        if (this.pos >= n) return;
        const used = this.buf.length - this.pos;
        let size = this.buf.length * 2;
        while (size - used < n) size *= 2;
        const next = Buffer.allocUnsafe(size);
        this.buf.copy(next, size - used, this.pos);
        this.buf = next;
        this.pos = size - used;
    }

    byte(b: number): void {
        this.ensure(1);
        this.buf[--this.pos] = b;
    }

    /** A non-negative integer below 2^31 (lengths). */
    varint(v: number): void {
        const len = v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
        this.ensure(len);
        this.pos -= len;
        let p = this.pos;
        while (v > 0x7f) {
            this.buf[p++] = (v & 0x7f) | 0x80;
            v >>>= 7;
        }
        this.buf[p] = v;
    }

    string(s: string): void {
        const len = Buffer.byteLength(s, "utf8");
        this.ensure(len);
        this.pos -= len;
        this.buf.write(s, this.pos, len, "utf8");
    }

    double(d: number): void {
        this.ensure(8);
        this.pos -= 8;
        this.buf.writeDoubleLE(d, this.pos);
    }

    /** The bytes written, in a buffer of their own (the writer's is reused). */
    take(): Buffer {
        return Buffer.from(this.buf.subarray(this.pos));
    }

    reset(): void {
        this.pos = this.buf.length;
    }
}

/** A length-delimited field: content first (written back to front), then its length, then its tag. */
function delimited(w: ReverseWriter, tag: number, content: () => void): void {
    const end = w.mark();
    content();
    w.varint(w.mark() - end);
    w.byte(tag);
}

function stringField(w: ReverseWriter, tag: number, s: string): void {
    // proto3: an empty string is the default and is not written.
    if (s.length === 0) return;
    w.string(s);
    w.varint(Buffer.byteLength(s, "utf8"));
    w.byte(tag);
}

/**
 * The value as `JSON.stringify` would see it (`toJSON`, boxed primitives), or `undefined` where
 * JSON drops it (an object member; an array element becomes `null`, handled by the caller).
 */
function jsonView(value: unknown, key: string): unknown {
    if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
        value = (value as { toJSON(k: string): unknown }).toJSON(key);
    }
    if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
    if (value === undefined || typeof value === "function" || typeof value === "symbol") return undefined;
    if (typeof value === "bigint") throw new TypeError("Do not know how to serialize a BigInt");
    return value;
}

/** `google.protobuf.Value` content: null_value 1, number_value 2, string_value 3, bool_value 4, struct_value 5, list_value 6. */
function valueContent(w: ReverseWriter, v: unknown): void {
    if (v === null) {
        w.byte(0);
        w.byte(TAG.f1Varint);
    } else if (typeof v === "number") {
        // JSON has no NaN, Infinity or -0: they round-trip as null and 0.
        if (!Number.isFinite(v)) {
            w.byte(0);
            w.byte(TAG.f1Varint);
        } else {
            w.double(v === 0 ? 0 : v);
            w.byte(TAG.f2Fixed64);
        }
    } else if (typeof v === "string") {
        w.string(v);
        w.varint(Buffer.byteLength(v, "utf8"));
        w.byte(TAG.f3Len);
    } else if (typeof v === "boolean") {
        w.byte(v ? 1 : 0);
        w.byte(TAG.f4Varint);
    } else if (Array.isArray(v)) {
        delimited(w, TAG.f6Len, () => listContent(w, v));
    } else {
        delimited(w, TAG.f5Len, () => structContent(w, v as Record<string, unknown>));
    }
}

/** `google.protobuf.ListValue` content: repeated Value values = 1. */
function listContent(w: ReverseWriter, items: readonly unknown[]): void {
    for (let i = items.length - 1; i >= 0; i--) {
        const item = jsonView(items[i], String(i));
        delimited(w, TAG.f1Len, () => valueContent(w, item === undefined ? null : item));
    }
}

/** `google.protobuf.Struct` content: map<string, Value> fields = 1, entries in key order as google-protobuf writes them. */
function structContent(w: ReverseWriter, object: Record<string, unknown>): void {
    const keys = Object.keys(object).sort();
    for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        const value = jsonView(object[key], key);
        if (value === undefined) continue;
        delimited(w, TAG.f1Len, () => {
            delimited(w, TAG.f2Len, () => valueContent(w, value));
            // The key is written even when empty: map entries always carry both members.
            w.string(key);
            w.varint(Buffer.byteLength(key, "utf8"));
            w.byte(TAG.f1Len);
        });
    }
}

/** A resource as the Analyzer messages carry it. */
export interface WireResource {
    type: string;
    urn: string;
    name: string;
    properties: Record<string, unknown>;
    /** `AnalyzerResourceOptions.parent` (and, in `AnalyzerResource`, its own `parent`). */
    parent?: string;
    dependencies: readonly string[];
    provider?: WireProvider;
}

export interface WireProvider {
    type: string;
    urn: string;
    name: string;
    properties: Record<string, unknown>;
}

function structField(w: ReverseWriter, tag: number, properties: Record<string, unknown>): void {
    const view = jsonView(properties, "");
    delimited(w, tag, () => {
        if (view !== null && typeof view === "object") structContent(w, view as Record<string, unknown>);
    });
}

/** `AnalyzerResourceOptions`: protect 1 (false, so not written), parent 8. */
function optionsField(w: ReverseWriter, tag: number, parent: string | undefined): void {
    delimited(w, tag, () => stringField(w, TAG.f8Len, parent ?? ""));
}

/** `AnalyzerProviderResource`: type 1, properties 2, urn 3, name 4. */
function providerField(w: ReverseWriter, tag: number, p: WireProvider): void {
    delimited(w, tag, () => {
        stringField(w, TAG.f4Len, p.name);
        stringField(w, TAG.f3Len, p.urn);
        structField(w, TAG.f2Len, p.properties);
        stringField(w, TAG.f1Len, p.type);
    });
}

/** `AnalyzeRequest`: type 1, properties 2, urn 3, name 4, options 5, provider 6. Fields are written last to first. */
function analyzeRequestContent(w: ReverseWriter, r: WireResource): void {
    if (r.provider) providerField(w, TAG.f6Len, r.provider);
    optionsField(w, TAG.f5Len, r.parent);
    stringField(w, TAG.f4Len, r.name);
    stringField(w, TAG.f3Len, r.urn);
    structField(w, TAG.f2Len, r.properties);
    stringField(w, TAG.f1Len, r.type);
}

/** `AnalyzerResource`: type 1, properties 2, urn 3, name 4, options 5, provider 6, parent 7, dependencies 8. */
function analyzerResourceContent(w: ReverseWriter, r: WireResource): void {
    for (let i = r.dependencies.length - 1; i >= 0; i--) {
        // Repeated strings are written element by element, empty ones included.
        const d = r.dependencies[i];
        w.string(d);
        w.varint(Buffer.byteLength(d, "utf8"));
        w.byte(TAG.f8Len);
    }
    stringField(w, TAG.f7Len, r.parent ?? "");
    if (r.provider) providerField(w, TAG.f6Len, r.provider);
    optionsField(w, TAG.f5Len, r.parent);
    stringField(w, TAG.f4Len, r.name);
    stringField(w, TAG.f3Len, r.urn);
    structField(w, TAG.f2Len, r.properties);
    stringField(w, TAG.f1Len, r.type);
}

/** Encodes requests; one writer's buffer serves every request it encodes. */
export class AnalyzerWireEncoder {
    private readonly w = new ReverseWriter();

    analyzeRequest(r: WireResource): Buffer {
        this.w.reset();
        analyzeRequestContent(this.w, r);
        return this.w.take();
    }

    /** `AnalyzeStackRequest`: repeated AnalyzerResource resources = 1. */
    analyzeStackRequest(resources: readonly WireResource[]): Buffer {
        const w = this.w;
        w.reset();
        for (let i = resources.length - 1; i >= 0; i--) {
            delimited(w, TAG.f1Len, () => analyzerResourceContent(w, resources[i]));
        }
        return w.take();
    }
}
