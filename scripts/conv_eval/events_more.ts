/**
 * More events: a habit that changes, a purchase decided in a question-and-answer pair, an
 * injury and recovery, a long project, a book recommendation, a concert, a character trait
 * shown across sessions (open-domain questions), and news from the last week.
 */
import { BANDS, BOOKS, CHANGES, ITEMS, PROJECTS, SPORTS } from "./lexicon.ts";
import { dayOf, type EventKind, fresh } from "./model.ts";

const fill = (t: string, x: string) => t.replaceAll("{X}", x);

type Change = typeof CHANGES[number];
export const change: EventKind<Change> = {
  name: "change",
  steps: 2,
  gap: 4,
  params: (r, taken) => fresh(r, CHANGES, taken, (c) => `change:${c.topic}`),
  scene(step, s, { r, x, y }, p, ids) {
    if (step === 0) {
      ids.before = s.say(x, `${p.before[0].toUpperCase()}${p.before.slice(1)}`);
      s.say(y, r.pick(["Respect. I could never", "Fair enough, whatever works"]));
    } else {
      ids.after = s.say(x, `Okay, ${p.after}`);
      s.say(y, r.pick(["Ha! Knew it wouldn't last", "Honestly that sounds sensible"]));
    }
  },
  questions: ({ x }, p) => [
    { kind: "temporal", q: fill(p.qNow, x.name), ev: ["after"], a: p.after },
    { kind: "temporal", q: fill(p.qBefore, x.name), ev: ["before"], a: p.before },
    { kind: "single_hop", q: fill(p.why, x.name), ev: ["after"], a: p.after },
  ],
};

type Buy = typeof ITEMS[number] & { colour: string };
export const purchase: EventKind<Buy> = {
  name: "purchase",
  steps: 1,
  gap: 0,
  params: (r, taken) => {
    const it = fresh(r, ITEMS, taken, (i) => `item:${i.item}`);
    return { ...it, colour: r.pick(it.colours) };
  },
  scene(_step, s, { r, x, y }, p, ids) {
    ids.ask = s.say(y, `Okay, the great ${p.item} dilemma. Did you decide??`);
    ids.choice = s.say(
      x,
      r.chance(0.5)
        ? `I'll take the ${p.colour} one. ${
          r.pick(["Feeling brave.", "Life's too short for grey."])
        }`
        : `Ordered the ${p.item} in ${p.colour}, life's too short for grey`,
    );
    s.say(y, r.pick(["Bold. I love it", "Excellent choice honestly"]));
  },
  questions: ({ r, x }, p) => [
    {
      kind: "single_hop",
      q: r.pick([
        `What colour is the ${p.syn} ${x.name} picked?`,
        `Which colour ${p.item} did ${x.name} decide on?`,
      ]),
      ev: ["choice"],
      a: p.colour,
    },
  ],
  absent: ({ y }, p) => ({
    kind: "adversarial",
    q: `What colour ${p.syn} did ${y.name} choose?`,
    ev: [],
    a: `${y.name} never mentions buying one`,
  }),
};

type Injury = { sport: string };
export const injury: EventKind<Injury> = {
  name: "injury",
  steps: 3,
  gap: 1,
  params: (r, taken) => ({ sport: fresh(r, SPORTS, taken, (s) => `sport:${s}`) }),
  scene(step, s, { r, x, y }, p, ids) {
    if (step === 0) {
      ids.hurt = s.say(
        x,
        r.pick([
          `Rolled my ankle at ${p.sport} last night, on crutches now`,
          `Went over on my ankle playing ${p.sport}. Crutches for a bit, apparently`,
        ]),
      );
      s.say(y, r.pick(["Oh no!! Are you okay?", "Ouch. Rest up please"]));
    } else if (step === 1) {
      ids.physio = s.say(
        x,
        r.pick([
          `Crutches are gone! The physio says two more weeks of careful walking, no ${p.sport} yet`,
          `Physio signed me off the crutches, just exercises for a fortnight before ${p.sport} again`,
        ]),
      );
      s.say(y, "Progress!");
    } else {
      ids.run = s.say(
        x,
        r.pick([
          `Ran my first 5k since the ${p.sport} ankle thing, no pain at all`,
          `Did a whole 5k this morning and the ankle held up! ${p.sport} next week`,
        ]),
      );
      s.say(y, r.pick(["Back in business!", "The comeback is real"]));
    }
  },
  questions: ({ r, x }, p, d) => [
    {
      kind: "temporal",
      q: r.pick([
        `When did ${x.name} hurt ${x.their} foot?`,
        `When did ${x.name} roll ${x.their} ankle?`,
      ]),
      ev: ["hurt"],
      a: dayOf(d[0]),
    },
    {
      kind: "temporal",
      q: `What was ${x.name} able to do again once ${x.their} rehab was over?`,
      ev: ["run"],
      a: "run a 5k",
    },
    {
      kind: "multi_hop",
      q: `How did ${x.name} recover from the ${p.sport} accident?`,
      ev: ["hurt", "physio", "run"],
      a: "crutches, physio, then running again",
    },
  ],
  absent: ({ y }) => ({
    kind: "adversarial",
    q: `How did ${y.name} break ${y.their} wrist?`,
    ev: [],
    a: `${y.name} never mentions an injury`,
  }),
};

type Project = typeof PROJECTS[number];
export const project: EventKind<Project> = {
  name: "project",
  steps: 3,
  gap: 2,
  params: (r, taken) => fresh(r, PROJECTS, taken, (p) => `project:${p.thing}`),
  scene(step, s, { r, x, y }, p, ids) {
    if (step === 0) {
      ids.start = s.say(
        x,
        r.pick([
          `I've started on a ${p.thing}. I am in way over my head`,
          `New obsession: I'm making a ${p.thing}. How hard can it be`,
        ]),
      );
      s.say(y, r.pick(["You'll figure it out, you always do", "Ha, famous last words"]));
    } else if (step === 1) {
      ids.mid = s.say(x, `The ${p.parts[0]} is done! The ${p.parts[1]} is next and I have no clue`);
      s.say(y, "YouTube has got you");
    } else {
      ids.done = s.say(
        x,
        r.pick([
          `It's FINISHED. ${p.parts[2]} and all, I can't believe it`,
          `Put the ${p.parts[2]} on this morning, so that's it, the whole thing is done!`,
        ]),
      );
      s.say(y, r.pick(["Amazing!! Pictures or it didn't happen", "Months of work, well done"]));
    }
  },
  questions: ({ x }, p, d) => [
    {
      kind: "multi_hop",
      q: `What has ${x.name} been making in ${x.their} spare time, and is it done?`,
      ev: ["start", "mid", "done"],
      a: `a ${p.thing}; finished`,
    },
    {
      kind: "temporal",
      q: `When did ${x.name} complete ${x.their} ${p.syn}?`,
      ev: ["done"],
      a: dayOf(d[2]),
    },
  ],
  absent: ({ y }, p) => ({
    kind: "adversarial",
    q: `When did ${y.name} finish ${y.their} ${p.syn}?`,
    ev: [],
    a: `${y.name} never mentions a project`,
  }),
};

type Rec = typeof BOOKS[number];
export const recommend: EventKind<Rec> = {
  name: "recommend",
  steps: 2,
  gap: 2,
  params: (r, taken) => fresh(r, BOOKS, taken, (b) => `book:${b.title}`),
  scene(step, s, { r, x, y }, p, ids) {
    if (step === 0) {
      ids.rec = s.say(
        x,
        r.pick([
          `You have to read ${p.title}. I finished it in two days`,
          `Just finished ${p.title} and I need you to read it so we can talk about it`,
        ]),
      );
      s.say(y, "Adding it to the list. Who's it by?");
      ids.author = s.say(
        x,
        r.chance(0.5)
          ? `${p.author}. ${r.pick(["Trust me.", "You'll thank me."])}`
          : `It's by ${p.author}, same writer as that one you hated, but trust me`,
      );
    } else {
      ids.done = s.say(
        y,
        r.pick([
          `Finished ${p.title}. That ending wrecked me`,
          `Okay, ${p.title}: I cried on the bus`,
        ]),
      );
      s.say(x, r.pick(["RIGHT?? I told you", "I'm so glad you read it"]));
    }
  },
  questions: ({ x, y }, p) => [
    {
      kind: "single_hop",
      q: `Which novel did ${x.name} tell ${y.name} to read?`,
      ev: ["rec"],
      a: p.title,
    },
    {
      kind: "single_hop",
      q: `Who is the author of the book ${x.name} recommended?`,
      ev: ["author"],
      a: p.author,
    },
    {
      kind: "multi_hop",
      q: `How did ${y.name} feel about the book ${x.name} suggested?`,
      ev: ["rec", "done"],
      a: "the ending wrecked them",
    },
  ],
  absent: ({ x, y }) => ({
    kind: "adversarial",
    q: `Which film did ${y.name} recommend to ${x.name}?`,
    ev: [],
    a: "no film is ever recommended",
  }),
};

type Gig = typeof BANDS[number];
export const concert: EventKind<Gig> = {
  name: "concert",
  steps: 2,
  gap: 1,
  params: (r, taken) => fresh(r, BANDS, taken, (b) => `band:${b.band}`),
  scene(step, s, { r, x, y }, p, ids) {
    if (step === 0) {
      ids.tickets = s.say(x, `Got two tickets for ${p.band} at ${p.venue}. You in?`);
      ids.yes = s.say(y, r.pick(["Obviously. Count me in", "Is that even a question? YES"]));
    } else {
      ids.after = s.say(
        y,
        r.pick([
          "Still not over Saturday. Best night of the year",
          "My voice is gone after that gig. Worth it",
        ]),
      );
      s.say(x, "My ears are still ringing");
    }
  },
  questions: ({ x, y }, p, d) => [
    {
      kind: "single_hop",
      q: `Which group did ${x.name} and ${y.name} go to see live?`,
      ev: ["tickets"],
      a: p.band,
    },
    {
      kind: "temporal",
      q: `When did ${x.name} and ${y.name} go to the ${p.band} show?`,
      ev: ["after"],
      a: `the Saturday before ${dayOf(d[1])}`,
    },
  ],
  absent: ({ x, y }) => ({
    kind: "adversarial",
    q: `Which theatre show did ${x.name} take ${y.name} to?`,
    ev: [],
    a: "they never go to the theatre",
  }),
};

/** A trait shown in three unrelated turns, one per session, never named. */
export const TRAITS = [
  {
    turns: [
      "Up at 5:30 again, watched the sunrise over the water",
      "Can't do late dinners, I'm asleep by half nine",
      "Did my whole workout before anyone else was awake",
    ],
    q: "Would {X} prefer a sunrise yoga class or a midnight film screening?",
    a: "sunrise: an early riser",
  },
  {
    turns: [
      "Made fresh pasta from scratch tonight, flour everywhere",
      "Spent all Sunday perfecting a lamb biryani",
      "Cooking is the only thing that switches my brain off",
    ],
    q: "Would {X} enjoy a cooking course as a birthday present?",
    a: "yes: loves cooking",
  },
  {
    turns: [
      "That festival was a nightmare, people everywhere",
      "I do my food shopping at 8am just to avoid the queues",
      "Honestly a quiet cabin beats a packed beach for me",
    ],
    q: "Would {X} enjoy spending New Year's Eve in a packed Times Square?",
    a: "no: dislikes crowds",
  },
  {
    turns: [
      "Need two glasses of wine before any flight, my palms sweat the whole time",
      "Took the train all the way to Vienna, I'd rather travel slowly than get on a plane",
      "Turbulence on the way back, never again",
    ],
    q: "How does {X} feel about air travel?",
    a: "anxious flyer",
  },
  {
    turns: [
      "Found a perfectly good armchair on the free pile, score",
      "I meal prep every Sunday, saves me a fortune",
      "Cancelled three streaming subscriptions this week, trying to save money",
    ],
    q: "Is {X} careful with money?",
    a: "yes: frugal",
  },
  {
    turns: [
      "Camped by the loch again, woke up to deer outside the tent",
      "New boots arrived, breaking them in on the ridge walk on Sunday",
      "Three days on holiday without phone signal and I've never been happier",
    ],
    q: "What sort of holiday would suit {X} best?",
    a: "remote, outdoors",
  },
  {
    turns: [
      "Cancelled plans for a party again and felt nothing but relief",
      "A perfect Friday is a blanket and a jigsaw",
      "Stayed in all weekend and finally recharged",
    ],
    q: "Would {X} enjoy a big surprise party?",
    a: "no: a homebody",
  },
  {
    turns: [
      "Lost the Monopoly game and didn't speak to my brother for an hour",
      "Beat my parkrun time by ten seconds and told literally everyone",
      "The office quiz trophy is MINE this year",
    ],
    q: "How does {X} handle losing a game?",
    a: "badly: very competitive",
  },
  {
    turns: [
      "Just finished a painting and it's 3am, late nights are my thing",
      "My best ideas always turn up after midnight",
      "The alarm went off at seven and I wanted to cry",
    ],
    q: "Does {X} prefer mornings or late nights?",
    a: "late nights: a night owl",
  },
];

type Trait = typeof TRAITS[number];
export const trait: EventKind<Trait> = {
  name: "trait",
  steps: 3,
  gap: 2,
  params: (r, taken) => fresh(r, TRAITS, taken, (t) => `trait:${t.q}`),
  scene(step, s, { r, y, x }, p, ids) {
    ids[`t${step}`] = s.say(x, p.turns[step]);
    s.say(y, r.pick(["Ha, classic you", "Sounds about right", "Of course you did"]));
  },
  questions: ({ x }, p) => [
    { kind: "open_domain", q: fill(p.q, x.name), ev: ["t0", "t1", "t2"], a: p.a },
  ],
};

/** News in the last session, with an older mention of the same topic as a distractor. */
export const lastWeek: EventKind<{ early: string; late: string; q: string; a: string }> = {
  name: "last_week",
  steps: 2,
  gap: 3,
  params: (r, taken) =>
    fresh(
      r,
      [
        {
          early: "Booked a dentist check-up for sometime next month, dreading it",
          late: "Got two wisdom teeth out on Monday. Living on soup and self-pity",
          q: "What did {X} have done at the dentist last week?",
          a: "two wisdom teeth out",
        },
        {
          early: "Our landlord keeps talking about selling the building",
          late: "The landlord actually sold the place on Tuesday, we have until autumn to move out",
          q: "What news about {X}'s housing came up last week?",
          a: "the landlord sold the building",
        },
        {
          early: "Thinking about applying for a promotion at some point",
          late: "I got the promotion! Team lead from next month",
          q: "What happened at work for {X} in the past week?",
          a: "promoted to team lead",
        },
      ],
      taken,
      (p) => `last:${p.q}`,
    ),
  scene(step, s, { r, x, y }, p, ids) {
    ids[step === 0 ? "early" : "late"] = s.say(x, step === 0 ? p.early : p.late);
    s.say(y, r.pick(["Oh wow", "Keep me posted", "Well that's a lot"]));
  },
  questions: ({ x }, p) => [{ kind: "temporal", q: fill(p.q, x.name), ev: ["late"], a: p.a }],
};
