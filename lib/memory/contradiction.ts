/**
 * Contradiction signatures (memoryOSS §1.2): two memories conflict when they say opposite
 * things about the same subject: opposite polarity, ≥3 shared core tokens, overlap ≥ 60 %.
 */
import { STOPWORDS } from "../recall/mod.ts";

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

/** True for negations and polarity verbs: the words two contradicting statements differ by. */
export function isPolarityWord(word: string): boolean {
  const w = word.toLowerCase().replace(/['’]/g, "");
  return NEGATIONS.has(w) || w in VERB_MAP;
}

/** Polarity and core tokens of a statement. */
export interface Signature {
  negative: boolean;
  core: Set<string>;
}

/** The signature, or null when the statement has fewer than 3 core tokens. */
export function signature(text: string): Signature | null {
  let negative = false;
  const core = new Set<string>();
  for (const raw of text.toLowerCase().split(/\s+/)) {
    const t = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").replace(/['’]/g, "");
    if (!t) continue;
    if (NEGATIONS.has(t) || t.endsWith("nt") && NEGATIONS.has(t)) {
      negative = !negative;
      continue;
    }
    const v = VERB_MAP[t];
    if (v) {
      if (v.negative) negative = !negative;
      core.add(v.root);
      continue;
    }
    if (STOPWORDS.has(t) || t.length < 2) continue;
    core.add(t);
  }
  return core.size >= 3 ? { negative, core } : null;
}

/**
 * True when `a` and `b` state opposite things about the same subject.
 *
 * @example
 * ```ts
 * conflicts("Auto deploy is enabled for staging", "Auto deploy is disabled for staging"); // true
 * ```
 */
export function conflicts(a: string, b: string): boolean {
  const sa = signature(a);
  const sb = signature(b);
  if (!sa || !sb || sa.negative === sb.negative) return false;
  let shared = 0;
  for (const t of sa.core) if (sb.core.has(t)) shared++;
  const union = sa.core.size + sb.core.size - shared;
  return shared >= 3 && shared / union >= 0.6;
}
