/**
 * Date expressions → time windows, relative to a reference instant: the recall clock for a
 * query ("last week", "in March", "2 weeks ago", "yesterday", "on 2024-03-03"), a memory's
 * `created_at` for dates its content mentions ("sold the place on Tuesday"). Hand-written and
 * small: recall needs windows (chrono-node and the like resolve expressions to instants), and
 * it runs on every query. All arithmetic is in UTC days, as `created_at` is stored.
 */

/** A half-open window [start, end) in epoch milliseconds, with the words that named it. */
export interface TimeWindow {
  start: number;
  end: number;
  text: string;
}

export const DAY = 86_400_000;

/** Month names, January first (shared with the recency intents of temporal.ts). */
export const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTH = `(${
  MONTHS.map((m) => `${m}|${m.slice(0, 3)}${m.length > 3 ? "\\.?" : ""}`).join("|")
})`;
const NUM = String
  .raw`(\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|a few|few|several)`;
const NUMBERS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  "a couple of": 2,
  "a few": 3,
  few: 3,
  several: 3,
};
const MONTH_CUE = /\b(in|of|during|early|late|mid|since|until|by|on|from|last|this|next)[\s-]+$/i;

const day0 = (ms: number) => Math.floor(ms / DAY) * DAY;
const days = (start: number, n: number, text: string): TimeWindow => ({
  start,
  end: start + n * DAY,
  text,
});
const utc = (y: number, m: number, d = 1) => Date.UTC(y, m, d);
const count = (s: string) => NUMBERS[s.toLowerCase().replace(/\s+/g, " ")] ?? Number(s);
const monthIndex = (s: string) => {
  const w = s.toLowerCase().replace(".", "");
  return MONTHS.findIndex((m) => m === w || m.slice(0, 3) === w);
};

/** Monday 00:00 of the week holding `ms`. */
function monday(ms: number): number {
  const d = day0(ms);
  return d - ((new Date(d).getUTCDay() + 6) % 7) * DAY;
}

/** A whole month, or a day of it; without a year, the latest one that has begun by `ref`. */
function monthWindow(ref: number, m: number, year: number | null, d: number | null, text: string) {
  const r = new Date(ref);
  let y = year ?? r.getUTCFullYear();
  if (year === null && utc(y, m, d ?? 1) > day0(ref)) y--;
  if (d !== null) return days(utc(y, m, d), 1, text);
  return { start: utc(y, m), end: utc(y, m + 1), text };
}

/** Windows of a unit ("week") relative to `ref`: last, this, next, past. */
function relativeUnit(ref: number, which: string, unit: string, text: string): TimeWindow {
  const today = day0(ref);
  const r = new Date(today);
  const [y, m] = [r.getUTCFullYear(), r.getUTCMonth()];
  const w = which.toLowerCase();
  const step = w === "next" || w === "coming" ? 1 : w === "this" ? 0 : -1;
  if (w === "past") {
    const back = unit === "week"
      ? 7 * DAY
      : unit === "month"
      ? today - utc(y, m - 1, r.getUTCDate())
      : 365 * DAY;
    return { start: today - back, end: today + DAY, text };
  }
  if (unit === "weekend") {
    const sat = monday(today) + 5 * DAY + (step === 1 ? 7 * DAY : 0);
    const start = step === -1 && sat >= today ? sat - 7 * DAY : sat;
    return days(start, 2, text);
  }
  if (unit === "week") {
    // "Last week" is the previous calendar week and the past seven days: people say it of
    // anything from Monday a week ago until yesterday.
    if (step === -1) return { start: monday(today) - 7 * DAY, end: today, text };
    const start = monday(today) + step * 7 * DAY;
    return { start, end: step === 0 ? today + DAY : start + 7 * DAY, text };
  }
  if (unit === "month") {
    return { start: utc(y, m + step), end: step === 0 ? today + DAY : utc(y, m + step + 1), text };
  }
  return { start: utc(y + step, 0), end: step === 0 ? today + DAY : utc(y + step + 1, 0), text };
}

/** "N units ago": that day, or a window of the unit's size around the instant. */
function ago(ref: number, n: number, unit: string, text: string): TimeWindow {
  const today = day0(ref);
  if (unit === "day") return days(today - n * DAY, 1, text);
  if (unit === "week") return days(today - n * 7 * DAY - 3 * DAY, 7, text);
  if (unit === "month") {
    const r = new Date(today);
    return days(utc(r.getUTCFullYear(), r.getUTCMonth() - n, r.getUTCDate()) - 15 * DAY, 31, text);
  }
  return days(today - Math.round(n * 365.25) * DAY - 182 * DAY, 365, text);
}

/** A weekday: "next" → the coming one, "this" → in this week, else the latest before today. */
function weekday(ref: number, which: string | undefined, wd: number, text: string): TimeWindow {
  const today = day0(ref);
  const dow = new Date(today).getUTCDay();
  const w = which?.toLowerCase();
  if (w === "next") return days(today + (((wd - dow + 6) % 7) + 1) * DAY, 1, text);
  if (w === "this") return days(monday(today) + ((wd + 6) % 7) * DAY, 1, text);
  return days(today - (((dow - wd + 6) % 7) + 1) * DAY, 1, text);
}

type Rule = [RegExp, (m: RegExpExecArray, ref: number) => TimeWindow | null];

const RULES: Rule[] = [
  [/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m) => days(utc(+m[1], +m[2] - 1, +m[3]), 1, m[0])],
  [
    /\b(\d{4})-(\d{2})\b/g,
    (m) => ({ start: utc(+m[1], +m[2] - 1), end: utc(+m[1], +m[2]), text: m[0] }),
  ],
  [
    new RegExp(
      String.raw`\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}\b(?:,?\s+(\d{4})\b)?`,
      "gi",
    ),
    (m, ref) => monthWindow(ref, monthIndex(m[2]), m[3] ? +m[3] : null, +m[1], m[0]),
  ],
  [
    new RegExp(
      String.raw`\b${MONTH}\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`,
      "gi",
    ),
    (m, ref) => monthWindow(ref, monthIndex(m[1]), m[3] ? +m[3] : null, +m[2], m[0]),
  ],
  [
    new RegExp(String.raw`\b${MONTH}\s+(\d{4})\b`, "gi"),
    (m, ref) => monthWindow(ref, monthIndex(m[1]), +m[2], null, m[0]),
  ],
  [/\bthe day before yesterday\b/gi, (m, ref) => days(day0(ref) - 2 * DAY, 1, m[0])],
  [/\byesterday\b/gi, (m, ref) => days(day0(ref) - DAY, 1, m[0])],
  [
    /\b(today|tonight|this (?:morning|afternoon|evening))\b/gi,
    (m, ref) => days(day0(ref), 1, m[0]),
  ],
  [/\btomorrow\b/gi, (m, ref) => days(day0(ref) + DAY, 1, m[0])],
  [
    new RegExp(
      String
        .raw`\b(?:in\s+|over\s+|during\s+|within\s+)?(?:the\s+)?(?:past|last)\s+${NUM}\s+(day|week|month)s?\b`,
      "gi",
    ),
    (m, ref) => {
      const n = count(m[1]);
      const unit = m[2].toLowerCase() === "day" ? 1 : m[2].toLowerCase() === "week" ? 7 : 30;
      return { start: day0(ref) - n * unit * DAY, end: day0(ref) + DAY, text: m[0] };
    },
  ],
  [
    new RegExp(String.raw`\b${NUM}\s+(day|week|month|year)s?\s+ago\b`, "gi"),
    (m, ref) => ago(ref, count(m[1]), m[2].toLowerCase(), m[0]),
  ],
  [
    /\b(last|this|next|past|previous|coming)\s+(week|weekend|month|year)\b/gi,
    (m, ref) => relativeUnit(ref, m[1] === "previous" ? "last" : m[1], m[2].toLowerCase(), m[0]),
  ],
  [
    new RegExp(String.raw`\b(?:(last|this|next|on)\s+)?(${WEEKDAYS.join("|")})(s?)\b`, "gi"),
    (m, ref) => {
      // A habit ("on Tuesdays", "every Monday", "Tuesday evenings") is no date.
      const habit = m[3] || /\bevery\s+$/i.test(m.input.slice(0, m.index)) ||
        /^\s+(mornings|afternoons|evenings|nights)\b/i.test(m.input.slice(m.index + m[0].length));
      return habit ? null : weekday(ref, m[1], WEEKDAYS.indexOf(m[2].toLowerCase()), m[0]);
    },
  ],
  [
    /\b(?:in|during|of|since)\s+((?:19|20)\d{2})\b/g,
    (m) => ({ start: utc(+m[1], 0), end: utc(+m[1] + 1, 0), text: m[0] }),
  ],
  [
    new RegExp(String.raw`\b${MONTH}\b`, "gi"),
    // A month alone only after a cue ("in March", "since May", "mid-June"): "May", "June" and
    // "Jun" are names too, "march" and "may" ordinary words.
    (m, ref) =>
      MONTH_CUE.test(m.input.slice(0, m.index))
        ? monthWindow(ref, monthIndex(m[1]), null, null, m[0])
        : null,
  ],
];

/**
 * Every date expression in `text` as a window, resolved against `ref`. Earlier rules win a
 * stretch of text ("3 March 2024" is one day, not also "March").
 *
 * @example
 * ```ts
 * timeWindows("what happened last week?", new Date("2026-06-15T09:00:00Z"));
 * // [{ start: 2026-06-08, end: 2026-06-15, text: "last week" }]
 * ```
 */
export function timeWindows(text: string, ref: Date): TimeWindow[] {
  const taken: [number, number][] = [];
  const out: TimeWindow[] = [];
  const r = ref.getTime();
  for (const [re, make] of RULES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const [a, b] = [m.index, m.index + m[0].length];
      if (taken.some(([x, y]) => a < y && x < b)) continue;
      const w = make(m, r);
      if (!w || !(w.end > w.start)) continue;
      taken.push([a, b]);
      out.push({ ...w, text: w.text.trim() });
    }
  }
  return out;
}

/** A window as `YYYY-MM-DD..YYYY-MM-DD` (inclusive), for explain output and tests. */
export function formatWindow(w: { start: number; end: number }): string {
  const d = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `${d(w.start)}..${d(Math.max(w.start, w.end - DAY))}`;
}

/** How the time channel counts; the weight is tuned on the conversational eval's tuning half. */
export interface TimeWeights {
  /** Weight of the time channel in fusion (added to the weighted sum, like recency). */
  weight: number;
  /** Shortest half-life, in days, of the decay outside a window. */
  half_life: number;
  /** Longer windows decay more slowly: half-life = max(half_life, share × window length). */
  share: number;
}

export const TIME_WEIGHTS: Readonly<TimeWeights> = Object.freeze({
  weight: 0.3,
  half_life: 2,
  share: 0.25,
});

/** Content dates wider than this (a "last year") say too little about when a thing happened. */
const NARROW = 31 * DAY;

/**
 * When a memory happened: the day of its `created_at` (the import's event time), and the
 * narrow dates its content names, read relative to that day ("sold it on Tuesday").
 */
export function eventWindows(createdAt: string, content: string): TimeWindow[] {
  const t = Date.parse(createdAt);
  if (Number.isNaN(t)) return [];
  const named = timeWindows(content, new Date(t)).filter((w) => w.end - w.start <= NARROW);
  return [days(day0(t), 1, "created_at"), ...named];
}

/**
 * Time scores in 0..1: 1 for a memory whose event time falls inside one of the query's
 * windows, halving every half-life outside it.
 */
export function timeScores(
  memories: { pk: number; created_at: string; content: string }[],
  windows: TimeWindow[],
  w: TimeWeights = TIME_WEIGHTS,
): Map<number, number> {
  const out = new Map<number, number>();
  if (windows.length === 0) return out;
  for (const m of memories) {
    let best = 0;
    for (const e of eventWindows(m.created_at, m.content)) {
      for (const q of windows) {
        const gap = Math.max(0, q.start - e.end, e.start - q.end) / DAY;
        const half = Math.max(w.half_life, (w.share * (q.end - q.start)) / DAY);
        best = Math.max(best, 0.5 ** (gap / half));
      }
    }
    out.set(m.pk, best);
  }
  return out;
}

/**
 * The query's filter narrowed to the span of its windows, widened by `pad` days each side:
 * the channels run again inside it, so a memory of that time that a whole-store top-k missed
 * still becomes a candidate.
 */
export function windowFilter<F extends { after?: string; before?: string }>(
  filter: F,
  windows: TimeWindow[],
  pad = 1,
): F {
  const start = Math.min(...windows.map((w) => w.start)) - pad * DAY;
  const end = Math.max(...windows.map((w) => w.end)) + pad * DAY;
  const after = filter.after && Date.parse(filter.after) > start ? filter.after : iso(start);
  const before = filter.before && Date.parse(filter.before) < end ? filter.before : iso(end);
  return { ...filter, after, before };
}

const iso = (ms: number) => new Date(ms).toISOString();
