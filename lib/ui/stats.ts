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
import {
  createdPerDay,
  liveVectorCounts,
  openRememberCount,
  recentlyInjectedIds,
  rememberDecisionCounts,
  sourceKeyCounts,
} from "../store/mod.ts";

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

/** The namespaces of a scope as the store takes them (null = all). */
const scopeNames = (scope: NamespaceScope): string[] | null =>
  scope === "*" ? null : [...new Set(scope)];

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
  const names = scopeNames(scope);
  const perDay = (sourceKey?: string): DayCount[] => {
    const m = new Map(createdPerDay(rt.store, names, keys[0], sourceKey).map((r) => [r.day, r.n]));
    return keys.map((day) => ({ day, count: m.get(day) ?? 0 }));
  };

  const namespaces = namespaceCounts(rt, scope);
  const byStatus: Record<string, number> = {};
  for (const ns of namespaces) {
    for (const [s, n] of Object.entries(ns.by_status)) byStatus[s] = (byStatus[s] ?? 0) + n;
  }
  const { expected: vectorsExpected, missing, stale } = liveVectorCounts(rt.store, names, {
    id: rt.embedder.id,
    dim: rt.embedder.dim,
  });
  const vectors = scope === "*"
    ? rt.index.size()
    : [...new Set(scope)].reduce((n, ns) => n + rt.index.size(ns), 0);
  const remembered = rememberDecisionCounts(rt.store, names);
  const pending = openRememberCount(rt.store, names);
  const extracted = sourceKeyCounts(rt.store, names, EXTRACTION_SOURCE);
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
    created_per_day: perDay(),
    extraction: {
      extracted_total: extracted.total,
      by_status: extracted.by_status,
      archived: extracted.archived,
      extracted_per_day: perDay(EXTRACTION_SOURCE),
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
  const ids = recentlyInjectedIds(rt.store, scopeNames(scope), Math.min(100, Math.max(1, limit)));
  const out: InjectedMemory[] = [];
  for (const id of ids) {
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
