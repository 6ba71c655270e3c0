/**
 * The one Prometheus text exposition (format 0.0.4) renderer: `# HELP`, `# TYPE`, then one
 * line per sample. The server's `/metrics` and the lane loop's listener both print through it.
 *
 * @module
 */

/** One sample: optional labels and a number. */
export interface Sample {
  labels?: Record<string, string>;
  value: number;
}

/** A metric family: name (with its prefix), type, help text and samples. */
export interface MetricFamily {
  name: string;
  type: "counter" | "gauge";
  help: string;
  samples: Sample[];
}

/** A label value escaped as the exposition format asks (`\`, `"`, newline). */
function escapeLabel(v: string): string {
  return v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function labelText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
}

/** Integers as they are, other numbers with three decimals. */
function valueText(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

/**
 * The exposition text of `families`, newline-terminated.
 *
 * @example
 * ```ts
 * renderPrometheus([{ name: "x_total", type: "counter", help: "Xs.", samples: [{ value: 2 }] }]);
 * // "# HELP x_total Xs.\n# TYPE x_total counter\nx_total 2\n"
 * ```
 */
export function renderPrometheus(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) lines.push(`${f.name}${labelText(s.labels)} ${valueText(s.value)}`);
  }
  return lines.join("\n") + "\n";
}
