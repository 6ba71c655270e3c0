/**
 * Prometheus text exposition: the one renderer behind the server's `/metrics` and the lane
 * loop's metrics listener.
 *
 * @example
 * ```ts
 * import { renderPrometheus } from "./lib/metrics/mod.ts";
 * renderPrometheus([{ name: "up", type: "gauge", help: "1 when up.", samples: [{ value: 1 }] }]);
 * ```
 *
 * @module
 */
export { type MetricFamily, renderPrometheus } from "./prometheus.ts";
