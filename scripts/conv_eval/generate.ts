/**
 * The conversational recall corpus, generated from a seed: multi-session chats between two
 * friends (and a third person now and then), 22–26 sessions each over about seven months,
 * one memory per turn; questions of five kinds with the turns that answer them.
 *
 * How a conversation is made: each friend gets six to eight life events (events_life.ts,
 * events_more.ts), each told over one to three sessions; the steps are placed on the session
 * calendar (at most three scenes a session) and every session is wrapped in chit-chat
 * (chat.ts). Questions come from the events; adversarial ones ask about an event of the other
 * friend that never happened to them.
 */
import { PEOPLE, type Person, type Rand, rng } from "./lexicon.ts";
import type { Cast, EventKind, Question, Session, Taken, Turn } from "./model.ts";
import { hobby, job, move, pet, relative, trip } from "./events_life.ts";
import {
  change,
  concert,
  injury,
  lastWeek,
  project,
  purchase,
  recommend,
  trait,
} from "./events_more.ts";
import { cameo, closing, opening, smallTalk, thread } from "./chat.ts";

/** The corpus "now": every conversation ends in the week before it. */
export const EVAL_NOW = "2024-06-01T12:00:00.000Z";
export const DEFAULT_SEED = 20240601;
export const DEFAULT_CONVERSATIONS = 12;

/** Everything the eval imports and asks. */
export interface Corpus {
  turns: Turn[];
  questions: Question[];
}

// deno-lint-ignore no-explicit-any
type AnyKind = EventKind<any>;
const LIFE: AnyKind[] = [pet, job, move, hobby, trip, relative, change, purchase, injury, project];
const SCENES_PER_SESSION = 3;
const DAY = 86_400_000;

/** An event placed on the calendar. */
interface Planned {
  kind: AnyKind;
  cast: Cast;
  params: unknown;
  sessions: number[];
  ids: Record<string, string>;
}

/** Session dates, oldest first: the last one 2–6 days before {@link EVAL_NOW}. */
function calendar(r: Rand, n: number): string[] {
  const out: string[] = [];
  let day = Date.parse(EVAL_NOW.slice(0, 10)) - r.int(2, 6) * DAY;
  for (let i = 0; i < n; i++) {
    out.push(new Date(day + r.int(17 * 60, 22 * 60 + 59) * 60_000).toISOString());
    day -= r.int(4, 14) * DAY;
  }
  return out.reverse();
}

/** Place each event's steps, `gap`+ sessions apart, in sessions with room; drop what won't fit. */
function schedule(r: Rand, events: Omit<Planned, "sessions">[], n: number): Planned[] {
  const load = new Array<number>(n).fill(0);
  const out: Planned[] = [];
  for (const e of events) {
    const pinned = e.kind === lastWeek;
    for (let attempt = 0; attempt < 60; attempt++) {
      const sessions = [r.int(0, n - 2)];
      for (let k = 1; k < e.kind.steps; k++) {
        sessions.push(sessions[k - 1] + Math.max(1, e.kind.gap) + r.int(0, 3));
      }
      if (pinned) sessions[sessions.length - 1] = n - 1;
      const last = sessions[sessions.length - 1];
      if (last > (pinned ? n - 1 : n - 2) || (pinned && sessions[0] > n - 1 - lastWeek.gap)) {
        continue;
      }
      if (sessions.some((s) => load[s] >= SCENES_PER_SESSION)) continue;
      for (const s of sessions) load[s]++;
      out.push({ ...e, sessions });
      break;
    }
  }
  return out;
}

/** Pick the events of one conversation. */
function plan(r: Rand, a: Person, b: Person, c: Person, taken: Taken) {
  const events: Omit<Planned, "sessions">[] = [];
  const add = (kind: AnyKind, x: Person, y: Person) =>
    events.push({ kind, cast: { r, x, y }, params: kind.params(r, taken), ids: {} });
  const either = r.chance(0.5) ? [a, b] : [b, a];
  add(lastWeek, either[0], either[1]);
  for (const [x, y] of [[a, b], [b, a]]) {
    for (const kind of r.shuffle(LIFE).slice(0, r.int(6, 8))) add(kind, x, y);
    for (let i = r.int(1, 2); i > 0; i--) add(trait, x, y);
  }
  add(recommend, a, b);
  if (r.chance(0.5)) add(recommend, b, a);
  add(concert, either[1], either[0]);
  add(r.chance(0.5) ? purchase : recommend, c, b);
  return events;
}

/** One conversation: its turns, events and questions. */
function conversation(ci: number, seed: number, taken: Taken): Corpus {
  const used = new Set<string>();
  const r = rng(seed + ci * 7919);
  taken.here.clear();
  const conv = `c${String(ci + 1).padStart(2, "0")}`;
  const [a, b, c] = PEOPLE.slice(ci * 3, ci * 3 + 3);
  const n = r.int(22, 26);
  const dates = calendar(r, n);
  const events = schedule(r, plan(r, a, b, c, taken), n);
  const turns: Turn[] = [];
  for (let si = 0; si < n; si++) {
    const session: Session = {
      index: si,
      date: dates[si],
      say(p, text) {
        const t = distinct(text, used);
        const id = `${conv}:s${String(si + 1).padStart(2, "0")}:t${
          String(turns.length + 1).padStart(3, "0")
        }`;
        turns.push({ id, conv, session: si + 1, date: dates[si], speaker: p.name, text: t });
        return id;
      },
    };
    const [first, second] = si % 2 === 0 ? [a, b] : [b, a];
    opening(session, r, first, second);
    const here = r.shuffle(events.filter((e) => e.sessions.includes(si)));
    const chat = r.int(1, 3);
    for (let k = 0; k < Math.max(here.length, chat); k++) {
      if (k < chat) thread(session, r, k % 2 ? second : first, k % 2 ? first : second);
      const e = here[k];
      if (!e) continue;
      const scene = () => e.kind.scene(e.sessions.indexOf(si), session, e.cast, e.params, e.ids);
      if (e.cast.x === c) cameo(session, r, [c, a, b], scene);
      else scene();
      smallTalk(session, r, first, second);
    }
    closing(session, r, r.chance(0.5) ? first : second, r.chance(0.5) ? second : first);
  }
  return { turns, questions: questionsFor(r, conv, events, dates) };
}

const PREFIXES = ["So", "Okay", "Anyway,", "Ha,", "Right,", "Honestly", "Oh,", "Well,"];
const SUFFIXES = ["haha", "lol", "tbh", "x", "mate", "though", "ngl", "again"];

/**
 * Chit-chat repeats, as it does; a repeat gets a word before and after it so it is not the
 * same text (import would merge two turns that say the same thing into one memory).
 */
function distinct(text: string, used: Set<string>): string {
  for (let k = 0;; k++) {
    const p = PREFIXES[(k - 1) % PREFIXES.length];
    const q = SUFFIXES[Math.floor((k - 1) / PREFIXES.length) % SUFFIXES.length];
    const t = k === 0 ? text : `${p} ${text[0].toLowerCase()}${text.slice(1)} ${q}` +
      (k > PREFIXES.length * SUFFIXES.length ? ` ${k}` : "");
    if (!used.has(t)) {
      used.add(t);
      return t;
    }
  }
}

function questionsFor(r: Rand, conv: string, events: Planned[], dates: string[]): Question[] {
  const out: Question[] = [];
  const push = (q: { kind: Question["kind"]; q: string; ev: string[]; a: string }, e: Planned) => {
    const evidence = q.ev.map((k) => {
      const id = e.ids[k];
      if (!id) throw new Error(`${conv} ${e.kind.name}: no turn recorded as "${k}"`);
      return id;
    });
    out.push({ id: "", conv, kind: q.kind, question: q.q, evidence, answer: q.a });
  };
  for (const e of events) {
    for (const q of e.kind.questions(e.cast, e.params, e.sessions.map((s) => dates[s]))) push(q, e);
  }
  // Adversarial: the same kind of question about the other friend, to whom it never happened.
  const has = (p: Person, k: AnyKind) => events.some((e) => e.cast.x === p && e.kind === k);
  const adversarial = events.filter((e) => e.kind.absent && !has(e.cast.y, e.kind));
  for (const e of r.shuffle(adversarial).slice(0, 10)) push(e.kind.absent!(e.cast, e.params), e);
  return out.map((q, i) => ({ ...q, id: `${conv}-q${String(i + 1).padStart(3, "0")}` }));
}

/** The whole corpus for a seed. */
export function generateCorpus(
  seed = DEFAULT_SEED,
  conversations = DEFAULT_CONVERSATIONS,
): Corpus {
  if (conversations * 3 > PEOPLE.length) {
    throw new Error(`at most ${PEOPLE.length / 3} conversations (one cast each)`);
  }
  const taken: Taken = { uses: new Map(), here: new Set() };
  const out: Corpus = { turns: [], questions: [] };
  for (let ci = 0; ci < conversations; ci++) {
    const c = conversation(ci, seed, taken);
    out.turns.push(...c.turns);
    out.questions.push(...c.questions);
  }
  return out;
}

/**
 * A turn as one `memoryoss import` line: created_at = the session's date; each conversation is
 * its own namespace (one user's memory), named by {@link namespaceOf}.
 */
export function importLine(t: Turn): string {
  return JSON.stringify({
    namespace: namespaceOf(t.conv),
    content: t.text,
    created_at: t.date,
    metadata: { conv_id: t.conv, session: `session_${t.session}`, speaker: t.speaker, turn: t.id },
  });
}

/** The namespace a conversation is imported into. */
export const namespaceOf = (conv: string) => `conv-${conv}`;
