/** The one Prometheus renderer against hand-written exposition text (format 0.0.4). */
import assert from "node:assert/strict";
import { renderPrometheus } from "../../lib/metrics/mod.ts";

Deno.test("renderPrometheus: HELP, TYPE, samples with escaped labels, newline at the end", () => {
  const text = renderPrometheus([
    {
      name: "memoryoss_http_requests_total",
      type: "counter",
      help: "HTTP responses by status class.",
      samples: [{ labels: { code: "2xx" }, value: 3 }, { labels: { code: "4xx" }, value: 0 }],
    },
    {
      name: "x_build_info",
      type: "gauge",
      help: "Always 1.",
      samples: [{ labels: { version: 'a"b\\c\nd', git_sha: "" }, value: 1 }],
    },
    { name: "x_seconds", type: "counter", help: "Time.", samples: [{ value: 1.25 }] },
  ]);
  assert.equal(
    text,
    "# HELP memoryoss_http_requests_total HTTP responses by status class.\n" +
      "# TYPE memoryoss_http_requests_total counter\n" +
      'memoryoss_http_requests_total{code="2xx"} 3\n' +
      'memoryoss_http_requests_total{code="4xx"} 0\n' +
      "# HELP x_build_info Always 1.\n" +
      "# TYPE x_build_info gauge\n" +
      'x_build_info{version="a\\"b\\\\c\\nd",git_sha=""} 1\n' +
      "# HELP x_seconds Time.\n" +
      "# TYPE x_seconds counter\n" +
      "x_seconds 1.250\n",
  );
});
