/**
 * Prometheus metrics for the tick loop: cmmd's gauges and counters under a `memoryoss_lane_`
 * prefix and under cmmd's own `cmmd_` names, served with `/healthz` on a loopback port.
 */
import { type MetricFamily, renderPrometheus } from "../metrics/mod.ts";
import type { TickRecord } from "./history.ts";

/** Counters and gauges the loop updates after every tick. */
export interface LaneMetrics {
  intervalSec: number;
  /** Issues found by the primary root's last tick. */
  auditIssuesLast: number;
  /** Finish time of the primary root's last tick (unix seconds), or null before the first. */
  lastTickUnix: number | null;
  ticks: number;
  ticksRan: number;
  ticksSkipped: number;
  durationSumSec: number;
  failures: number;
  historyAppends: number;
  dryRun: boolean;
}

/**
 * Fresh metrics for a loop with the given interval.
 *
 * @example
 * ```ts
 * newMetrics(900, true).ticks; // 0
 * ```
 */
export function newMetrics(intervalSec: number, dryRun: boolean): LaneMetrics {
  return {
    intervalSec,
    auditIssuesLast: 0,
    lastTickUnix: null,
    ticks: 0,
    ticksRan: 0,
    ticksSkipped: 0,
    durationSumSec: 0,
    failures: 0,
    historyAppends: 0,
    dryRun,
  };
}

/**
 * Count one tick (every root counts; only the primary root moves the "last" gauges).
 *
 * @example
 * ```ts
 * recordTick(m, record, true);
 * ```
 */
export function recordTick(m: LaneMetrics, r: TickRecord, primary: boolean): void {
  m.ticks++;
  if (r.ran) m.ticksRan++;
  else m.ticksSkipped++;
  if (r.ran && r.exit_code !== 0) m.failures++;
  m.durationSumSec += r.duration_ms / 1000;
  if (primary) {
    m.auditIssuesLast = r.audit_total_issues;
    m.lastTickUnix = r.finished_at_unix;
  }
}

/**
 * Seconds since the last tick finished; 0 before the first tick.
 *
 * @example
 * ```ts
 * staleness(newMetrics(900, true), 100); // 0 before the first tick
 * ```
 */
export function staleness(m: LaneMetrics, nowSec: number): number {
  return m.lastTickUnix === null ? 0 : Math.max(0, nowSec - m.lastTickUnix);
}

/** The two name prefixes every metric is exported under (ours, and cmmd's for its alerts). */
export const METRIC_PREFIXES = ["memoryoss_lane_", "cmmd_"] as const;

/**
 * Prometheus text exposition: every metric under `memoryoss_lane_` and again under cmmd's
 * `cmmd_` name, so dashboards and alerts written for cmmd keep working. `dry_run` is ours only.
 *
 * @example
 * ```ts
 * renderMetrics(newMetrics(900, true), 0, "0.1.0").includes("cmmd_ticks_total 0"); // true
 * ```
 */
export function renderMetrics(m: LaneMetrics, nowSec: number, version: string): string {
  const out: MetricFamily[] = [];
  for (const prefix of METRIC_PREFIXES) {
    for (const [name, type, help, value, labels] of metricRows(m, nowSec, version)) {
      if (prefix === "cmmd_" && name === "dry_run") continue;
      out.push({ name: prefix + name, type, help, samples: [{ labels, value }] });
    }
  }
  return renderPrometheus(out);
}

type Row = [
  name: string,
  type: "gauge" | "counter",
  help: string,
  value: number,
  labels?: Record<string, string>,
];

function metricRows(m: LaneMetrics, nowSec: number, version: string): Row[] {
  const g = (
    name: string,
    help: string,
    value: number,
    labels?: Record<string, string>,
  ): Row => [name, "gauge", help, value, labels];
  const c = (name: string, help: string, value: number): Row => [name, "counter", help, value];
  return [
    g("build_info", "Always 1; labels carry the build.", 1, { version, git_sha: "" }),
    g("tick_interval_sec", "Seconds between ticks.", m.intervalSec),
    g("dry_run", "1 while dry-run is on.", m.dryRun ? 1 : 0),
    g("audit_issues_last", "Issues found by the primary root's last tick.", m.auditIssuesLast),
    g("last_tick_unix", "When the last tick finished (0 before the first).", m.lastTickUnix ?? 0),
    g("tick_staleness_seconds", "Seconds since the last tick finished.", staleness(m, nowSec)),
    c("ticks_total", "Ticks, one per root per pass.", m.ticks),
    c("ticks_ran_total", "Ticks in which the agent ran.", m.ticksRan),
    c("ticks_skipped_total", "Ticks that stopped at a guard.", m.ticksSkipped),
    c("tick_duration_sum_seconds", "Total time spent in ticks.", m.durationSumSec),
    c("tick_failures_total", "Agent runs that did not exit 0.", m.failures),
    c("history_appends_total", "Lines appended to the history file.", m.historyAppends),
  ];
}

/** A running metrics listener. */
export interface MetricsServer {
  /** Base URL, e.g. `http://127.0.0.1:9601`. */
  url: string;
  port: number;
  shutdown(): Promise<void>;
}

/**
 * Serve `/metrics` and `/healthz` (200 while the last tick is at most two intervals old or no
 * tick has run yet, 503 otherwise); every other path is 404.
 *
 * @example
 * ```ts
 * const s = serveMetrics("127.0.0.1", 9601, metrics, "0.1.0");
 * await fetch(`${s.url}/metrics`);
 * ```
 */
export function serveMetrics(
  host: string,
  port: number,
  m: LaneMetrics,
  version: string,
  nowSec: () => number = () => Math.floor(Date.now() / 1000),
): MetricsServer {
  const server = Deno.serve({ hostname: host, port, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (req.method !== "GET") return new Response("method not allowed\n", { status: 405 });
    if (path === "/metrics") {
      return new Response(renderMetrics(m, nowSec(), version), {
        headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
      });
    }
    if (path === "/healthz") {
      const stale = staleness(m, nowSec());
      const limit = 2 * m.intervalSec;
      const ok = m.lastTickUnix === null || stale <= limit;
      return new Response(`${ok ? "ok" : "stuck"} staleness=${stale}s limit=${limit}s\n`, {
        status: ok ? 200 : 503,
      });
    }
    return new Response("not found\n", { status: 404 });
  });
  const addr = server.addr as Deno.NetAddr;
  return {
    url: `http://${addr.hostname}:${addr.port}`,
    port: addr.port,
    shutdown: () => server.shutdown(),
  };
}
