/**
 * Word pools for the synthetic conversations (scripts/conv_eval/generate.ts) and the seeded
 * random source that picks from them. Names are drawn without replacement across the whole
 * corpus, so a question naming a person is about one conversation only.
 */

/** Mulberry32: a small seeded PRNG, so the corpus is the same on every machine. */
export function rng(seed: number): Rand {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
    shuffle: (xs) => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
}

/** The random source every generator step takes. */
export interface Rand {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(xs: readonly T[]): T[];
}

/** A person: the name and the pronouns questions use. */
export interface Person {
  name: string;
  they: string;
  them: string;
  their: string;
}

const she = (name: string): Person => ({ name, they: "she", them: "her", their: "her" });
const he = (name: string): Person => ({ name, they: "he", them: "him", their: "his" });

/** Speakers; 12 conversations take 3 each. */
export const PEOPLE: readonly Person[] = [
  she("Maya"),
  he("Jonas"),
  she("Priya"),
  he("Tomasz"),
  she("Ingrid"),
  he("Kofi"),
  she("Lucia"),
  he("Dmitri"),
  she("Aisha"),
  he("Mateo"),
  she("Hannah"),
  he("Rafael"),
  she("Yuki"),
  he("Oliver"),
  she("Noor"),
  he("Emeka"),
  she("Sofia"),
  he("Callum"),
  she("Leila"),
  he("Henrik"),
  she("Camille"),
  he("Arjun"),
  she("Freya"),
  he("Bruno"),
  she("Zara"),
  he("Felix"),
  she("Mei"),
  he("Gareth"),
  she("Tamsin"),
  he("Idris"),
  she("Ruth"),
  he("Soren"),
  she("Beatriz"),
  he("Kwame"),
  she("Elif"),
  he("Luca"),
];

/** Relatives and friends talked about (never speakers). */
export const OTHERS = [
  "Lena",
  "Marcus",
  "Greta",
  "Sami",
  "Olu",
  "Brigid",
  "Teo",
  "Annika",
  "Ravi",
  "Celeste",
  "Dov",
  "Hugo",
  "Ines",
  "Pavel",
  "Nadia",
  "Wren",
  "Ezra",
  "Marta",
  "Kit",
  "Rosa",
  "Anton",
  "Saoirse",
  "Jun",
  "Vera",
];

export const RELATIONS = [
  { word: "sister", syn: "sibling" },
  { word: "brother", syn: "sibling" },
  { word: "cousin", syn: "relative" },
  { word: "best friend from school", syn: "oldest friend" },
  { word: "flatmate", syn: "roommate" },
  { word: "niece", syn: "relative" },
];

/** What a relative got into; `q` is how a question refers to it. */
export const MILESTONES = [
  { text: "got into the paramedic training programme", q: "what training did {rel} start" },
  { text: "passed the bar exam on the second try", q: "what exam did {rel} pass" },
  { text: "is opening a tiny bakery on Quay Street", q: "what business is {rel} starting" },
  { text: "landed a spot on the national rowing squad", q: "which sports team did {rel} join" },
  { text: "got a scholarship for a marine biology masters", q: "what is {rel} going to study" },
  { text: "is moving to Reykjavik for a geology job", q: "where is {rel} relocating for work" },
];

export const CITIES = [
  { city: "Lisbon", hood: "Alfama", landmark: "the tram stop" },
  { city: "Porto", hood: "Bonfim", landmark: "the old market" },
  { city: "Leeds", hood: "Headingley", landmark: "the cricket ground" },
  { city: "Lyon", hood: "Croix-Rousse", landmark: "the silk museum" },
  { city: "Utrecht", hood: "Lombok", landmark: "the canal" },
  { city: "Glasgow", hood: "Partick", landmark: "the riverside museum" },
  { city: "Valencia", hood: "Ruzafa", landmark: "the covered market" },
  { city: "Gothenburg", hood: "Majorna", landmark: "the harbour cranes" },
  { city: "Bristol", hood: "Bedminster", landmark: "the harbourside" },
  { city: "Krakow", hood: "Kazimierz", landmark: "the synagogue square" },
  { city: "Montreal", hood: "Verdun", landmark: "the river path" },
  { city: "Ghent", hood: "Patershol", landmark: "the castle" },
];

export const PETS = [
  { kind: "dog", young: "puppy", breed: "beagle", vibe: "howls at the postman" },
  { kind: "dog", young: "puppy", breed: "corgi", vibe: "steals socks" },
  { kind: "dog", young: "puppy", breed: "greyhound", vibe: "sleeps twenty hours a day" },
  { kind: "dog", young: "puppy", breed: "border collie", vibe: "herds the kids" },
  { kind: "cat", young: "kitten", breed: "tabby", vibe: "knocks glasses off the table" },
  { kind: "cat", young: "kitten", breed: "Maine Coon", vibe: "is already huge" },
  { kind: "cat", young: "kitten", breed: "Siamese", vibe: "yells for breakfast at 5am" },
  { kind: "rabbit", young: "bunny", breed: "lop-eared", vibe: "chews every cable" },
];

export const PET_NAMES = [
  "Pepper",
  "Biscuit",
  "Mochi",
  "Juniper",
  "Waffles",
  "Pickle",
  "Olive",
  "Turnip",
  "Clementine",
  "Noodle",
  "Basil",
  "Fig",
  "Dumpling",
  "Ziggy",
];

export const JOBS = [
  { company: "Harbour Freight Logistics", role: "route planner", duty: "working out truck routes" },
  { company: "Northwind Clinics", role: "practice manager", duty: "wrangling rotas for nurses" },
  { company: "Bramble Games", role: "level designer", duty: "building puzzle rooms" },
  { company: "Cobalt Energy", role: "field technician", duty: "fixing wind turbine sensors" },
  { company: "the city library", role: "archivist", duty: "digitising old maps" },
  { company: "Fennel & Co", role: "head chef", duty: "rewriting the whole menu" },
  { company: "Tidewater School", role: "maths teacher", duty: "teaching fourteen-year-olds" },
  { company: "Quill Publishing", role: "copy editor", duty: "fixing other people's commas" },
  { company: "Larch Architects", role: "junior architect", duty: "drawing staircases" },
  { company: "Aster Biotech", role: "lab technician", duty: "running enzyme assays" },
  { company: "Summit Outdoor", role: "store manager", duty: "ordering climbing gear" },
  { company: "Riverbank Vets", role: "veterinary nurse", duty: "holding very nervous cats" },
];

/** A hobby: how it is named in a turn (`class`) and in a question (`q`). */
export const HOBBIES = [
  { class: "cello lessons", q: "instrument", thing: "cello", first: "recital", skill: "bowing" },
  { class: "pottery classes", q: "craft", thing: "wheel", first: "exhibition", skill: "centring" },
  {
    class: "a bouldering course",
    q: "climbing",
    thing: "wall",
    first: "competition",
    skill: "footwork",
  },
  {
    class: "Italian evening classes",
    q: "language",
    thing: "grammar",
    first: "oral exam",
    skill: "accent",
  },
  { class: "salsa lessons", q: "dance", thing: "floor", first: "social", skill: "spins" },
  {
    class: "a life drawing group",
    q: "art",
    thing: "charcoal",
    first: "show",
    skill: "proportions",
  },
  {
    class: "a beginners' sailing course",
    q: "boating",
    thing: "dinghy",
    first: "regatta",
    skill: "tacking",
  },
  {
    class: "jiu-jitsu at the community gym",
    q: "martial art",
    thing: "mat",
    first: "grading",
    skill: "guard",
  },
];

export const TRIPS = [
  {
    place: "Sicily",
    doing: "hiking up Etna",
    food: "arancini",
    mishap: "the wind took my sunglasses on the crater rim",
  },
  { place: "Hokkaido", doing: "skiing", food: "ramen", mishap: "I fell asleep on the wrong train" },
  {
    place: "the Faroe Islands",
    doing: "puffin watching",
    food: "fermented lamb",
    mishap: "the ferry got cancelled",
  },
  {
    place: "Oaxaca",
    doing: "the mezcal tours",
    food: "mole",
    mishap: "I got food poisoning on day two",
  },
  {
    place: "the Dolomites",
    doing: "via ferrata routes",
    food: "dumplings",
    mishap: "a thunderstorm trapped us in a hut",
  },
  {
    place: "Marrakech",
    doing: "wandering the souks",
    food: "tagine",
    mishap: "I somehow bought a rug I did not want",
  },
  {
    place: "Crete",
    doing: "snorkelling",
    food: "grilled octopus",
    mishap: "I got sunburnt on the first afternoon",
  },
  {
    place: "Vancouver Island",
    doing: "whale watching",
    food: "salmon",
    mishap: "the car rental lost our booking",
  },
];

export const ITEMS = [
  { item: "car", syn: "vehicle", colours: ["forest green", "mustard yellow"] },
  { item: "bike", syn: "bicycle", colours: ["teal", "burnt orange"] },
  { item: "sofa", syn: "couch", colours: ["navy velvet", "rust"] },
  { item: "kayak", syn: "boat", colours: ["lime", "bright red"] },
  { item: "coat", syn: "jacket", colours: ["camel", "plum"] },
  { item: "kitchen tiles", syn: "tiling", colours: ["sage", "terracotta"] },
];

export const BOOKS = [
  { title: "The Salt Path", author: "Raynor Winn" },
  { title: "Piranesi", author: "Susanna Clarke" },
  { title: "Project Hail Mary", author: "Andy Weir" },
  { title: "The Overstory", author: "Richard Powers" },
  { title: "A Gentleman in Moscow", author: "Amor Towles" },
  { title: "Klara and the Sun", author: "Kazuo Ishiguro" },
  { title: "The Remains of the Day", author: "Kazuo Ishiguro" },
  { title: "Station Eleven", author: "Emily St. John Mandel" },
  { title: "Circe", author: "Madeline Miller" },
  { title: "The Hobbit", author: "J.R.R. Tolkien" },
];

export const BANDS = [
  { band: "Fontaines D.C.", venue: "the Roundhouse" },
  { band: "Khruangbin", venue: "the Barrowland" },
  { band: "Wet Leg", venue: "the Academy" },
  { band: "Big Thief", venue: "the Albert Hall" },
  { band: "Arooj Aftab", venue: "the Jazz Cafe" },
  { band: "Idles", venue: "the Forum" },
  { band: "Caribou", venue: "the Warehouse" },
  { band: "Sault", venue: "the Apollo" },
];

export const SPORTS = [
  "five-a-side football",
  "netball",
  "squash",
  "ultimate frisbee",
  "basketball",
];

export const PROJECTS = [
  { thing: "treehouse", parts: ["platform", "roof", "rope ladder"], syn: "building for the kids" },
  { thing: "campervan conversion", parts: ["insulation", "bed frame", "solar panel"], syn: "van" },
  {
    thing: "bird-spotting app",
    parts: ["photo upload", "map view", "offline mode"],
    syn: "phone app",
  },
  { thing: "fantasy novel", parts: ["first draft", "second act", "ending"], syn: "book" },
  {
    thing: "vegetable allotment",
    parts: ["raised beds", "greenhouse", "compost bins"],
    syn: "garden plot",
  },
  { thing: "restored motorbike", parts: ["engine", "wiring", "paint job"], syn: "motorcycle" },
];

/** Diet and habit changes: the old and new states, and what made it change. */
export const CHANGES = [
  {
    topic: "diet",
    before: "I've gone fully vegetarian, no meat or fish since New Year",
    after: "confession: I'm eating fish again, the doctor said my iron was really low",
    qNow: "Does {X} eat seafood these days?",
    qBefore: "What diet was {X} following before the blood test results?",
    why: "Why did {X} give up being vegetarian?",
  },
  {
    topic: "commute",
    before: "I drive to work every day, the bus takes forever from my place",
    after: "sold the car! cycling to the office now, it's only twenty minutes",
    qNow: "How does {X} get to the office at the moment?",
    qBefore: "How did {X} used to commute?",
    why: "What did {X} do with the car?",
  },
  {
    topic: "coffee",
    before: "three espressos a day minimum, I'm basically powered by coffee",
    after: "I've switched to green tea, the espresso was wrecking my sleep",
    qNow: "What does {X} drink in the mornings now?",
    qBefore: "How much caffeine did {X} used to have?",
    why: "Why did {X} cut out coffee?",
  },
  {
    topic: "exercise",
    before: "I run every morning along the river, it's my therapy",
    after: "I've swapped running for swimming, my knees were complaining",
    qNow: "What is {X}'s main form of exercise currently?",
    qBefore: "What exercise did {X} do originally?",
    why: "What made {X} stop running?",
  },
];

export const SHOWS = [
  "Severance",
  "The Bear",
  "Slow Horses",
  "Bake Off",
  "Shogun",
  "Taskmaster",
  "Only Murders",
  "Blue Planet",
];
export const FOODS = ["ramen", "tacos", "dal", "pho", "pizza", "curry", "dumplings", "paella"];
export const WEEKEND = [
  "cleaning the flat",
  "a long walk",
  "my nephew's birthday party",
  "doing absolutely nothing",
  "the farmers market",
  "repainting the hallway",
  "a pub quiz",
  "helping a friend move",
];
