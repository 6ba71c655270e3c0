/**
 * Temporal intent of a query. "Where does the user live now?" wants the newest of several
 * similar memories; "what did we use before SQLite?" the older one; "what broke in May?" the
 * ones from May. Recency is then measured among the candidates instead of against today, so
 * imported history months old still orders correctly.
 */

/** What a query says about time. */
import { MONTHS } from "./time.ts";
export type TemporalIntent =
  | { kind: "latest" }
  | { kind: "earliest" }
  | { kind: "month"; month: number }
  | { kind: "none" };

const LATEST =
  /\b(now|currently|current|latest|most recent(ly)?|these days|nowadays|at the moment|at present|right now|anymore|any more|still|newest|up to date|so far)\b/i;
const EARLIEST =
  /\b(before|originally|original|used to|previously|previous|initially|initial|at first|at the start|earlier|formerly|former|prior to|back then|old|oldest|first (?:chose|choice|picked|plan|used|version|date|target))\b/i;

const MONTH_RE = new RegExp(
  `\\b(?:(in|of|during|early|late|mid|since|until|by)\\s+)?(${
    MONTHS.map((m) => `${m}|${m.slice(0, 3)}`).join("|")
  })\\b`,
  "gi",
);

/**
 * Classify a query's temporal intent.
 *
 * @example
 * ```ts
 * temporalIntent("where does the user live now?"); // { kind: "latest" }
 * temporalIntent("what went wrong in the first week of May?"); // { kind: "month", month: 5 }
 * ```
 */
export function temporalIntent(query: string): TemporalIntent {
  for (const m of query.matchAll(MONTH_RE)) {
    const word = m[2];
    const name = word.toLowerCase();
    // "may" and "mar" are ordinary words unless capitalised or introduced by a preposition.
    const ambiguous = name === "may" || name === "mar" || name === "jun" || name === "jan";
    if (ambiguous && !m[1] && word[0] !== word[0].toUpperCase()) continue;
    if (
      name === "may" && !m[1] && /^May\s+(I|we|you|they|he|she|it)\b/.test(query.slice(m.index))
    ) {
      continue;
    }
    const idx = MONTHS.findIndex((full) => full === name || full.slice(0, 3) === name);
    if (idx >= 0) return { kind: "month", month: idx + 1 };
  }
  if (EARLIEST.test(query)) return { kind: "earliest" };
  if (LATEST.test(query)) return { kind: "latest" };
  return { kind: "none" };
}

/**
 * Recency scores for candidates under an intent, in 0..1. With no intent this is memoryOSS's
 * `1/(1+age_h/168)` against `now`; otherwise ages are measured from the newest (or oldest)
 * candidate, or month membership for a named month.
 */
export function recencyScores(
  createdAt: Map<number, string>,
  intent: TemporalIntent,
  now: Date,
): Map<number, number> {
  const out = new Map<number, number>();
  const times = new Map([...createdAt].map(([pk, t]) => [pk, Date.parse(t)]));
  const hours = (ms: number) => Math.max(0, ms) / 3_600_000;
  if (intent.kind === "month") {
    for (const [pk, t] of times) {
      out.set(pk, new Date(t).getUTCMonth() + 1 === intent.month ? 1 : 0);
    }
    return out;
  }
  if (intent.kind === "none") {
    for (const [pk, t] of times) out.set(pk, 1 / (1 + hours(now.getTime() - t) / 168));
    return out;
  }
  const values = [...times.values()];
  const newest = Math.max(...values);
  const oldest = Math.min(...values);
  for (const [pk, t] of times) {
    const age = intent.kind === "latest" ? newest - t : t - oldest;
    out.set(pk, 1 / (1 + hours(age) / 168));
  }
  return out;
}
