/**
 * Which actions a controller release calls, and since which release each has been needed: the
 * "needed" side of the gap check, derived from the same per-release data that builds the
 * documents, so the two can never disagree.
 */
import { Partition, PARTITIONS } from "../partition";
import { NEWEST_STATEMENTS } from "./newest-statements";
import { controllerStatementTemplates } from "./policy-document";
import { additionSince, POLICY_ADDITIONS } from "./policy-history";

export interface NeededAction {
    readonly action: string;
    /** The first release whose upstream policy has it; absent when every known release has it. */
    readonly since?: string;
    /** Why the controller started calling it (absent for the oldest actions). */
    readonly purpose?: string;
}

/** Every action in the newest set, in upstream's order of first appearance. */
const ACTION_ORDER: readonly string[] = [...new Set(NEWEST_STATEMENTS.flatMap((template) => template.actions))];

function actionsOf(knownVersion: string, partition: Partition): Set<string> {
    return new Set(controllerStatementTemplates(knownVersion, partition).flatMap((template) => template.actions));
}

/**
 * The actions known release `knownVersion` calls in `partition`; without a partition, only those
 * its policy has in every partition (so no partition's correct policy is ever reported short).
 */
export function neededControllerActions(knownVersion: string, partition?: Partition): readonly NeededAction[] {
    // Snapshots and tests ask about the same few releases again and again.
    const key = `${knownVersion} ${partition ?? "*"}`;
    let needed = cache.get(key);
    if (needed === undefined) {
        needed = Object.freeze(computeNeeded(knownVersion, partition));
        cache.set(key, needed);
    }
    return needed;
}

const cache = new Map<string, readonly NeededAction[]>();

function computeNeeded(knownVersion: string, partition?: Partition): NeededAction[] {
    const partitions = partition === undefined ? PARTITIONS : [partition];
    const sets = partitions.map((p) => actionsOf(knownVersion, p));
    const needed = ACTION_ORDER.filter((action) => sets.every((set) => set.has(action)));
    return needed.map((action) => {
        const addition = POLICY_ADDITIONS.find((entry) => entry.actions?.names.includes(action));
        if (addition === undefined) {
            return { action };
        }
        const since = partition === undefined ? addition.since : additionSince(addition, partition);
        return { action, since, purpose: addition.purpose };
    });
}
