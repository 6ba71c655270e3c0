/**
 * What the write path's candidate ranking reads from the FTS5 index to compute bm25 itself
 * (lib/memory/dedup_index.ts): a term's postings with their weighted frequencies, the token
 * count of rows, and how FTS5 tokenizes a text. Read through `fts5vocab` tables and a scratch
 * FTS5 table in the connection's `temp` schema (never in the database file), created on first
 * use with the index's own tokenizer.
 */
import type { Store } from "./store.ts";

export { tagsText } from "./rows.ts";

/**
 * The column weights every bm25 ranking of `memories_fts` uses (`bm25(memories_fts, 1.0, 0.5)`
 * in fts.ts): content counts fully, tags half.
 */
export const FTS_COLUMN_WEIGHTS: readonly [number, number] = [1.0, 0.5];

/** One term's rows in row key order, with FTS5's frequency for each (weighted instances). */
export interface TermPostings {
  pks: number[];
  f: number[];
}

/** A text as FTS5 indexes it: weighted frequency per token, and the token count. */
export interface Tokenized {
  terms: Map<string, number>;
  size: number;
}

const ready = new WeakSet<Store>();

/** The temp tables, once per connection. */
function ensureTables(store: Store): void {
  if (ready.has(store)) return;
  const row = store.prepare(
    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'memories_fts'",
  ).get() as { sql: string } | undefined;
  const tokenize = row?.sql.match(/tokenize\s*=\s*('(?:[^']|'')*')/i)?.[1] ?? "'unicode61'";
  store.db.exec(
    `CREATE VIRTUAL TABLE IF NOT EXISTS temp.dedup_fts_terms
       USING fts5vocab(main, memories_fts, instance);
     CREATE VIRTUAL TABLE IF NOT EXISTS temp.dedup_fts_rows
       USING fts5vocab(main, memories_fts, row);
     CREATE VIRTUAL TABLE IF NOT EXISTS temp.dedup_scratch
       USING fts5(content, tags_text, content='', tokenize=${tokenize});
     CREATE VIRTUAL TABLE IF NOT EXISTS temp.dedup_scratch_terms
       USING fts5vocab(temp, dedup_scratch, instance);`,
  );
  ready.add(store);
}

const weightOf = (col: string) => col === "content" ? FTS_COLUMN_WEIGHTS[0] : FTS_COLUMN_WEIGHTS[1];

/** Every row of the index holding `term` (an indexed token, as {@link ftsTokenize} gives). */
export function ftsTermPostings(store: Store, term: string): TermPostings {
  ensureTables(store);
  const st = store.prepare("SELECT doc, col FROM temp.dedup_fts_terms WHERE term = ?");
  (st as { setReturnArrays?: (on: boolean) => void }).setReturnArrays?.call(st, true);
  const rows = st.all(term) as unknown as ([number, string] | { doc: number; col: string })[];
  const byPk = new Map<number, number>();
  for (const r of rows) {
    const [pk, col] = Array.isArray(r) ? r : [r.doc, r.col];
    byPk.set(pk, (byPk.get(pk) ?? 0) + weightOf(col));
  }
  const pks = [...byPk.keys()].sort((a, b) => a - b);
  return { pks, f: pks.map((pk) => byPk.get(pk)!) };
}

/** Every token of the index with the number of rows holding it (one pass over the index). */
export function ftsTermRowCounts(store: Store): Map<string, number> {
  ensureTables(store);
  const st = store.prepare("SELECT term, doc FROM temp.dedup_fts_rows");
  (st as { setReturnArrays?: (on: boolean) => void }).setReturnArrays?.call(st, true);
  const out = new Map<string, number>();
  for (const r of st.all() as unknown as ([string, number] | { term: string; doc: number })[]) {
    const [term, doc] = Array.isArray(r) ? r : [r.term, r.doc];
    out.set(term, doc);
  }
  return out;
}

/**
 * Token counts of every indexed row (`memories_fts_docsize`: one varint per column), as
 * FTS5's bm25 reads them; rows not in the index are absent.
 */
export function ftsDocSizes(store: Store, pks?: number[]): Map<number, number> {
  const out = new Map<number, number>();
  const read = (rows: { id: number; sz: Uint8Array }[]) => {
    for (const r of rows) out.set(r.id, varintSum(r.sz));
  };
  if (!pks) {
    read(store.prepare("SELECT id, sz FROM memories_fts_docsize").all() as never);
    return out;
  }
  for (let i = 0; i < pks.length; i += 500) {
    const chunk = pks.slice(i, i + 500);
    read(
      store.prepare(
        `SELECT id, sz FROM memories_fts_docsize WHERE id IN (${chunk.map(() => "?").join(",")})`,
      ).all(...chunk) as never,
    );
  }
  return out;
}

/**
 * The row and token totals FTS5's bm25 divides by, as committed (the index's averages record):
 * every insert adds its row and tokens; a delete (contentless_delete) takes nothing away, so
 * a rewritten row counts again.
 */
export function ftsTotals(store: Store): { rows: number; tokens: number } {
  const row = store.prepare("SELECT block FROM memories_fts_data WHERE id = 1").get() as
    | { block: Uint8Array }
    | undefined;
  if (!row) return { rows: 0, tokens: 0 };
  const [rows, ...cols] = varints(row.block);
  return { rows: rows ?? 0, tokens: cols.reduce((a, b) => a + b, 0) };
}

/** The sum of the SQLite varints in `b` (FTS5's docsize record). */
function varintSum(b: Uint8Array): number {
  return varints(b).reduce((a, v) => a + v, 0);
}

/** The SQLite varints in `b`. */
function varints(b: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < b.length) {
    let v = 0;
    for (let n = 0; i < b.length; n++) {
      const byte = b[i++];
      if (n === 8) {
        v = v * 256 + byte;
        break;
      }
      v = v * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) break;
    }
    out.push(v);
  }
  return out;
}

/**
 * How FTS5 tokenizes each (content, tags) pair with the index's tokenizer: the weighted
 * frequency of every token and the token count, as the index would hold them for a row.
 */
export function ftsTokenize(store: Store, rows: [string, string][]): Tokenized[] {
  ensureTables(store);
  const out = rows.map((): Tokenized => ({ terms: new Map(), size: 0 }));
  if (rows.length === 0) return out;
  const put = store.prepare(
    "INSERT INTO temp.dedup_scratch(rowid, content, tags_text) VALUES (?, ?, ?)",
  );
  for (const [i, [content, tags]] of rows.entries()) put.run(i + 1, content, tags);
  const st = store.prepare("SELECT term, doc, col FROM temp.dedup_scratch_terms");
  for (const r of st.all() as { term: string; doc: number; col: string }[]) {
    const t = out[r.doc - 1];
    t.terms.set(r.term, (t.terms.get(r.term) ?? 0) + weightOf(r.col));
    t.size++;
  }
  store.prepare("INSERT INTO temp.dedup_scratch(dedup_scratch) VALUES ('delete-all')").run();
  return out;
}

/** The tags text a row was indexed with (null: no such row). */
export function memoryTagsText(store: Store, pk: number): string | null {
  const row = store.prepare("SELECT tags_text FROM memories WHERE pk = ?").get(pk) as
    | { tags_text: string }
    | undefined;
  return row ? row.tags_text : null;
}

/** Namespace and archive flag of rows by pk (rows that do not exist are absent). */
export function memoryPlaces(
  store: Store,
  pks: number[],
): Map<number, { namespace: string; archived: boolean }> {
  const out = new Map<number, { namespace: string; archived: boolean }>();
  for (let i = 0; i < pks.length; i += 500) {
    const chunk = pks.slice(i, i + 500);
    const rows = store.prepare(
      `SELECT pk, namespace, archived FROM memories WHERE pk IN (${
        chunk.map(() => "?").join(",")
      })`,
    ).all(...chunk) as { pk: number; namespace: string; archived: number }[];
    for (const r of rows) out.set(r.pk, { namespace: r.namespace, archived: r.archived !== 0 });
  }
  return out;
}
