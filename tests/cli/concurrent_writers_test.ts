/**
 * End to end: several CLI processes writing the same home at once lose nothing and leave a
 * healthy database (WAL + IMMEDIATE transactions + busy_timeout).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { cli, type Json, okJson, show, withHome } from "./_helpers.ts";

const IMPORTERS = 4;
const PER_IMPORT = 150;
const STORERS = 2;
const PER_STORER = 20;

const WORDS = (
  "anchor bamboo cactus dolphin ember falcon glacier harbor igloo jasmine kettle lantern " +
  "meadow nectar orchid pepper quartz radish saddle tundra umbrella velvet walnut xylophone " +
  "yogurt zephyr acorn blizzard canyon drizzle eclipse fjord geyser hammock iceberg jungle " +
  "kayak lagoon mango nutmeg oyster pelican quiver raccoon sapphire tornado unicorn volcano " +
  "willow yarrow zucchini apricot beacon cobalt dune elm fern gravel hazel ivy juniper kelp " +
  "lichen maple nickel opal pebble quince reef sorrel thistle umber vinegar wasabi yeast " +
  "abacus bugle cymbal drum flute gong harp kazoo lute mandolin oboe piano sitar tuba viola"
).split(" ");

/** A deterministic, distinct, mostly-random sentence per (writer, item). */
function sentence(writer: string, item: number): string {
  let seed = 0;
  for (const ch of `${writer}:${item}`) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  const pick = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    return WORDS[seed % WORDS.length];
  };
  const words = Array.from({ length: 9 }, pick).join(" ");
  return `Note ${writer}-${item}: ${words}.`;
}

Deno.test("cli concurrency: 4 importers and 2 one-by-one storers at once lose no memory; integrity ok", async () => {
  await withHome(async (home) => {
    // Create the home first so the writers race on the database, not on first-run setup.
    okJson(await cli(home, "status", "--json"));

    const expected = new Set<string>();
    const files: string[] = [];
    for (let w = 0; w < IMPORTERS; w++) {
      const lines: string[] = [];
      for (let i = 0; i < PER_IMPORT; i++) {
        const content = sentence(`imp${w}`, i);
        expected.add(content);
        lines.push(JSON.stringify({ content, tags: [`w${w}`], metadata: { w, i } }));
      }
      const file = `${home}/batch-${w}.jsonl`;
      await Deno.writeTextFile(file, lines.join("\n") + "\n");
      files.push(file);
    }
    const storerContents = Array.from(
      { length: STORERS },
      (_, s) => Array.from({ length: PER_STORER }, (_, i) => sentence(`st${s}`, i)),
    );
    for (const list of storerContents) for (const c of list) expected.add(c);
    assert.equal(expected.size, IMPORTERS * PER_IMPORT + STORERS * PER_STORER, "contents distinct");

    const importers = files.map((f) =>
      cli(home, "import", "--namespace", "shared", "--file", f, "--json")
    );
    const storers = storerContents.map(async (list) => {
      const results = [];
      for (const c of list) results.push(await cli(home, "store", "-n", "shared", "--json", c));
      return results;
    });
    const [imports, stores] = await Promise.all([
      Promise.all(importers),
      Promise.all(storers),
    ]);
    for (const r of imports) {
      const j = okJson(r);
      assert.equal(j.created, PER_IMPORT, show(r));
      assert.deepEqual(j.failed, []);
      assert.equal(new Set(j.ids).size, PER_IMPORT);
    }
    for (const r of stores.flat()) assert.equal(okJson(r).outcome, "created", show(r));

    const list = okJson(await cli(home, "list", "-n", "shared", "--json", "--limit", "10000"));
    assert.equal(list.total, expected.size);
    assert.equal(list.memories.length, expected.size);
    const got = new Set<string>(list.memories.map((m: Json) => m.content));
    const missing = [...expected].filter((c) => !got.has(c));
    assert.deepEqual(missing, [], "no memory lost");
    assert.equal(new Set(list.memories.map((m: Json) => m.id)).size, expected.size, "ids unique");
    const st = okJson(await cli(home, "status", "--json"));
    assert.equal(st.total_memories, expected.size);
    assert.equal(st.vector_index_size, expected.size);
    assert.equal(st.needs_reembed, 0);

    // A few of them are findable by their own words.
    const probe = [sentence("imp3", 149), sentence("st1", 19)];
    for (const c of probe) {
      const rec = okJson(await cli(home, "recall", "-n", "shared", "--json", "--limit", "3", c));
      assert.equal(rec.memories[0].content, c);
    }

    const db = new DatabaseSync(`${home}/memoryoss.db`);
    try {
      const rows = db.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[];
      assert.deepEqual(rows.map((r) => r.integrity_check), ["ok"]);
      // The FTS index agrees with the memories table (throws when it does not).
      db.exec("INSERT INTO memories_fts(memories_fts) VALUES('integrity-check')");
      const n = db.prepare("SELECT count(*) AS n FROM memories WHERE namespace = 'shared'")
        .get() as {
          n: number;
        };
      assert.equal(n.n, expected.size);
    } finally {
      db.close();
    }
  });
});
