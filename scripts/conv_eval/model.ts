/**
 * Shapes shared by the conversational eval's generator and runner: turns, questions, and the
 * event kinds a storyline is built from.
 */
import type { Person, Rand } from "./lexicon.ts";

/** Question kinds (LoCoMo-style); adversarial questions have no evidence. */
export const KINDS = ["single_hop", "multi_hop", "temporal", "open_domain", "adversarial"] as const;
export type Kind = typeof KINDS[number];

/** One conversation turn: imported as one memory. */
export interface Turn {
  /** `c01:s07:t12`: conversation, session, turn. */
  id: string;
  conv: string;
  session: number;
  /** The session's date (every turn of a session shares it, as in the held-out protocol). */
  date: string;
  speaker: string;
  text: string;
}

/** One question with the turns that answer it. */
export interface Question {
  id: string;
  conv: string;
  kind: Kind;
  question: string;
  /** Turn ids needed to answer; empty for adversarial questions. */
  evidence: string[];
  /** A short reference answer, for people reading the fixture (not scored). */
  answer: string;
}

/** A session being written: `say` appends a turn and returns its id. */
export interface Session {
  readonly index: number;
  readonly date: string;
  say(p: Person, text: string): string;
}

/** The cast of one conversation: `x` is the event's subject, `y` the one they talk to. */
export interface Cast {
  r: Rand;
  x: Person;
  y: Person;
}

/** A question before it gets its id: evidence named by the keys a scene recorded. */
export interface QSpec {
  kind: Kind;
  q: string;
  ev: string[];
  a: string;
}

/**
 * An event in someone's life told over `steps` sessions (at least `gap` sessions apart).
 * `scene` writes step `step` into a session and records the turns questions point at under
 * names in `ids`; `questions` asks about them; `absent` asks the same about someone to whom
 * it never happened (adversarial).
 */
export interface EventKind<P> {
  name: string;
  steps: number;
  gap: number;
  params(r: Rand, taken: Taken): P;
  scene(step: number, s: Session, c: Cast, p: P, ids: Record<string, string>): void;
  questions(c: Cast, p: P, dates: string[]): QSpec[];
  absent?(c: Cast, p: P): QSpec;
}

/** A readable date for reference answers: "14 May 2023". */
export function dayOf(iso: string): string {
  const d = new Date(iso);
  const month = d.toLocaleString("en-GB", { month: "long", timeZone: "UTC" });
  return `${d.getUTCDate()} ${month} ${d.getUTCFullYear()}`;
}

/**
 * Pick one of the least used pool entries (uses counted by `key` over the whole corpus),
 * never one already used in the current conversation while others are left.
 */
export function fresh<T>(r: Rand, pool: readonly T[], taken: Taken, key: (t: T) => string): T {
  const uses = (t: T) => taken.uses.get(key(t)) ?? 0;
  const open = pool.filter((t) => !taken.here.has(key(t)));
  const from = open.length ? open : pool;
  const least = Math.min(...from.map(uses));
  const t = r.pick(from.filter((t) => uses(t) === least));
  taken.uses.set(key(t), least + 1);
  taken.here.add(key(t));
  return t;
}

/** Pool entries used so far: how often in the corpus, and which in this conversation. */
export interface Taken {
  uses: Map<string, number>;
  here: Set<string>;
}
