/**
 * Identifier recall (issue 21): for 50 identifiers that occur in exactly one memory, how often
 * that memory ranks first in each recall mode and in raw FTS5 (the identifier as a phrase,
 * bm25 order), and how often a mode returns nothing. Each identifier is asked bare and inside a
 * short sentence. The synthetic corpus (synthetic.ts) holds commit hashes, tickets, branches and
 * endpoints but no hostnames or version strings, so {@link plantIdentifiers} first adds a few
 * memories in the same style that each name one hostname (full or short) or version, and
 * memories naming their near neighbours (the other environment, a sibling host, the final
 * release of a release candidate).
 * Used by bench.ts.
 */
import { drain, importText, recall, type Runtime } from "../lib/memory/mod.ts";
import { ftsPhraseQuery } from "../lib/recall/text.ts";
import { prng, syntheticMemories } from "./synthetic.ts";

/** The identifier kinds the table reports. */
export type IdKind = "commit hash" | "full hostname" | "short hostname" | "version/other";

interface Picked {
  id: string;
  kind: IdKind;
  /** The one memory that holds it. */
  pk: number;
  memId: string;
}

const ZONES = ["eu-west-1", "us-east-2", "ap-south-1"];
const ROLES = ["db", "cache", "api", "queue", "search", "ci"];

/** Planted identifiers: `full` full hostnames, `short` short hostnames, `versions` versions. */
function plantedIds(full = 13, short = 12, versions = 6): [IdKind, string][] {
  const r = prng(2121);
  const n = (k: number) => Math.floor(r() * k);
  const out: [IdKind, string][] = [];
  for (let i = 0; i < full; i++) {
    out.push([
      "full hostname",
      `${ROLES[i % ROLES.length]}-${10 + i}.${["prod", "staging"][n(2)]}.${
        ZONES[n(3)]
      }.internal.example.com`,
    ]);
  }
  for (let i = 0; i < short; i++) out.push(["short hostname", `${ROLES[i % 6]}box${40 + i}`]);
  for (let i = 0; i < versions; i++) {
    out.push(["version/other", `v${2 + n(7)}.${n(20)}.${n(30)}-rc${i + 1}`]);
  }
  return out;
}

/**
 * Near neighbours of a planted identifier, planted in memories of their own as a real store
 * would hold them: the same host in the other environment and a sibling host number, the
 * release a release candidate belongs to. They share all but one token with it.
 */
function siblings(kind: IdKind, id: string): string[] {
  if (kind === "full hostname") {
    const other = id.includes(".prod.") ? id.replace(".prod.", ".staging.") : id.replace(
      ".staging.",
      ".prod.",
    );
    return [other, id.replace(/-(\d+)\./, (_, d) => `-${100 + Number(d)}.`)];
  }
  return kind === "version/other" ? [id.replace(/-rc\d+$/, "")] : [];
}

/**
 * Add one memory per planted identifier and one per sibling ({@link siblings}): synthetic
 * sentences plus "Runs on host …" / "Pinned to release …".
 */
export async function plantIdentifiers(rt: Runtime, namespace: string): Promise<void> {
  const ids = plantedIds().flatMap(([k, id]) =>
    [[k, id], ...siblings(k, id).map((s) => [k, s])] as [IdKind, string][]
  );
  const lines = syntheticMemories(ids.length, 2121).map((l, i) => {
    const m = JSON.parse(l);
    const [kind, id] = ids[i];
    m.content = `${m.content} ${
      kind === "version/other" ? `Pinned to release ${id}.` : `Runs on host ${id}.`
    }`;
    return JSON.stringify(m);
  });
  await importText(rt, lines.join("\n"), { namespace });
  await drain(rt);
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const bounded = (id: string) => new RegExp(`(?<![A-Za-z0-9])${esc(id)}(?![A-Za-z0-9])`, "i");

/** Candidate identifiers of the synthetic corpus and the planted ones, by kind. */
function candidates(contents: string[]): [IdKind, string][] {
  const out: [IdKind, string][] = plantedIds();
  for (const c of contents) {
    const h = c.match(/Commit ([0-9a-f]{7}) /);
    if (h) out.push(["commit hash", h[1]]);
    const o = c.match(/(ENG-\d+|feat\/[a-z]+-\d+|\/v1\/[a-z]+\/\d+)/);
    if (o) out.push(["version/other", o[1]]);
  }
  return out;
}

/** 50 identifiers held by exactly one memory: 13 commits, 13 full, 12 short hosts, 12 other. */
export function pickIdentifiers(rt: Runtime, namespace: string): Picked[] {
  // Through the store, which decrypts content (homes encrypt at rest by default).
  const rows = rt.store.list({ namespace }, { limit: Number.MAX_SAFE_INTEGER }).map((m) => ({
    pk: m.pk,
    id: m.record.id,
    content: m.record.content,
  }));
  const want: Record<IdKind, number> = {
    "commit hash": 13,
    "full hostname": 13,
    "short hostname": 12,
    "version/other": 12,
  };
  const picked: Picked[] = [];
  const seen = new Set<string>();
  for (const [kind, id] of candidates(rows.map((r) => r.content))) {
    if (want[kind] === 0 || seen.has(id)) continue;
    seen.add(id);
    const re = bounded(id);
    const holders = rows.filter((r) => re.test(r.content));
    if (holders.length !== 1) continue;
    picked.push({ id, kind, pk: holders[0].pk, memId: holders[0].id });
    want[kind]--;
  }
  return picked;
}

/** Per kind and query form: top-1 hits and empty answers per mode. */
interface Tally {
  n: number;
  top: Record<string, number>;
  empty: Record<string, number>;
}

const MODES = ["fts5 phrase", "hybrid", "bm25", "vector"] as const;
const FORMS = {
  bare: (id: string) => id,
  sentence: (id: string) => `which change touched ${id}?`,
};

/** The identifier table for the memories of `namespace` (plant first), as markdown. */
export async function benchIdentifiers(rt: Runtime, namespace: string): Promise<string> {
  rt.syncIndex();
  const picked = pickIdentifiers(rt, namespace);
  const fts = rt.store.prepare(
    `SELECT rowid AS pk FROM memories_fts WHERE memories_fts MATCH ?
     ORDER BY bm25(memories_fts, 1.0, 0.5), rowid LIMIT 1`,
  );
  const tallies = new Map<string, Tally>();
  const tally = (key: string) => {
    let t = tallies.get(key);
    if (!t) {
      t = { n: 0, top: {}, empty: {} };
      for (const m of MODES) t.top[m] = t.empty[m] = 0;
      tallies.set(key, t);
    }
    return t;
  };
  const misses: string[] = [];
  for (const p of picked) {
    for (const [form, make] of Object.entries(FORMS)) {
      const q = make(p.id);
      const ts = [tally(`${p.kind}|${form}`), tally(`**all**|${form}`)];
      for (const t of ts) t.n++;
      for (const mode of MODES) {
        let first: unknown, empty: boolean;
        if (mode === "fts5 phrase") {
          const row = fts.get(ftsPhraseQuery(p.id)!) as { pk: number } | undefined;
          first = row?.pk === p.pk;
          empty = !row;
        } else {
          const res = await recall(rt, {
            query: q,
            namespace,
            limit: 10,
            ...(mode === "hybrid" ? {} : { mode }),
          });
          first = res.memories[0]?.id === p.memId;
          empty = res.memories.length === 0;
        }
        for (const t of ts) {
          if (first) t.top[mode]++;
          if (empty) t.empty[mode]++;
        }
        if (!first && mode !== "vector") misses.push(`${mode}: ${p.id} (${form})`);
      }
    }
  }
  return identifierTable(picked.length, tallies, misses);
}

function identifierTable(n: number, tallies: Map<string, Tally>, misses: string[]): string {
  const head = [
    `${n} identifiers each held by exactly one memory; cells are "ranked first / returned ` +
    `nothing" out of the row's queries.\n`,
    `| kind | query | queries | FTS5 phrase | hybrid | bm25 | vector |`,
    `|---|---|---:|---:|---:|---:|---:|`,
  ];
  const order = ["commit hash", "full hostname", "short hostname", "version/other", "**all**"];
  const keys = [...tallies.keys()].sort((a, b) =>
    order.indexOf(a.split("|")[0]) - order.indexOf(b.split("|")[0])
  );
  const rows = keys.map((k) => {
    const t = tallies.get(k)!;
    const [kind, form] = k.split("|");
    const cells = MODES.map((m) => `${t.top[m]} / ${t.empty[m]}`).join(" | ");
    return `| ${kind} | ${form} | ${t.n} | ${cells} |`;
  });
  return [
    ...head,
    ...rows,
    `\nnot first in FTS5, hybrid or bm25: ${misses.join(", ") || "none"}`,
  ].join("\n");
}
