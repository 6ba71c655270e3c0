/**
 * Chit-chat between the scenes: greetings, weekends, telly, food, weather, work moans and
 * goodbyes. It states no facts a question asks about, but shares their everyday words.
 */
import { FOODS, type Person, type Rand, SHOWS, WEEKEND } from "./lexicon.ts";
import type { Session } from "./model.ts";

const OPEN = [
  "Hey {Y}! How was your weekend?",
  "Long time no talk! How've you been?",
  "Happy Friday {Y}!!",
  "Morning! Surviving the week?",
  "Heyyy, you around?",
  "{Y}! Quick catch-up before I crash?",
];
const WEEKEND_REPLY = [
  "Pretty good, mostly {W}. You?",
  "Chaotic. Spent the whole of Saturday on {W}",
  "Quiet one, just {W} and an early night",
  "Honestly? {W}. Living the dream",
  "Not bad! Bit of {W}, bit of sofa",
];
const SMALL = [
  "Have you started {S} yet? I'm three episodes in and hooked",
  "Finally watched the {S} finale. No spoilers but WOW",
  "I'm craving {F} so badly right now",
  "Made {F} tonight and it was actually edible for once",
  "The weather has been grim all week, I've forgotten what the sun looks like",
  "It's so warm today, I've been sitting outside with a book",
  "Work has been a lot this week, so many meetings",
  "My inbox is out of control, I'm ignoring it until Monday",
  "Did you see that video of the goose chasing the cyclist? I can't stop watching it",
  "I've been trying to drink more water. It's going badly",
  "My phone screen cracked again, third time this year",
  "Just booked a haircut, it's been months",
  "The neighbours are doing building work at 7am every day",
  "I fell asleep on the sofa at nine last night like a pensioner",
  "Someone at work brought in {F}, best lunch of the month",
  "Thinking of rewatching {S} from the start",
];
const REACT = [
  "Haha same",
  "Ugh, I feel that",
  "Oh that's so good",
  "Hahaha no way",
  "Honestly iconic",
  "Tell me about it",
  "Love that for you",
  "Noo, that's rubbish",
  "Ha! Classic",
  "Fair",
];
const CLOSE = [
  "Anyway I should get some sleep. Talk soon!",
  "Right, dinner's ready. Speak later!",
  "Gotta run, catch up properly this week?",
  "Okay I'm off, have a good one!",
  "Night night!",
  "Let's chat again soon x",
];

function fill(r: Rand, t: string, y: Person): string {
  return t.replace("{Y}", y.name).replace("{W}", r.pick(WEEKEND)).replace("{S}", r.pick(SHOWS))
    .replace("{F}", r.pick(FOODS));
}

/** Short threads of two to four turns about nothing much. */
const THREADS = [
  [
    "Have you started {S} yet?",
    "Not yet, is it good?",
    "So good. Don't read anything about it",
    "Okay it's going on the list",
  ],
  [
    "What are you having for dinner?",
    "Probably {F} again, I have no imagination",
    "Honestly {F} is never the wrong answer",
  ],
  ["Is it just me or has this week lasted a month", "It's not just you", "Roll on the weekend"],
  [
    "I need a new podcast for my walks",
    "Have you tried the one about old shipwrecks? Weirdly gripping",
    "Ooh adding it",
  ],
  ["My plant is dying again", "Are you watering it?", "Define watering", "Hahaha that poor plant"],
  [
    "Did you sleep at all last night? That storm",
    "Barely! The bins were flying down the street",
    "Ours ended up in next door's garden",
  ],
  ["Weekend plans?", "Nothing. Gloriously nothing", "Goals honestly"],
  ["Found the best {F} place near the station", "Take me next time", "Deal"],
  [
    "I've got a dentist appointment and I'm already dreading it",
    "It's never as bad as you think",
    "It is always exactly as bad as I think",
  ],
  ["Do you ever just stare at the fridge hoping new food appears", "Every single evening"],
  [
    "Rate my day: missed the bus, spilled coffee, found a fiver",
    "Solid six out of ten",
    "Generous, I'll take it",
  ],
  [
    "The {F} from that new place was a disappointment",
    "Nooo, the photos looked so good",
    "Style over substance",
  ],
  [
    "Why is every {S} episode a cliffhanger",
    "Because they know we're weak",
    "I'm not weak, I'm invested",
  ],
  [
    "Guess who locked themselves out again",
    "Not again!",
    "The neighbour has a spare now, lesson learned",
  ],
  ["Is it too early for Christmas music", "It's never too early", "Okay good, because it's on"],
  [
    "My laptop is making a noise like a tiny jet engine",
    "Have you tried turning it off and on again",
    "I've tried shouting at it",
  ],
  ["We should do a {F} night soon", "Yes please, I'll bring dessert", "Deal, I'll sort a date"],
  [
    "Went to bed at ten and still woke up tired, how",
    "The eternal mystery",
    "Science has no answers",
  ],
  [
    "Train was cancelled again this morning",
    "Of course it was",
    "I walked in the rain like a Victorian orphan",
  ],
  ["The gym was packed at six today", "New Year's resolution crowd?", "It's never-ending"],
];

/** The opening of a session: a greeting and a little small talk. */
export function opening(s: Session, r: Rand, a: Person, b: Person): void {
  s.say(a, fill(r, r.pick(OPEN), b));
  s.say(b, fill(r, r.pick(WEEKEND_REPLY), a));
  if (r.chance(0.6)) s.say(a, fill(r, r.pick(SMALL), b));
  if (r.chance(0.5)) s.say(b, r.pick(REACT));
}

/** A thread of chit-chat, the two friends taking turns. */
export function thread(s: Session, r: Rand, a: Person, b: Person): void {
  r.pick(THREADS).forEach((t, i) => s.say(i % 2 === 0 ? a : b, fill(r, t, i % 2 === 0 ? b : a)));
}

/** A short exchange between scenes (zero to three turns). */
export function smallTalk(s: Session, r: Rand, a: Person, b: Person): void {
  const n = r.int(0, 3);
  for (let i = 0; i < n; i++) {
    const [p, q] = i % 2 === 0 ? [a, b] : [b, a];
    s.say(p, i === 0 ? fill(r, r.pick(SMALL), q) : r.pick(REACT));
  }
}

/** The end of a session. */
export function closing(s: Session, r: Rand, a: Person, b: Person): void {
  s.say(a, r.pick(CLOSE));
  if (r.chance(0.6)) s.say(b, r.pick(["Night!", "Speak soon x", "Bye!!", "Take care"]));
}

/**
 * A third person joining in for a session (a flatmate on the same phone): `scene` is what
 * they came to say.
 */
export function cameo(
  s: Session,
  r: Rand,
  [c, a, b]: [Person, Person, Person],
  scene: () => void,
): void {
  s.say(c, `Hi ${b.name}, it's ${c.name}, stealing ${a.name}'s phone for a second`);
  s.say(b, `Haha hi ${c.name}!`);
  if (r.chance(0.5)) s.say(c, fill(r, r.pick(SMALL), b));
  scene();
  s.say(a, r.pick(["Okay give it back now", "Right, my phone please", "And we're back"]));
}
