/** Builds a finding whose severity comes from the rule catalog, never from the caller. */
import type { Finding } from "../analysis";
import { ruleInfo } from "./catalog";

export function finding(rule: string, path: string, message: string, fix: string): Finding {
    return { rule, severity: ruleInfo(rule).severity, message, fix, path };
}
