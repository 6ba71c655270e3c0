/**
 * The word table as `loadVocab` reads it (int8 vectors block by block, on demand) holds exactly
 * the values of the whole asset file decoded at once.
 */
import assert from "node:assert/strict";
import { indexTable, loadVocab } from "../../lib/embed/vocab.ts";

Deno.test("vocab: rows read on demand equal the whole file's, and bulk use reads the rest", async () => {
  const whole = indexTable(
    await Deno.readFile(new URL("../../lib/embed/assets/glove50k.i8.bin", import.meta.url)),
  );
  const lazy = await loadVocab();
  const { dim, count } = whole.table;
  assert.equal(lazy.table.count, count);
  assert.deepEqual(lazy.table.mean, whole.table.mean);
  assert.deepEqual(lazy.table.pcs, whole.table.pcs);
  assert.deepEqual(lazy.table.scales, whole.table.scales);
  assert.deepEqual(lazy.table.bloom, whole.table.bloom);
  for (const w of ["the", "deploy", "pipeline", "zebra"]) {
    assert.equal(lazy.index.get(w), whole.index.get(w), w);
  }
  const row = (v: typeof whole, id: number) => v.table.vectors.subarray(id * dim, (id + 1) * dim);
  // A few words (first, middle and last rows of the table): their rows only.
  const few = [0, 1, 4999, count - 1];
  lazy.need(few);
  for (const id of few) assert.deepEqual(row(lazy, id), row(whole, id), `row ${id}`);
  // Many words: the whole table is there afterwards.
  lazy.need(Array.from({ length: count }, (_, i) => i).filter((i) => i % 97 === 0));
  assert.deepEqual(lazy.table.vectors, whole.table.vectors);
});
