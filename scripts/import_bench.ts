/**
 * Import throughput, bytes per memory on disk, and a fingerprint of every import decision
 * (issue 21), for before/after comparisons of the write path.
 *
 *   deno run -A scripts/import_bench.ts [--n 20000] [--chunk 1000] [--mixed]
 *                                        [--fingerprint out.json] [--root DIR]
 *
 * `importText` of `--n` synthetic memories (scripts/synthetic.ts) into a fresh home, in
 * `--chunk`-line calls as `deno task bench` does, after a warm-up on another home. Prints the
 * wall and CPU rate (CPU: this process's user + sys time from /proc, steadier than wall time
 * on a shared machine) and the home's files per memory once the first search has loaded the
 * vector index (up to schema v7 it wrote a vector snapshot beside the database: `--root` of an
 * older tree counts it). `--mixed` follows every fifth line
 * with a variant of an earlier one (an exact copy, a case and punctuation change, a filler
 * word, a flipped polarity, a changed number), so dedup and contradiction have work.
 * `--fingerprint` writes every line's outcome (merged into which line) and every stored
 * memory's status, evidence, version, confidence, contradictions (as line numbers) and tags:
 * two trees decide alike when their files are byte-identical. `--root` runs another
 * checkout's lib/ (the before side of an A/B). `--keep DIR` builds the home in DIR (new or
 * empty) and leaves it there, for measurements on it (dbstat, `serve`'s memory).
 */
import { parseArgs } from "node:util";
import { syntheticMemories } from "./synthetic.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    n: { type: "string", default: "20000" },
    chunk: { type: "string", default: "1000" },
    mixed: { type: "boolean" },
    fingerprint: { type: "string" },
    root: { type: "string" },
    keep: { type: "string" },
  },
});

const root = values.root
  ? new URL(`file://${Deno.realPathSync(values.root)}/`)
  : new URL("../", import.meta.url);
const { loadConfig } = await import(new URL("lib/config/mod.ts", root).href);
const { importText, openRuntime } = await import(new URL("lib/memory/mod.ts", root).href);

type Rt = {
  store: { list(f: unknown, p: unknown): { record: Record<string, unknown> }[] };
  syncIndex(): void;
  close(): void;
};

async function openHome(keep?: string): Promise<{ rt: Rt; home: string }> {
  if (keep) await Deno.mkdir(keep, { recursive: true });
  const home = keep ?? await Deno.makeTempDir({ prefix: "memoryoss-import-bench-" });
  const loaded = await loadConfig({
    env: (k: string) => (k === "MEMORYOSS_HOME" ? home : undefined),
  });
  return { rt: await openRuntime(loaded), home };
}

/** This process's CPU seconds (user + sys). */
function cpuSeconds(): number {
  const f = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** Every fifth line followed by a variant of an earlier line (seeded). */
function mixed(base: string[]): string[] {
  const out: string[] = [];
  let s = 12345;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < base.length && out.length < base.length; i++) {
    out.push(base[i]);
    if (i % 5 !== 4) continue;
    const src = JSON.parse(out[Math.floor(rnd() * out.length)]);
    const c: string = src.content;
    const variants = [
      () => c,
      () => c.toLowerCase().replace(/\.$/, ""),
      () => c.replace(/ the /, " the also "),
      () =>
        c.includes(" not ")
          ? c.replace(" not ", " ")
          : c.replace(/ (now depends on|is blocked by|replaced) /, " does not depend on "),
      () => c.replace(/\d+/, (d) => String(Number(d) + 1)),
    ];
    const kind = Math.floor(rnd() * variants.length);
    out.push(
      JSON.stringify({ ...src, content: variants[kind](), tags: [...src.tags, `v${kind}`] }),
    );
  }
  return out.slice(0, base.length);
}

/** Outcome per line and state per stored memory, with ids replaced by line numbers. */
function fingerprint(rt: Rt, ids: string[]): unknown {
  const lineOf = new Map<string, number>();
  ids.forEach((id, i) => lineOf.has(id) || lineOf.set(id, i));
  const rows = rt.store.list({ namespace: "bench" }, { limit: 1e9, order: "oldest" });
  const byId = new Map(rows.map((m) => [m.record.id as string, m.record]));
  const merges = ids.flatMap((id, i) => lineOf.get(id) === i ? [] : [[i, lineOf.get(id)]]);
  const memories = [...lineOf].map(([id, i]) => {
    const r = byId.get(id)!;
    const contradicts = (r.contradicts_with as string[]).map((c) => lineOf.get(c) ?? c);
    return [i, r.status, r.evidence_count, r.version, r.confidence, contradicts.sort(), r.tags];
  });
  return { count: rows.length, merges, memories };
}

const n = Number(values.n);
const step = Number(values.chunk);
const warm = await openHome();
await importText(warm.rt, syntheticMemories(300, 99).join("\n"), { namespace: "warmup" });
warm.rt.close();
await Deno.remove(warm.home, { recursive: true });

const { rt, home } = await openHome(values.keep);
const lines = values.mixed ? mixed(syntheticMemories(n)) : syntheticMemories(n);
const ids: string[] = [];
const [c0, t0] = [cpuSeconds(), performance.now()];
for (let i = 0; i < lines.length; i += step) {
  const res = await importText(rt, lines.slice(i, i + step).join("\n"), { namespace: "bench" });
  ids.push(...res.ids);
}
const [sec, cpu] = [(performance.now() - t0) / 1000, cpuSeconds() - c0];
const fp = values.fingerprint ? fingerprint(rt, ids) : null;
// The first search loads the vector index (an older tree, via --root, also writes its snapshot
// `<db>-vectors`, as its first `recall` after an import does: part of that home's size).
rt.syncIndex();
rt.close();
let bytes = 0;
const files: string[] = [];
for await (const e of Deno.readDir(home)) {
  const size = (await Deno.stat(`${home}/${e.name}`)).size;
  bytes += size;
  files.push(`${e.name} ${(size / n).toFixed(0)}`);
}
if (!values.keep) await Deno.remove(home, { recursive: true });
console.log(
  `| ${n}${values.mixed ? " mixed" : ""} | ${(n / sec).toFixed(0)} | ${(n / cpu).toFixed(0)} | ` +
    `${(bytes / n).toFixed(0)} | ${Deno.loadavg()[0].toFixed(1)} |`,
);
console.log(`(memories/s wall | per CPU second | bytes/memory: ${files.join(", ")})`);
if (fp && values.fingerprint) {
  await Deno.writeTextFile(values.fingerprint, JSON.stringify(fp));
  const f = fp as { count: number; merges: unknown[]; memories: unknown[][] };
  const contested = f.memories.filter((m) => m[1] === "contested").length;
  console.log(`stored ${f.count}, merged lines ${f.merges.length}, contested ${contested}`);
}
