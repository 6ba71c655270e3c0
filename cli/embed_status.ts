/**
 * CLI: `embed status` (memman's): the embedder the home is bound to and how many stored
 * vectors are current. `--json`: `{store, state, fingerprint, embedder_id, memories, current,
 * stale, missing, by_embedder}`. Exit 0 (also when vectors are stale: the hint says what to
 * run); bad arguments exit 3. Calls lib/memory's embedStatus.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { embedStatus } from "../lib/memory/mod.ts";
import { currentStore } from "../lib/namespace/mod.ts";
import { type CommandSpec, JSON_OPTION, parseCommand } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";

const statusSpec: CommandSpec = {
  name: "embed status",
  summary: "the embedder this home is bound to and how many vectors are current",
  usage: ["embed status [--json]"],
  options: { json: JSON_OPTION },
  notes: [
    "The embedder is one per home: the counts cover every store and namespace. Stale or " +
    "missing vectors are fixed by 'memoryoss embed reembed --all-namespaces'.",
  ],
  examples: ["memoryoss embed status", "memoryoss embed status --json"],
};

/** `embed status …` (args after `status`). */
export async function embedStatusCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(statusSpec, args);
  if (!p) return 0;
  if (p.positionals.length) {
    throw new MemoryossError("INVALID_INPUT", `unexpected argument '${p.positionals[0]}'`);
  }
  return await withRuntime(g, (rt) => {
    const s = embedStatus(rt, currentStore(rt.loaded.home, (k) => Deno.env.get(k)).name);
    if (p.values.json) {
      printJson(s);
      return 0;
    }
    const f = s.fingerprint;
    console.log(`store: ${s.store}`);
    console.log(
      `embedder: ${s.embedder_id} (provider ${f.provider}, model ${f.model || "-"}, dim ${f.dim})`,
    );
    console.log(
      `vectors: ${s.current} of ${s.memories} current, ${s.stale} stale, ${s.missing} missing`,
    );
    for (const e of s.by_embedder) {
      if (e.embedder_id !== s.embedder_id || e.dim !== f.dim) {
        console.log(`  other embedder: ${e.embedder_id} (dim ${e.dim}): ${e.count}`);
      }
    }
    console.log(`swap: ${s.state}`);
    if (s.stale + s.missing > 0) {
      console.log("hint: run 'memoryoss embed reembed --all-namespaces'");
    }
    return 0;
  });
}
