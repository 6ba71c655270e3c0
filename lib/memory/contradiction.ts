/**
 * Contradiction detection (memoryOSS §1.2, widened). Two memories conflict when they say
 * opposite things about the same subject:
 *
 * - **polarity**: one is negated ("not", "never", "no longer", "disabled", "stopped", "off",
 *   "false", "rejects", "decrease" …) and the other is not, and their core words agree: the same
 *   set, or ≥ 2 shared with overlap ≥ 60 %;
 * - **value**: the same words in the same order, except a number that changed in the predicate
 *   ("timeout is 30s" / "timeout is 60s"). A number in the subject ("node-5 is down" /
 *   "node-6 is down") names another thing and is no conflict.
 */
import { STOPWORDS } from "../recall/mod.ts";
import { memoByText } from "./text_cache.ts";

const NEGATIONS = new Set([
  "no",
  "not",
  "never",
  "without",
  "cannot",
  "cant",
  "dont",
  "doesnt",
  "didnt",
  "wont",
  "isnt",
  "arent",
  "wasnt",
  "werent",
  "shouldnt",
  "mustnt",
]);

/** Verb forms folded to one root; `negative` roots flip polarity. */
const VERB_MAP: Record<string, { root: string; negative?: boolean }> = {
  enable: { root: "enable" },
  enabled: { root: "enable" },
  enables: { root: "enable" },
  disable: { root: "enable", negative: true },
  disabled: { root: "enable", negative: true },
  disables: { root: "enable", negative: true },
  require: { root: "require" },
  required: { root: "require" },
  requires: { root: "require" },
  forbid: { root: "allow", negative: true },
  forbids: { root: "allow", negative: true },
  forbidden: { root: "allow", negative: true },
  deny: { root: "allow", negative: true },
  denied: { root: "allow", negative: true },
  denies: { root: "allow", negative: true },
  allow: { root: "allow" },
  allowed: { root: "allow" },
  allows: { root: "allow" },
  block: { root: "allow", negative: true },
  blocked: { root: "allow", negative: true },
  readonly: { root: "write", negative: true },
  full: { root: "write" },
  roll: { root: "rollback" },
  back: { root: "rollback" },
};

/**
 * Antonym pairs whose two sides are otherwise worded alike ("the cache is on" / "… off"): the
 * negative side flips polarity, and neither side is a core word, so the subject alone decides.
 */
const MARKERS: Record<string, boolean> = Object.fromEntries([
  ...["always", "on", "true", "start", "starts", "started", "starting"].map((w) => [w, false]),
  ...["accept", "accepts", "accepted", "increase", "increases", "increased"].map((w) => [w, false]),
  ...["off", "false", "stop", "stops", "stopped", "stopping", "ceased"].map((w) => [w, true]),
  ...["reject", "rejects", "rejected", "decrease", "decreases", "decreased"].map((w) => [w, true]),
]);

/** Words that only say "as of now": dropped, so "X is now disabled" matches "X is enabled". */
const FILLERS = new Set(["now", "currently", "still", "anymore"]);

/** A word trimmed of edge punctuation and apostrophes, lower case. */
function clean(raw: string): string {
  return raw.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}%]+$/gu, "").replace(/['’]/g, "");
}

/** True for negations and polarity words: the words two contradicting statements differ by. */
export function isPolarityWord(word: string): boolean {
  const w = word.toLowerCase().replace(/['’]/g, "");
  return NEGATIONS.has(w) || w in VERB_MAP || w in MARKERS;
}

/** Polarity and core tokens of a statement. */
export interface Signature {
  negative: boolean;
  core: Set<string>;
}

/** The signature, or null when the statement has no core token. */
export function signature(text: string): Signature | null {
  let negative = false;
  const core = new Set<string>();
  let prev = "";
  for (const raw of text.split(/\s+/)) {
    const t = clean(raw);
    if (!t) continue;
    const after = prev;
    prev = t;
    if (NEGATIONS.has(t)) {
      negative = !negative;
      continue;
    }
    if (t in MARKERS) {
      if (MARKERS[t]) negative = !negative;
      continue;
    }
    const v = VERB_MAP[t];
    if (v) {
      if (v.negative) negative = !negative;
      core.add(v.root);
      continue;
    }
    // "no longer": the negation already counted.
    if (FILLERS.has(t) || (t === "longer" && after === "no")) continue;
    if (STOPWORDS.has(t) || t.length < 2) continue;
    core.add(t);
  }
  return core.size > 0 ? { negative, core } : null;
}

/** Why two statements conflict. */
export interface Contradiction {
  kind: "polarity" | "value";
  /** For a value conflict: the value in `a` and the one in `b`. */
  from?: string;
  to?: string;
}

/** What the checks read of one statement, computed once per text ({@link parsed}). */
interface Parsed {
  sig: Signature | null;
  /** Its words for the value check, fillers dropped. */
  words: string[];
  /** The non-stopwords among them, with their positions. */
  content: { w: string; i: number }[];
}

/**
 * Parsed statements by text: the write path compares each new memory with its neighbours, and
 * the same neighbours come back for many new memories (memoised, about a million characters).
 */
const parsed = memoByText((text: string): Parsed => {
  const words = text.replace(/\s*=\s*|:\s+/g, " is ").split(/\s+/).map(clean)
    .filter((w) => w && !FILLERS.has(w));
  const content = words.map((w, i) => ({ w, i })).filter((x) => !STOPWORDS.has(x.w));
  return { sig: signature(text), words, content };
});

function polarityConflict(pa: Parsed, pb: Parsed): boolean {
  const sa = pa.sig;
  const sb = pb.sig;
  if (!sa || !sb || sa.negative === sb.negative) return false;
  let shared = 0;
  for (const t of sa.core) if (sb.core.has(t)) shared++;
  const union = sa.core.size + sb.core.size - shared;
  return shared === union || (shared >= 2 && shared / union >= 0.6);
}

/** Words that start a subject rather than a predicate: a value after only these is a name. */
const SUBJECT_WORDS = new Set(
  ("a an the this that these those my our your their its his her i we you he she it they " +
    "each every any all some no")
    .split(" "),
);

/** The changed value when `a` and `b` differ only by a number in the predicate, else null. */
export function valueConflict(a: string, b: string): { from: string; to: string } | null {
  return valueConflictOf(parsed(a), parsed(b));
}

function valueConflictOf(pa: Parsed, pb: Parsed): { from: string; to: string } | null {
  const wa = pa.words;
  const ca = pa.content;
  const cb = pb.content;
  if (ca.length !== cb.length || ca.length < 2) return null;
  const isValue = (w: string) => /\p{N}/u.test(w);
  let first = -1;
  for (let k = 0; k < ca.length; k++) {
    if (ca[k].w === cb[k].w) continue;
    if (!isValue(ca[k].w) || !isValue(cb[k].w)) return null;
    if (first < 0) first = k;
  }
  if (first < 0 || ca.every((x) => isValue(x.w))) return null;
  // The predicate has begun when a verb or preposition stopword comes before the value.
  const before = wa.slice(0, ca[first].i);
  if (!before.some((w) => STOPWORDS.has(w) && !SUBJECT_WORDS.has(w))) return null;
  if ((pa.sig?.negative ?? false) !== (pb.sig?.negative ?? false)) return null;
  return { from: ca[first].w, to: cb[first].w };
}

/** How `a` and `b` contradict each other, or null when they do not. */
export function contradiction(a: string, b: string): Contradiction | null {
  const pa = parsed(a);
  const pb = parsed(b);
  if (polarityConflict(pa, pb)) return { kind: "polarity" };
  const v = valueConflictOf(pa, pb);
  return v ? { kind: "value", ...v } : null;
}

/**
 * True when `a` and `b` state opposite things about the same subject.
 *
 * @example
 * ```ts
 * conflicts("Auto deploy is enabled for staging", "Auto deploy is disabled for staging"); // true
 * conflicts("The request timeout is 30s", "The request timeout is 60s"); // true
 * conflicts("cache enabled", "logging disabled"); // false
 * ```
 */
export function conflicts(a: string, b: string): boolean {
  return contradiction(a, b) !== null;
}
