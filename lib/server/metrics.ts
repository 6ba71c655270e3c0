/**
 * Prometheus counters, kept per namespace so each caller sees only its own namespaces'
 * activity; store-wide gauges and HTTP totals are shown to `"*"`-scoped callers only.
 */
import type { Runtime, WriteQueue } from "../memory/mod.ts";
import type { Scope } from "../auth/mod.ts";
import { namespaceStats } from "../store/mod.ts";
import { type MetricFamily, renderPrometheus } from "../metrics/mod.ts";

const COUNTERS = {
  stores_total: "Memories stored (created or merged).",
  recalls_total: "Recall queries answered.",
  updates_total: "Memories updated.",
  forgets_total: "Memories deleted by forget.",
  feedback_total: "Feedback and review actions applied.",
  consolidations_total: "Derived memories created by consolidation.",
} as const;
export type CounterName = keyof typeof COUNTERS;

/** Counters for one app. */
export class Metrics {
  #byNs = new Map<string, Map<CounterName, number>>();
  #http = new Map<string, number>();
  #started = Date.now();

  inc(name: CounterName, namespace: string, n = 1): void {
    let m = this.#byNs.get(namespace);
    if (!m) {
      m = new Map();
      this.#byNs.set(namespace, m);
    }
    m.set(name, (m.get(name) ?? 0) + n);
  }

  http(status: number): void {
    const k = `${Math.floor(status / 100)}xx`;
    this.#http.set(k, (this.#http.get(k) ?? 0) + 1);
  }

  /** Prometheus text exposition (version 0.0.4) for a caller with `scope`. */
  render(rt: Runtime, queue: WriteQueue, scope: Scope): string {
    const families: MetricFamily[] = [];
    const metric = (
      name: string,
      type: MetricFamily["type"],
      help: string,
      samples: [Record<string, string>, number][],
    ) => {
      const rows = samples.map(([labels, value]) => ({ labels, value }));
      families.push({ name: `memoryoss_${name}`, type, help, samples: rows });
    };
    const names = scope === "*" ? [...this.#byNs.keys()] : [...scope];
    for (const [name, help] of Object.entries(COUNTERS) as [CounterName, string][]) {
      const total = names.reduce((n, ns) => n + (this.#byNs.get(ns)?.get(name) ?? 0), 0);
      metric(name, "counter", help, [[{}, total]]);
    }
    const stats = namespaceStats(rt.store).filter((s) =>
      scope === "*" || scope.includes(s.namespace)
    );
    metric(
      "memories",
      "gauge",
      "Stored memories (archived included).",
      [[{}, stats.reduce((n, s) => n + s.total, 0)]],
    );
    metric(
      "vector_index_size",
      "gauge",
      "Vectors in the in-memory index.",
      [[{}, scope === "*" ? rt.index.size() : names.reduce((n, ns) => n + rt.index.size(ns), 0)]],
    );
    if (scope === "*") {
      metric(
        "http_requests_total",
        "counter",
        "HTTP responses by status class.",
        [...this.#http].sort().map(([k, v]) => [{ code: k }, v]),
      );
      const q = queue.stats();
      metric("write_queue_pending", "gauge", "Writes waiting in the queue.", [[
        {},
        q.pending_items,
      ]]);
      metric("group_commit_batches_total", "counter", "Group-commit transactions.", [[
        {},
        q.batches,
      ]]);
      metric("group_commit_ops_total", "counter", "Memories written by group commit.", [[
        {},
        q.items_stored,
      ]]);
      metric("group_commit_max_batch", "gauge", "Largest group commit so far.", [[
        {},
        q.max_batch_items,
      ]]);
      metric("uptime_seconds", "gauge", "Seconds since the server started.", [[
        {},
        Math.round((Date.now() - this.#started) / 1000),
      ]]);
    }
    return renderPrometheus(families);
  }
}
