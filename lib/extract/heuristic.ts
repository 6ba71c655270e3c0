/**
 * The deterministic local extraction heuristic: no network, no model. It keeps short
 * declarative sentences the *user* wrote that state a decision, a preference, a constraint or
 * a project fact; questions, chit-chat, generic advice, unsafe text and anything that was
 * redacted are dropped. The assistant's reply is never mined (it may be wrong).
 */
import { isRedacted, redactSensitive } from "./redact.ts";
import { isSafeForInjection } from "./safety.ts";

/** One turn of a conversation. */
export interface Turn {
  role: string;
  content: string;
}

/** A fact proposed for storage. */
export interface ExtractedFact {
  content: string;
  tags: string[];
}

/** What the heuristic decided. */
export interface Extraction {
  decision: "extract" | "abstain";
  facts: ExtractedFact[];
}

const MAX_FACTS = 5;

const KINDS: [string, RegExp][] = [
  ["decision", /\b(we|i) (decided|chose|agreed|settled|picked|switched)\b|\bdecision\b/i],
  [
    "preference",
    /\b(i|we) (prefer|like|want|dislike|hate)\b|\b(prefer|preferably)\b|\bplease (always|never)\b/i,
  ],
  [
    "constraint",
    /\b(must|must not|mustn't|never|always|do not|don't|required|only after|only before|not allowed|policy|convention)\b/i,
  ],
  [
    "fact",
    /\b(we|our|my) [\w.-]+( [\w.-]+)? (is|are|uses|use|runs|run|lives|live|deploys|deploy|lives in|is on|is at)\b|\b(runs on|deployed to|hosted on|listens on|port \d+)\b/i,
  ],
];

const REJECT = [
  /^(hi|hello|hey|thanks|thank you|ok|okay|cool|great|sure)\b/i,
  /\b(still in progress|grab (a )?coffee|be right back|brb|be back|good morning|good night)\b/i,
  /\b(best practices?|in general|generally speaking|always use)\b/i,
  /\b(can you|could you|would you|will you|please (write|explain|show|tell|help|fix|make))\b/i,
];

/** Split text into candidate sentences. */
function sentences(text: string): string[] {
  return text.split(/\n+|(?<=[.!])\s+/).map((s) => s.trim().replace(/\s+/g, " "))
    .filter(Boolean);
}

/** The kind of fact a sentence states, if any. */
export function classifySentence(s: string): string | null {
  if (s.length < 15 || s.length > 300) return null;
  if (s.endsWith("?") || isRedacted(s) || !isSafeForInjection(s)) return null;
  if (REJECT.some((re) => re.test(s))) return null;
  if (!/[a-z]{3}/i.test(s) || s.split(" ").length < 4) return null;
  return KINDS.find(([, re]) => re.test(s))?.[0] ?? null;
}

/**
 * Extract at most five facts from the user's turns (secrets redacted first).
 *
 * @example
 * ```ts
 * heuristicExtract([{ role: "user", content: "We deploy only after staging approval." }]);
 * // { decision: "extract", facts: [{ content: "We deploy only after staging approval.", … }] }
 * ```
 */
export function heuristicExtract(turns: Turn[]): Extraction {
  const facts: ExtractedFact[] = [];
  const seen = new Set<string>();
  for (const t of turns) {
    if (t.role !== "user") continue;
    for (const s of sentences(redactSensitive(t.content))) {
      const kind = classifySentence(s);
      if (!kind) continue;
      const content = /[.!]$/.test(s) ? s : `${s}.`;
      const key = content.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      facts.push({ content, tags: ["proxy-extracted", kind] });
      if (facts.length >= MAX_FACTS) return { decision: "extract", facts };
    }
  }
  return { decision: facts.length ? "extract" : "abstain", facts };
}
