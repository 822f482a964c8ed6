import { UsageError } from "./usage-error";
export async function run(_argv: string[]): Promise<number> { throw new UsageError("plan: not built yet"); }
