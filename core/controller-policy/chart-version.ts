/**
 * Which `aws-load-balancer-controller` Helm chart version goes with a controller release. The
 * components pin the chart from this, so the chart and the permission set always describe the
 * same controller.
 */
import { requireKnownControllerVersion, parseControllerVersion } from "./versions";

/**
 * Releases whose chart (the version in the controller repository at that tag) breaks the usual
 * rule, because upstream bumped the chart separately from the controller. Recorded as upstream
 * has them, including v2.7.0's chart 2.7.0.
 */
const CHART_VERSION_EXCEPTIONS: Readonly<Record<string, string>> = Object.freeze({
    "v2.4.2": "1.4.1",
    "v2.4.3": "1.4.4",
    "v2.4.4": "1.4.5",
    "v2.4.6": "1.4.7",
    "v2.4.7": "1.4.8",
    "v2.5.2": "1.5.3",
    "v2.5.3": "1.5.4",
    "v2.5.4": "1.5.5",
    "v2.6.0": "1.5.5",
    "v2.6.1": "1.6.0",
    "v2.6.2": "1.6.0",
    "v2.7.0": "2.7.0",
    "v2.17.0": "1.16.0",
    "v3.4.1": "3.4.0",
});

/**
 * The chart version for a known controller release: from 3.0.0 the chart carries the controller's
 * own version; controller v2.X.Y shipped as chart 1.X.Y, except for the releases listed above.
 */
export function chartVersionFor(controllerVersion: string): string {
    const version = requireKnownControllerVersion(controllerVersion);
    const exception = CHART_VERSION_EXCEPTIONS[version];
    if (exception !== undefined) {
        return exception;
    }
    const [major, minor, patch] = parseControllerVersion(version);
    return major === 2 ? `1.${minor}.${patch}` : `${major}.${minor}.${patch}`;
}
