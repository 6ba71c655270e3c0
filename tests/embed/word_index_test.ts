import assert from "node:assert/strict";
import { decodeAsset, decodeSections } from "../../lib/embed/asset.ts";
import { WordIndex } from "../../lib/embed/word_index.ts";

const block = (words: string[]) => new TextEncoder().encode(words.join("\n"));

for (const wasm of [true, false]) {
  const how = wasm ? "WebAssembly" : "JS";
  Deno.test(`WordIndex (${how}): exact words by id and back, UTF-8 included; misses are undefined`, () => {
    const idx = WordIndex.build(block(["the", "of", "café", "naïve", "a"]), 5, { wasm });
    assert.equal(idx.size, 5);
    assert.equal(idx.get("the"), 0);
    assert.equal(idx.get("café"), 2);
    assert.equal(idx.get("naïve"), 3);
    assert.equal(idx.get("a"), 4);
    for (const miss of ["caf", "cafe", "th", "thee", "", "of\nthe", "The"]) {
      assert.equal(idx.get(miss), undefined, miss);
    }
    assert.equal(idx.word(2), "café");
    assert.ok(idx.is(3, "naïve") && !idx.is(3, "naive") && !idx.is(9, "the"));
  });

  Deno.test(`WordIndex (${how}): a repeated word answers its last id (as Map.set would); wrong counts throw`, () => {
    assert.equal(WordIndex.build(block(["x", "y", "x"]), 3, { wasm }).get("x"), 2);
    assert.throws(() => WordIndex.build(block(["x", "y"]), 3, { wasm }), /2 words, expected 3/);
    assert.throws(
      () => WordIndex.build(block(["x", "y", "z"]), 2, { wasm }),
      /more than 2 words/,
    );
    // An empty last word, and an empty block (one empty word).
    assert.equal(WordIndex.build(block(["x", ""]), 2, { wasm }).get(""), 1);
    assert.equal(WordIndex.build(new Uint8Array(0), 1, { wasm }).get(""), 0);
  });
}

Deno.test("WordIndex: on the shipped table, every word maps to its position", async () => {
  const bytes = await Deno.readFile(
    new URL("../../lib/embed/assets/glove50k.i8.bin", import.meta.url),
  );
  const { words } = decodeAsset(bytes); // the plain split is the oracle
  const idx = WordIndex.build(decodeSections(bytes).wordBlock, words.length);
  words.forEach((w, i) => assert.equal(idx.get(w), i, w));
  assert.equal(idx.get("definitelynotawordzz"), undefined);
  // The WebAssembly pass (the default) and the JS one build the same table, slot for slot.
  const js = WordIndex.build(decodeSections(bytes).wordBlock, words.length, { wasm: false });
  assert.deepEqual(idx.layout.starts, js.layout.starts);
  assert.deepEqual(idx.layout.slots, js.layout.slots);
});
