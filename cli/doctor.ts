/** CLI: doctor — check the home, database, indexes, keys and client integration. */
import { runDoctor } from "../lib/doctor/mod.ts";
import { probePostgres } from "./_postgres.ts";
import { MemoryossError } from "../lib/errors/mod.ts";
import { type CommandSpec, parseCommand } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";

const spec: CommandSpec = {
  name: "doctor",
  summary: "check config, database, indexes, embedder, key files and client integration",
  usage: ["doctor [--repair] [--json]"],
  options: {
    repair: {
      type: "boolean",
      description: "rebuild indexes, re-embed, fix key modes, replay client blocks",
    },
    json: { type: "boolean", description: "print JSON" },
  },
  notes: [
    "Each line is [ok], [warn] or [error] with a hint; exit 1 when any error remains.",
    'With [storage] backend = "postgres" it connects to [storage] url and prints one engine',
    "line: server version, vector mode (pgvector x.y or real[]), schema version.",
  ],
  examples: ["memoryoss doctor", "memoryoss doctor --repair"],
};

export async function main(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(spec, args);
  if (!p) return 0;
  if (p.positionals.length) throw new MemoryossError("INVALID_INPUT", "doctor takes no arguments");
  const r = await runDoctor({
    env: (k) => Deno.env.get(k),
    config: g.config,
    repair: Boolean(p.values.repair),
    probePostgres,
  });
  if (p.values.json) printJson(r);
  else {
    for (const a of r.repairs) console.log(`[repair] ${a}`);
    for (const f of r.findings) {
      console.log(`[${f.level}] ${f.check}: ${f.message}`);
      if (f.hint && f.level !== "ok") console.log(`        → ${f.hint}`);
    }
  }
  return r.ok ? 0 : 1;
}
