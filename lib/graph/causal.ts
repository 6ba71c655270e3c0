/**
 * Causal cues without an LLM. "We dropped Postgres because onboarding broke at docker-compose"
 * states an effect and its cause; the memory that states the cause on its own ("half the beta
 * testers gave up at the docker-compose step") is linked cause → effect.
 */
import { contentWords } from "../recall/mod.ts";

/** One causal statement found in a text. */
export interface CausalClause {
  cue: string;
  /** Words of the clause that states the cause, or null when the cue names only the effect. */
  cause: string | null;
  effect: string | null;
}

/** The cause follows the cue: "X because Y", "X due to Y". */
const CAUSE_AFTER =
  /\b(because(?: of)?|due to|owing to|caused by|as a result of|thanks to|given that|since)\b/gi;
/** The effect follows the cue: "X, so Y", "X; therefore Y", "X led to Y". */
const EFFECT_AFTER =
  /(?:,|;|—|–)\s*(so|therefore|thus|hence|which is why|which meant|which means)\b|\b(therefore|as a result|that's why|that is why|which is why|led to|leads to|resulted in|results in|caused|so that)\b/gi;

/** "since April", "since 2026", "since v0.3": time, not cause. */
const SINCE_TIME =
  /^\s*(?:then|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|\d|v\d|last|early|late|mid|the (?:start|beginning|move|switch|launch))/i;

/** The sentence containing position `i`, split at `i`. */
function around(text: string, start: number, end: number): { before: string; after: string } {
  const sStart = Math.max(
    text.lastIndexOf(". ", start) + 1,
    text.lastIndexOf("; ", start) + 1,
    0,
  );
  const rest = text.slice(end);
  const stop = rest.search(/[.;!?](?:\s|$)/);
  return {
    before: text.slice(sStart, start),
    after: stop < 0 ? rest : rest.slice(0, stop),
  };
}

/**
 * Causal statements in `text`, in order of appearance.
 *
 * @example
 * ```ts
 * causalClauses("Raised the limit because agents hit E_CONTENT_TOO_LARGE.")[0].cause;
 * // "agents hit E_CONTENT_TOO_LARGE"
 * ```
 */
export function causalClauses(text: string): CausalClause[] {
  const out: { at: number; c: CausalClause }[] = [];
  for (const m of text.matchAll(CAUSE_AFTER)) {
    const cue = m[1].toLowerCase();
    const { before, after } = around(text, m.index!, m.index! + m[0].length);
    if (cue === "since" && SINCE_TIME.test(after)) continue;
    if (before.trim() === "" && after.includes(",")) {
      // "Because the bike was stolen, the user now rides the bus": the cause ends at the comma.
      const comma = after.indexOf(",");
      out.push({
        at: m.index!,
        c: {
          cue,
          cause: after.slice(0, comma).trim() || null,
          effect: after.slice(comma + 1).trim() || null,
        },
      });
      continue;
    }
    out.push({
      at: m.index!,
      c: { cue, cause: after.trim() || null, effect: before.trim() || null },
    });
  }
  for (const m of text.matchAll(EFFECT_AFTER)) {
    const cue = (m[1] ?? m[2]).toLowerCase();
    const { before, after } = around(text, m.index!, m.index! + m[0].length);
    out.push({
      at: m.index!,
      c: { cue, cause: before.trim() || null, effect: after.trim() || null },
    });
  }
  return out.sort((a, b) => a.at - b.at).map((x) => x.c).filter((c) =>
    // A clause of one content word ("because of it") names nothing another memory can state.
    (c.cause !== null && contentWords(c.cause).length >= 2) ||
    (c.effect !== null && contentWords(c.effect).length >= 2)
  );
}

/**
 * How much of `clause` the text `other` states: the share of the clause's content words that
 * `other` contains (0..1); 0 when fewer than two words are shared (one word in common is
 * coincidence). Prefix matching (5 letters) lets "onboarding"/"onboard" meet.
 */
export function clauseOverlap(clause: string, other: string): number {
  return stemOverlap(clauseStems(clause), textStems(other));
}

const stem = (w: string) => w.slice(0, 5);

/** The distinct stems of a clause's content words (what {@link clauseOverlap} looks for). */
export function clauseStems(clause: string): string[] {
  return [...new Set(contentWords(clause).map(stem))];
}

/** The stems a text states (what {@link clauseOverlap} looks in). */
export function textStems(text: string): Set<string> {
  return new Set(contentWords(text).map(stem));
}

/** {@link clauseOverlap} on precomputed stems (the builder reuses them across candidates). */
export function stemOverlap(want: readonly string[], have: ReadonlySet<string>): number {
  if (want.length === 0) return 0;
  let shared = 0;
  for (const w of want) if (have.has(w)) shared++;
  return shared < 2 ? 0 : shared / want.length;
}

/** True when `text` has any causal cue (used to decide whether a memory explains something). */
export function hasCausalCue(text: string): boolean {
  return causalClauses(text).length > 0;
}
