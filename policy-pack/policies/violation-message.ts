/**
 * How a finding of the analysis core reads as a CrossGuard violation: what is wrong (naming the bad
 * value), then how to fix it, then the rule id and snapshot path so a reader can look the rule up
 * in `check` or the README. The engine prints the policy's description above it.
 */
import type { Finding } from "../../core";

export function violationMessage(finding: Finding, context?: string): string {
    const where = context === undefined ? "" : ` (${context})`;
    return `${finding.message}${where}. Fix: ${finding.fix} [rule ${finding.rule} at ${finding.path}]`;
}

