/**
 * Query intent for graph expansion: WHY (causes), WHEN (sequence in time), ENTITY (a person,
 * place, service or identifier) or GENERAL. Deterministic cue counting in the manner of memman:
 * an intent wins only with strictly more cues than each other intent. Builds on
 * {@link temporalIntent}: a named month or "before/originally" counts as a WHEN cue.
 */
import { type TemporalIntent, temporalIntent } from "./temporal.ts";
import { extractIdentifiers } from "./identifiers.ts";

/** The intents. */
export type IntentKind = "why" | "when" | "entity" | "general";

/** A classified query. */
export interface QueryIntent {
  kind: IntentKind;
  /** The words that decided it (for explain output). */
  cues: string[];
  temporal: TemporalIntent;
  /** WHEN: "after X" walks forward in time, "before X" backward; WHY walks to causes. */
  direction: "backward" | "forward" | "any";
}

const WHY =
  /\b(why|reasons?|because|caused?|causes|motivation|rationale|what made|what led|led to|how come|due to|the point of|justif\w+)\b/gi;
/**
 * Sequence cues only. "Before SQLite" / "now" / "in May" ask for a state at a time, which the
 * recency logic of temporal.ts answers, and "when did X happen?" wants the memory of X itself;
 * walking a session's timeline helps only questions about what came before or after something.
 */
const WHEN =
  /\b(timeline|sequence|right after|just after|right before|just before|afterwards|straight after|what happened|happened next|came next|followed|preceded|the day|that day|same day|same session|leading up to|in the run-up)\b/gi;
const ENTITY =
  /\b(who|whom|whose|what is|what's|tell me about|describe|about|which (?:person|team|service|repo|vet|doctor|clinic|city|company)|owns?|owner|everything on|what do we know)\b/gi;
/** Capitalised words after the first word: names ("Priya", "Fernhill"). */
const NAME = /(?<=\S\s+)\b[A-Z][a-z][\p{L}'’-]+/gu;

const AFTER = /\b(after|afterwards|next|followed|later)\b/i;
const BEFORE = /\b(before|preceded|leading up to|run-up)\b/i;

/**
 * Classify a query.
 *
 * @example
 * ```ts
 * classifyIntent("why did we drop Postgres?").kind; // "why"
 * classifyIntent("what happened after the staging outage?").kind; // "when"
 * classifyIntent("who is Priya?").kind; // "entity"
 * ```
 */
export function classifyIntent(query: string): QueryIntent {
  const temporal = temporalIntent(query);
  const hits = (re: RegExp) => [...query.matchAll(re)].map((m) => m[0].toLowerCase());
  const why = hits(WHY);
  // "why" itself is the strongest cue there is: "why did we first pick X?" asks for a reason.
  if (why.includes("why")) why.push("why");
  const when = hits(WHEN);
  const entity = hits(ENTITY);
  // A name or identifier strengthens an entity question but is not one by itself: a bare
  // "MEMORYOSS_HOME" look-up wants that memory, not its neighbours.
  if (entity.length > 0) {
    for (const n of query.matchAll(NAME)) entity.push(n[0]);
    for (const id of extractIdentifiers(query)) if (id.kind !== "quoted") entity.push(id.text);
  }
  const counts: [IntentKind, string[]][] = [["why", why], ["when", when], ["entity", entity]];
  counts.sort((a, b) => b[1].length - a[1].length);
  const [top, second] = counts;
  if (top[1].length === 0 || top[1].length === second[1].length) {
    return { kind: "general", cues: [], temporal, direction: "any" };
  }
  const kind = top[0];
  const direction = kind === "why"
    ? "backward"
    : kind === "when"
    ? (AFTER.test(query) ? "forward" : BEFORE.test(query) ? "backward" : "any")
    : "any";
  return { kind, cues: top[1], temporal, direction };
}
