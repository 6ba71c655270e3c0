/**
 * Read-only numbers for the dashboard (docs/dashboard.md), always confined to a caller's
 * namespace scope: memories created per day, status counts, extraction yield, index lag,
 * database size, and the memories the proxy injected most recently.
 */
import {
  inScope,
  namespaceCounts,
  type NamespaceScope,
  preview,
  type Runtime,
  trustScore,
} from "../memory/mod.ts";

/** The source key the proxy's extraction pipeline stores candidates under. */
const EXTRACTION_SOURCE = "proxy-extraction";

/** One day of a time series (`YYYY-MM-DD`, UTC). */
export interface DayCount {
  day: string;
  count: number;
}

/** The dashboard's health and yield numbers for one scope. */
export interface DashboardStats {
  generated_at: string;
  namespaces: ReturnType<typeof namespaceCounts>;
  totals: { total: number; archived: number; by_status: Record<string, number> };
  created_per_day: DayCount[];
  extraction: {
    extracted_total: number;
    by_status: Record<string, number>;
    archived: number;
    extracted_per_day: DayCount[];
    remember_decisions: Record<string, number>;
    remember_pending: number;
  };
  index: {
    vector_index_size: number;
    vectors_expected: number;
    missing_embeddings: number;
    stale_embeddings: number;
    lag: number;
  };
  embedder: { id: string; dim: number };
  database: { bytes: number; wal_bytes: number } | null;
}

function scopeWhere(scope: NamespaceScope): { sql: string; params: string[] } {
  if (scope === "*") return { sql: "1 = 1", params: [] };
  const names = [...new Set(scope)];
  if (names.length === 0) return { sql: "0 = 1", params: [] };
  return { sql: `namespace IN (${names.map(() => "?").join(",")})`, params: names };
}

function dayKeys(now: Date, days: number): string[] {
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) {
    out.push(new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  }
  return out;
}

function fileSize(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Health and yield numbers for `scope`, over the last `days` days (1..365, default 30).
 *
 * @example
 * ```ts
 * const s = dashboardStats(rt, ["team-a"]);
 * s.created_per_day.at(-1); // { day: "2026-11-23", count: 4 }
 * ```
 */
export function dashboardStats(
  rt: Runtime,
  scope: NamespaceScope,
  opts: { days?: number } = {},
): DashboardStats {
  rt.syncIndex();
  const days = Math.min(365, Math.max(1, opts.days ?? 30));
  const now = rt.now();
  const keys = dayKeys(now, days);
  const w = scopeWhere(scope);
  const db = rt.store.db;
  const count = (where: string, params: (string | number)[] = []) =>
    (db.prepare(`SELECT count(*) AS n FROM memories WHERE ${w.sql} AND ${where}`).get(
      ...w.params,
      ...params,
    ) as { n: number }).n;
  const perDay = (extra: string, params: string[] = []): DayCount[] => {
    const rows = db.prepare(
      `SELECT substr(created_at, 1, 10) AS day, count(*) AS n FROM memories
       WHERE ${w.sql} AND created_at >= ? ${extra} GROUP BY day`,
    ).all(...w.params, keys[0], ...params) as { day: string; n: number }[];
    const m = new Map(rows.map((r) => [r.day, r.n]));
    return keys.map((day) => ({ day, count: m.get(day) ?? 0 }));
  };
  const grouped = (sql: string, params: (string | number)[]) =>
    Object.fromEntries(
      (db.prepare(sql).all(...params) as { k: string; n: number }[]).map((r) => [r.k, r.n]),
    );

  const namespaces = namespaceCounts(rt, scope);
  const byStatus: Record<string, number> = {};
  for (const ns of namespaces) {
    for (const [s, n] of Object.entries(ns.by_status)) byStatus[s] = (byStatus[s] ?? 0) + n;
  }
  const vectorsExpected = count(
    "archived = 0 AND embedding IS NOT NULL AND embedder_id = ? AND dim = ?",
    [rt.embedder.id, rt.embedder.dim],
  );
  const missing = count("archived = 0 AND embedding IS NULL");
  const stale = count(
    "archived = 0 AND embedding IS NOT NULL AND (embedder_id != ? OR dim != ?)",
    [rt.embedder.id, rt.embedder.dim],
  );
  const vectors = scope === "*"
    ? rt.index.size()
    : [...new Set(scope)].reduce((n, ns) => n + rt.index.size(ns), 0);
  const remembered = grouped(
    `SELECT action AS k, count(*) AS n FROM remember_decisions WHERE ${w.sql} GROUP BY action`,
    w.params,
  );
  const pending = (db.prepare(
    `SELECT count(*) AS n FROM remember_queue WHERE ${w.sql} AND done_at IS NULL`,
  ).get(...w.params) as { n: number }).n;
  const dbPath = rt.loaded.dbPath;
  const inMemory = dbPath === ":memory:";
  return {
    generated_at: now.toISOString(),
    namespaces,
    totals: {
      total: namespaces.reduce((n, s) => n + s.total, 0),
      archived: namespaces.reduce((n, s) => n + s.archived, 0),
      by_status: byStatus,
    },
    created_per_day: perDay(""),
    extraction: {
      extracted_total: count("source_key = ?", [EXTRACTION_SOURCE]),
      by_status: grouped(
        `SELECT status AS k, count(*) AS n FROM memories
         WHERE ${w.sql} AND source_key = ? AND archived = 0 GROUP BY status`,
        [...w.params, EXTRACTION_SOURCE],
      ),
      archived: count("source_key = ? AND archived = 1", [EXTRACTION_SOURCE]),
      extracted_per_day: perDay("AND source_key = ?", [EXTRACTION_SOURCE]),
      remember_decisions: remembered,
      remember_pending: pending,
    },
    index: {
      vector_index_size: vectors,
      vectors_expected: vectorsExpected,
      missing_embeddings: missing,
      stale_embeddings: stale,
      lag: Math.max(0, vectorsExpected - vectors) + missing + stale + pending,
    },
    embedder: { id: rt.embedder.id, dim: rt.embedder.dim },
    // Store-wide figures reveal activity in other namespaces: only for "*" callers.
    database: scope === "*" && !inMemory
      ? { bytes: fileSize(dbPath), wal_bytes: fileSize(`${dbPath}-wal`) }
      : null,
  };
}

/** One memory the proxy injected, newest injection first. */
export interface InjectedMemory {
  id: string;
  namespace: string;
  preview: string;
  status: string;
  injection_count: number;
  last_injected_at: string;
  reuse_count: number;
  trust_score: number;
}

/**
 * The memories in `scope` the proxy injected most recently (by `last_injected_at`).
 *
 * @example
 * ```ts
 * recentInjections(rt, "*", 20)[0]?.injection_count;
 * ```
 */
export function recentInjections(
  rt: Runtime,
  scope: NamespaceScope,
  limit = 20,
): InjectedMemory[] {
  const w = scopeWhere(scope);
  const rows = rt.store.db.prepare(
    `SELECT id FROM memories
     WHERE ${w.sql} AND json_extract(extra, '$.last_injected_at') IS NOT NULL
     ORDER BY json_extract(extra, '$.last_injected_at') DESC LIMIT ?`,
  ).all(...w.params, Math.min(100, Math.max(1, limit))) as { id: string }[];
  const out: InjectedMemory[] = [];
  for (const { id } of rows) {
    const m = rt.store.getById(id);
    if (!m || !inScope(scope, m.record.namespace) || !m.record.last_injected_at) continue;
    const r = m.record;
    out.push({
      id: r.id,
      namespace: r.namespace,
      preview: preview(r.content, 160),
      status: r.status,
      injection_count: r.injection_count,
      last_injected_at: r.last_injected_at ?? "",
      reuse_count: r.reuse_count,
      trust_score: trustScore(r, rt.now()).score,
    });
  }
  return out;
}
