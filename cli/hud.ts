/**
 * CLI: hud — the terminal view of `GET /v1/admin/hud` (memoryOSS §8: "recent and hud are
 * terminal views of the admin endpoints"): lifecycle counts, recent activity and the review
 * queue of one namespace, from the same lib/server `hud()` the route calls.
 */
import { hud } from "../lib/server/mod.ts";
import {
  type CommandSpec,
  intValue,
  JSON_OPTION,
  NAMESPACE_OPTION,
  namespaceValue,
  parseCommand,
} from "./_args.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { type Globals, printJson } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";

const spec: CommandSpec = {
  name: "hud",
  summary: "one namespace at a glance: lifecycle, recent activity, review queue",
  usage: ["hud [-n NS] [--limit 5] [--json]"],
  options: {
    namespace: NAMESPACE_OPTION,
    limit: { type: "string", value: "N", description: "rows per list, 1..25 (default 5)" },
    json: JSON_OPTION,
  },
  notes: ["The same view as GET /v1/admin/hud (docs/http-api.md)."],
  examples: ["memoryoss hud -n proj", "memoryoss hud --json --limit 10"],
};

type Hud = ReturnType<typeof hud>;

function text(v: Hud): string {
  const lines = [`memoryoss HUD: ${v.namespace} (${v.generated_at})`, "", "Lifecycle:"];
  for (const [k, n] of Object.entries(v.lifecycle)) lines.push(`  ${k.padEnd(22)}${n}`);
  lines.push("", "Review queue:");
  for (const [k, n] of Object.entries(v.review_queue.summary)) {
    lines.push(`  ${k.padEnd(22)}${n}`);
  }
  for (const [i, it] of v.review_queue.items.entries()) {
    lines.push(`  ${i + 1}. [${it.queue_kind ?? it.status}] ${it.preview}`);
  }
  lines.push("", "Recent:");
  if (v.recent.length === 0) lines.push("  (nothing yet)");
  for (const e of v.recent) lines.push(`  ${e.at}  ${e.kind.padEnd(12)}${e.memory_id ?? ""}`);
  return lines.join("\n");
}

/** `memoryoss hud`. */
export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  if (p.positionals.length) throw new MemoryossError("INVALID_INPUT", "hud takes no arguments");
  const limit = intValue(p.values.limit, "limit", 1) ?? 5;
  if (limit > 25) throw new MemoryossError("INVALID_INPUT", "--limit must be 1..25");
  const namespace = namespaceValue(p.values.namespace);
  const view = await withRuntime(g, (rt) => hud(rt, { scope: [namespace], namespace, limit }));
  if (p.values.json) printJson(view);
  else console.log(text(view));
  return 0;
}
