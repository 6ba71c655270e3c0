/**
 * Life events told across sessions: a new pet, a job, a move, a hobby, a trip, a relative's
 * news. Turns speak as people do ("Pepper. My nephew chose it."), so the turn that holds an
 * answer often needs the turn before it; questions use other words than the turns.
 */
import {
  CITIES,
  HOBBIES,
  JOBS,
  MILESTONES,
  OTHERS,
  PET_NAMES,
  PETS,
  RELATIONS,
  TRIPS,
} from "./lexicon.ts";
import { dayOf, type EventKind, fresh } from "./model.ts";

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

type Pet = typeof PETS[number] & { name: string };
export const pet: EventKind<Pet> = {
  name: "pet",
  steps: 2,
  gap: 2,
  params: (r, taken) => ({
    ...fresh(r, PETS, taken, (p) => `pet:${p.breed}`),
    name: fresh(r, PET_NAMES, taken, (n) => `pet:${n}`),
  }),
  scene(step, s, { r, x, y }, p, ids) {
    if (step === 0) {
      s.say(
        y,
        r.pick([
          "So did you make it to the shelter on Saturday?",
          "Did you end up going to see that litter?",
        ]),
      );
      ids.adopt = s.say(
        x,
        r.pick([
          `We did, and we came home with a little ${p.breed} ${p.young}!`,
          `Yes!! There's a ${p.breed} ${p.young} asleep on my feet as we speak`,
        ]),
      );
      s.say(y, r.pick(["Stop it. What did you call it??", "Oh my god. Name??"]));
      ids.name = s.say(
        x,
        r.chance(0.5)
          ? `${p.name}. ${
            r.pick([
              "My nephew chose it, I was outvoted.",
              "It just suited the face.",
              "Don't judge me.",
            ])
          }`
          : `We're calling the ${p.young} ${p.name}, my nephew chose it`,
      );
      s.say(y, r.pick(["Perfect. Send pictures immediately", "Love that. I need photos"]));
    } else {
      ids.habit = s.say(
        x,
        r.pick([
          `${p.name} ${p.vibe}, and I can't even be cross about it`,
          `Update: ${p.name} ${p.vibe}. Every. Single. Day.`,
        ]),
      );
      s.say(
        y,
        r.pick([
          "Hahaha that's a proper personality",
          "Sounds like you've been adopted, not the other way round",
        ]),
      );
    }
  },
  questions: ({ r, x }, p, d) => [
    {
      kind: "single_hop",
      q: r.pick([
        `What did ${x.name} call ${x.their} new ${p.kind}?`,
        `What is the name of ${x.name}'s ${p.young}?`,
      ]),
      ev: ["name"],
      a: p.name,
    },
    {
      kind: "single_hop",
      q: `What breed is the animal ${x.name} brought home?`,
      ev: ["adopt"],
      a: p.breed,
    },
    {
      kind: "temporal",
      q: r.pick([
        `When did ${x.name} get ${x.their} ${p.kind}?`,
        `When did ${x.name} bring a ${p.young} home?`,
      ]),
      ev: ["adopt"],
      a: dayOf(d[0]),
    },
    {
      kind: "multi_hop",
      q: `What mischief does ${x.name}'s ${p.kind} get up to?`,
      ev: ["name", "habit"],
      a: `${p.name} ${p.vibe}`,
    },
  ],
  absent: ({ y }, p) => ({
    kind: "adversarial",
    q: `What is the name of ${y.name}'s ${p.kind}?`,
    ev: [],
    a: `${y.name} never mentions having a ${p.kind}`,
  }),
};

type Job = typeof JOBS[number];
export const job: EventKind<Job> = {
  name: "job",
  steps: 2,
  gap: 1,
  params: (r, taken) => fresh(r, JOBS, taken, (j) => `job:${j.company}`),
  scene(step, s, { r, x, y }, p, ids) {
    if (step === 0) {
      ids.interview = s.say(
        x,
        r.pick([
          `Final interview at ${p.company} tomorrow and I am a wreck`,
          `Got through to the last round at ${p.company}! It's on Thursday`,
        ]),
      );
      s.say(y, "You'll smash it. Remind me what the role is again?");
      ids.role = s.say(
        x,
        r.pick([
          `${cap(p.role)}, so mostly ${p.duty}.`,
          `${cap(p.role)}. Lots of ${p.duty}, basically.`,
        ]),
      );
      s.say(y, r.pick(["Honestly that sounds made for you", "Ooh that suits you so well"]));
    } else {
      ids.offer = s.say(
        x,
        r.pick([
          `Guess who got the offer!! I start in ${
            r.pick(["two weeks", "a month", "March", "the new year"])
          }`,
          `They said YES. I got it!! Notice period is ${
            r.pick(["a month", "three weeks", "six weeks"])
          }`,
        ]),
      );
      ids.confirm = s.say(y, `Wait, the ${p.company} one?? CONGRATS`);
      s.say(x, "Yep! Handing in my notice on Monday, I can't stop grinning");
    }
  },
  questions: ({ r, x }, p, d) => [
    {
      kind: "single_hop",
      q: r.pick([
        `What position did ${x.name} apply for?`,
        `What is the role ${x.name} interviewed for?`,
      ]),
      ev: ["role"],
      a: p.role,
    },
    {
      kind: "temporal",
      q: r.pick([
        `When did ${x.name} learn that ${x.they} had been hired?`,
        `When did ${x.name} get the job offer?`,
      ]),
      ev: ["offer"],
      a: dayOf(d[1]),
    },
    {
      kind: "temporal",
      q: `What happened after ${x.name}'s last round of interviews?`,
      ev: ["offer"],
      a: `${x.they} got the job at ${p.company}`,
    },
    {
      kind: "multi_hop",
      q: `What will ${x.name} spend ${x.their} days doing in the job ${x.they} accepted?`,
      ev: ["role", "offer"],
      a: p.duty,
    },
  ],
  absent: ({ y }) => ({
    kind: "adversarial",
    q: `Which employer did ${y.name} interview with?`,
    ev: [],
    a: `${y.name} never mentions a job interview`,
  }),
};

type Move = typeof CITIES[number];
export const move: EventKind<Move> = {
  name: "move",
  steps: 2,
  gap: 1,
  params: (r, taken) => fresh(r, CITIES, taken, (c) => `city:${c.city}`),
  scene(step, s, { r, x, y }, p, ids) {
    if (step === 0) {
      ids.lease = s.say(x, `We got the flat in ${p.city}!! Signed the lease this morning`);
      s.say(y, r.pick(["AHH finally. Which part of town?", "Yesss. Where is it?"]));
      ids.where = s.say(
        x,
        r.chance(0.5)
          ? `${p.hood}, about five minutes from ${p.landmark}.`
          : `The flat's in ${p.hood}, right by ${p.landmark}`,
      );
      s.say(y, "That's such a good spot");
    } else {
      ids.unpack = s.say(
        x,
        r.pick([
          `Still living out of boxes here in ${p.city}. The kitchen is tiny but the light in the mornings is gorgeous`,
          `Unpacking update from ${p.hood}: the kitchen is the size of a cupboard, but that morning light though`,
        ]),
      );
      s.say(y, r.pick(["Light beats counter space any day", "Small kitchens build character"]));
    }
  },
  questions: ({ r, x }, p, d) => [
    {
      kind: "single_hop",
      q: r.pick([
        `Which neighbourhood is ${x.name}'s new apartment in?`,
        `Which part of town is ${x.name}'s new flat in?`,
      ]),
      ev: ["where"],
      a: p.hood,
    },
    {
      kind: "temporal",
      q: r.pick([
        `When did ${x.name} secure ${x.their} new home?`,
        `When did ${x.name} sign the lease on the flat?`,
      ]),
      ev: ["lease"],
      a: dayOf(d[0]),
    },
    {
      kind: "multi_hop",
      q: `What does ${x.name} think of the kitchen in ${x.their} ${p.city} place?`,
      ev: ["lease", "unpack"],
      a: "tiny, but with gorgeous morning light",
    },
  ],
  absent: ({ y }, p) => ({
    kind: "adversarial",
    q: `Which district of ${p.city} did ${y.name} move into?`,
    ev: [],
    a: `${y.name} never mentions moving`,
  }),
};

type Hobby = typeof HOBBIES[number];
export const hobby: EventKind<Hobby> = {
  name: "hobby",
  steps: 3,
  gap: 2,
  params: (r, taken) => fresh(r, HOBBIES, taken, (h) => `hobby:${h.class}`),
  scene(step, s, { r, x, y }, p, ids) {
    if (step === 0) {
      ids.start = s.say(x, `I finally signed up for ${p.class}, Tuesday evenings`);
      s.say(y, "Ooh what brought that on?");
      s.say(x, "Needed something that isn't a screen, honestly");
    } else if (step === 1) {
      s.say(y, r.pick(["How are the Tuesday nights going?", "How's the new Tuesday thing going?"]));
      ids.progress = s.say(
        x,
        `Slowly! The teacher says I'm finally getting the hang of ${p.skill} though`,
      );
    } else {
      ids.first = s.say(
        x,
        r.pick([
          `Had my first ${p.first} last night, my hands were shaking the whole time`,
          `So the ${p.first} happened. My first one ever! I didn't completely embarrass myself`,
        ]),
      );
      s.say(y, r.pick(["You absolute legend", "I'm so proud of you!!"]));
    }
  },
  questions: ({ r, x }, p, d) => [
    {
      kind: "single_hop",
      q: r.pick([
        `What ${p.q} has ${x.name} taken up?`,
        `What did ${x.name} sign up for on Tuesday evenings?`,
      ]),
      ev: ["start"],
      a: p.class,
    },
    {
      kind: "temporal",
      q: `When was ${x.name}'s first ${p.first}?`,
      ev: ["first"],
      a: dayOf(d[2]),
    },
    {
      kind: "multi_hop",
      q: `How has ${x.name}'s ${p.q} hobby developed since ${x.they} started it?`,
      ev: ["start", "progress", "first"],
      a: `getting the hang of ${p.skill}, then a first ${p.first}`,
    },
  ],
  absent: ({ y }, p) => ({
    kind: "adversarial",
    q: `What ${p.q} lessons is ${y.name} taking?`,
    ev: [],
    a: `${y.name} never mentions lessons`,
  }),
};

type Trip = typeof TRIPS[number];
export const trip: EventKind<Trip> = {
  name: "trip",
  steps: 2,
  gap: 1,
  params: (r, taken) => fresh(r, TRIPS, taken, (t) => `trip:${t.place}`),
  scene(step, s, { r, x, y }, p, ids) {
    if (step === 0) {
      ids.book = s.say(
        x,
        r.pick([
          `Booked flights to ${p.place}!`,
          `It's official, we're going to ${p.place} next month`,
        ]),
      );
      s.say(
        y,
        r.pick(["So jealous. What's the plan?", "Finally a holiday! What are you going to do?"]),
      );
      ids.plan = s.say(x, `Mostly ${p.doing}, and eating my body weight in ${p.food}`);
    } else {
      ids.back = s.say(x, `Back from ${p.place}. Amazing, although ${p.mishap}`);
      s.say(y, `Noo. But was the ${p.food} worth it?`);
      s.say(x, "Every single bite");
    }
  },
  questions: ({ r, x }, p, d) => [
    {
      kind: "single_hop",
      q: r.pick([`Where did ${x.name} go on holiday?`, `Where did ${x.name} book flights to?`]),
      ev: ["book"],
      a: p.place,
    },
    {
      kind: "temporal",
      q: r.pick([
        `When did ${x.name} return from ${x.their} vacation?`,
        `When did ${x.name} get back from ${p.place}?`,
      ]),
      ev: ["back"],
      a: dayOf(d[1]),
    },
    {
      kind: "multi_hop",
      q: `What was ${x.name} looking forward to doing abroad, and what went wrong on the trip?`,
      ev: ["plan", "back"],
      a: `${p.doing}; ${p.mishap}`,
    },
  ],
  absent: ({ y }) => ({
    kind: "adversarial",
    q: `Where did ${y.name} fly to on vacation?`,
    ev: [],
    a: `${y.name} never mentions a trip`,
  }),
};

type Relative = { rel: typeof RELATIONS[number]; name: string; news: typeof MILESTONES[number] };
export const relative: EventKind<Relative> = {
  name: "relative",
  steps: 2,
  gap: 3,
  params: (r, taken) => ({
    rel: fresh(r, RELATIONS, taken, (x) => `rel:${x.word}`),
    name: fresh(r, OTHERS, taken, (n) => `other:${n}`),
    news: fresh(r, MILESTONES, taken, (m) => `news:${m.text}`),
  }),
  scene(step, s, { r, x, y }, p, ids) {
    if (step === 0) {
      ids.intro = s.say(
        x,
        r.pick([
          `My ${p.rel.word} ${p.name} is staying with us this weekend`,
          `${p.name} is visiting on Saturday, my ${p.rel.word}. You'd like them`,
        ]),
      );
      s.say(y, r.pick([`Oh fun! Say hi to ${p.name} from me`, "Lovely, have a great time"]));
    } else {
      ids.news = s.say(x, `Big news: ${p.name} ${p.news.text}!`);
      s.say(y, r.pick(["No way, that's brilliant", "Tell them congratulations from me!"]));
    }
  },
  questions: ({ x }, p) => [
    {
      kind: "multi_hop",
      q: `${cap(p.news.q.replace("{rel}", `${x.name}'s ${p.rel.syn}`))}?`,
      ev: ["intro", "news"],
      a: p.news.text,
    },
    {
      kind: "single_hop",
      q: `How is ${p.name} related to ${x.name}?`,
      ev: ["intro"],
      a: p.rel.word,
    },
  ],
  absent: ({ y }, p) => ({
    kind: "adversarial",
    q: `${cap(p.news.q.replace("{rel}", `${y.name}'s ${p.rel.syn}`))}?`,
    ev: [],
    a: `${y.name} never talks about a ${p.rel.word}`,
  }),
};
