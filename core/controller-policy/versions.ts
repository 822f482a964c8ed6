/**
 * The AWS Load Balancer Controller releases this project knows, and how to compare version
 * strings. Every other file of the permission data is keyed by these tags, so an unknown version
 * is rejected here with the list of the allowed ones.
 */

/** Every release tag from v2.4.0 to v3.5.0, in release order (the tags upstream publishes a policy for). */
export const KNOWN_CONTROLLER_VERSIONS: readonly string[] = Object.freeze([
    "v2.4.0", "v2.4.1", "v2.4.2", "v2.4.3", "v2.4.4", "v2.4.5", "v2.4.6", "v2.4.7",
    "v2.5.0", "v2.5.1", "v2.5.2", "v2.5.3", "v2.5.4",
    "v2.6.0", "v2.6.1", "v2.6.2",
    "v2.7.0", "v2.7.1", "v2.7.2",
    "v2.8.0", "v2.8.1", "v2.8.2", "v2.8.3",
    "v2.9.0", "v2.9.1", "v2.9.2",
    "v2.10.0", "v2.10.1",
    "v2.11.0",
    "v2.12.0",
    "v2.13.0", "v2.13.1", "v2.13.2", "v2.13.3", "v2.13.4",
    "v2.14.0", "v2.14.1",
    "v2.15.0",
    "v2.16.0",
    "v2.17.0", "v2.17.1",
    "v3.0.0",
    "v3.1.0",
    "v3.2.0", "v3.2.1", "v3.2.2",
    "v3.3.0",
    "v3.4.0", "v3.4.1", "v3.4.2", "v3.4.3",
    "v3.5.0",
]);

/**
 * The versions the components deploy. From v2.13.0 the upstream policy has not changed, so one
 * permission set serves them all; v2.13.0 is also the first release that discovers subnets by
 * route-table reachability.
 */
export const SUPPORTED_CONTROLLER_VERSIONS: readonly string[] = Object.freeze(
    KNOWN_CONTROLLER_VERSIONS.slice(KNOWN_CONTROLLER_VERSIONS.indexOf("v2.13.0")),
);

export const DEFAULT_CONTROLLER_VERSION = "v3.5.0";

export const OLDEST_KNOWN_CONTROLLER_VERSION = KNOWN_CONTROLLER_VERSIONS[0];

const VERSION_PATTERN = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** `[major, minor, patch]` of "v2.13.0" or "2.13.0"; throws on anything else. */
export function parseControllerVersion(version: string): [number, number, number] {
    const match = typeof version === "string" ? VERSION_PATTERN.exec(version.trim()) : null;
    if (!match) {
        throw new Error(
            `controller version: "${String(version)}" is not a version; expected MAJOR.MINOR.PATCH with or without "v", e.g. "${DEFAULT_CONTROLLER_VERSION}"`,
        );
    }
    return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer. */
export function compareControllerVersions(a: string, b: string): number {
    const left = parseControllerVersion(a);
    const right = parseControllerVersion(b);
    for (let i = 0; i < 3; i++) {
        if (left[i] !== right[i]) {
            return left[i] - right[i];
        }
    }
    return 0;
}

/** "2.13.0" → "v2.13.0", the spelling of the release tags. */
export function normalizeControllerVersion(version: string): string {
    return `v${parseControllerVersion(version).join(".")}`;
}

/** The known tag for `version` (with or without "v"); throws naming the value and the allowed list. */
export function requireKnownControllerVersion(version: string): string {
    const normalized = VERSION_PATTERN.test(String(version).trim()) ? normalizeControllerVersion(version) : undefined;
    if (normalized === undefined || !KNOWN_CONTROLLER_VERSIONS.includes(normalized)) {
        throw new Error(
            `controller version: "${String(version)}" is not a known AWS Load Balancer Controller release; allowed: ${KNOWN_CONTROLLER_VERSIONS.join(", ")}`,
        );
    }
    return normalized;
}

export function isKnownControllerVersion(version: string): boolean {
    try {
        requireKnownControllerVersion(version);
        return true;
    } catch {
        return false;
    }
}

/**
 * The newest known release not newer than `version`: the permission set a well-formed but
 * unlisted version (a future v3.6.0, a v2.13.5) is judged by. `undefined` when it is older than
 * every known release.
 */
export function nearestKnownControllerVersion(version: string): string | undefined {
    let nearest: string | undefined;
    for (const known of KNOWN_CONTROLLER_VERSIONS) {
        if (compareControllerVersions(known, version) <= 0) {
            nearest = known;
        }
    }
    return nearest;
}
