/**
 * memman's content quality check for `remember`: advisory warnings (never a refusal) for text
 * that ages badly in a long-term memory — receipts, observations, line references, "currently".
 * The labels are memman's, in its order; `remember --json` reports them as
 * `quality_warnings`. Pure and dependency-free: `cli/remember.ts` loads it at start-up.
 *
 * @module
 */

/** Words before `:NN` that name a host, port, language or tool, not a code symbol. */
const NOT_A_SYMBOL = "localhost|port|python|node|ruby|go|java|php|redis|mysql|postgres|npm|yarn|" +
  "docker|alpine|ubuntu|debian|v?\\d";

/** memman's transient patterns, each with the label it reports. */
const CHECKS: readonly [RegExp, string][] = [
  [/i-[0-9a-f]{17}/, "AWS instance ID"],
  [/\d+ resources? total/, "resource count"],
  [/(?:all|every)\b.{0,30}\bverified/i, "verification receipt"],
  [/state (?:is )?clean/i, "state observation"],
  [/(?:deployed|completed|applied) via/i, "deployment receipt"],
  [/(?<!\w)line \d+\b/i, "line number reference"],
  [/\b\d{2,} lines\b/, "line count"],
  [new RegExp(`\\b(?!(?:${NOT_A_SYMBOL})\\b)\\w+:\\d{2,}\\b`), "function/symbol line reference"],
  [/\d+→\d+/, "line number correction"],
  [/\bmemor(?:y|ies)\s*\[\s*\d+\s*\]/i, "back-reference"],
  [/\b[A-Z][A-Z _-]{4,}:\s+/, "uppercase section header"],
  [/\bcurrently\b/i, "transient time marker"],
  [/\bas of \d{4}-\d{2}-\d{2}\b/i, "dated observation"],
];

/**
 * The warnings for `content` (empty for clean prose).
 *
 * @example
 * ```ts
 * qualityWarnings("Deploys currently run from ci.yml line 12");
 * // ["line number reference", "transient time marker"]
 * ```
 */
export function qualityWarnings(content: string): string[] {
  return CHECKS.filter(([re]) => re.test(content)).map(([, label]) => label);
}
