/** Helpers for tests that run remember/drain in child processes against a temp home. */
import { loadConfig } from "../../lib/config/mod.ts";
import { Store } from "../../lib/store/mod.ts";
import { enqueueRemember } from "../../lib/memory/remember.ts";

/** The entry script that runs the remember/drain commands. */
export const ENTRY = new URL("./_entry.ts", import.meta.url).pathname;

const WORDS = (
  "anchor bamboo cactus dolphin ember falcon glacier harbor igloo jasmine kettle lantern " +
  "meadow nectar orchid pepper quartz radish saddle tundra umbrella velvet walnut xylophone " +
  "yogurt zephyr acorn blizzard canyon drizzle eclipse fjord geyser hammock iceberg jungle " +
  "kayak lagoon mango nutmeg oyster pelican quiver raccoon sapphire tornado unicorn volcano " +
  "willow yarrow zucchini apricot beacon cobalt dune elm fern gravel hazel ivy juniper kelp"
).split(" ");

/** A deterministic PRNG in [0, 1) (mulberry32), so failures can be replayed from the seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A distinct, unrelated sentence per item (reconciles as ADD against the others). */
export function sentence(run: number, item: number): string {
  const r = prng(run * 100_003 + item);
  // Compound words (60² of them) keep any two sentences from sharing a subject by chance.
  const pick = () => WORDS[Math.floor(r() * WORDS.length)];
  const words = Array.from({ length: 8 }, () => pick() + pick());
  return `Note r${run}-i${item}: ${words.join(" ")}.`;
}

/** Create a home and queue `contents` there; returns the database path. */
export async function homeWithQueue(home: string, contents: string[]): Promise<string> {
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  const store = Store.open(loaded.dbPath);
  try {
    store.transaction(() => {
      for (const content of contents) enqueueRemember(store, loaded.config, { content });
    });
  } finally {
    store.close();
  }
  return loaded.dbPath;
}

/** Spawn `_entry.ts NAME ARGS…` with MEMORYOSS_HOME=home. */
export function spawnCmd(
  home: string,
  args: string[],
  io: "piped" | "null" = "piped",
  env: Record<string, string> = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", ENTRY, ...args],
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: io,
    stderr: io,
  }).spawn();
}
