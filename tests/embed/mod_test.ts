import assert from "node:assert/strict";
import { cosine, createEmbedder, type EmbedderConfig } from "../../lib/embed/mod.ts";
import { decodeAsset, encodeAsset, type WordTable } from "../../lib/embed/asset.ts";
import { bloomAdd, bloomHas } from "../../lib/embed/bloom.ts";
import { l2normalize } from "../../lib/embed/vector.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";

Deno.test("createEmbedder: builtin rejects a conflicting dim; unknown providers fail", async () => {
  const e = await createEmbedder({ provider: "builtin", dim: 356 });
  assert.equal(e.dim, 356);
  const bad: EmbedderConfig[] = [
    { provider: "builtin", dim: 384 },
    { provider: "magic" as "builtin" },
  ];
  for (const cfg of bad) {
    await assert.rejects(createEmbedder(cfg), (err: unknown) => {
      assert.ok(err instanceof MemoryossError);
      assert.equal(err.code, "INVALID_CONFIG");
      return true;
    });
  }
});

Deno.test("cosine and l2normalize", () => {
  const v = new Float32Array([3, 4, 0, 0, 0]);
  assert.equal(l2normalize(v), true);
  assert.ok(Math.abs(cosine(v, new Float32Array([0.6, 0.8, 0, 0, 0])) - 1) < 1e-6);
  assert.ok(Math.abs(cosine(v, new Float32Array([0, 0, 0, 0, 1]))) < 1e-9);
  assert.equal(l2normalize(new Float32Array(3)), false);
  assert.equal(l2normalize(new Float32Array([NaN, 1])), false);
});

function tinyTable(): WordTable {
  const bloom = new Uint8Array(16);
  bloomAdd(bloom, 3, "rareword");
  return {
    words: ["the", "cat", "naïve"],
    dim: 2,
    ranked: 2,
    mean: new Float32Array([0.5, -0.5]),
    pcs: [new Float32Array([1, 0])],
    scales: new Float32Array([0.1, 0.2, 0.3]),
    vectors: new Int8Array([1, -1, 127, -128, 0, 5]),
    bloom,
    bloomK: 3,
  };
}

Deno.test("asset: encode/decode round trip", () => {
  const t = tinyTable();
  const back = decodeAsset(encodeAsset(t));
  assert.deepEqual(back.words, t.words);
  assert.equal(back.dim, 2);
  assert.equal(back.ranked, 2);
  assert.deepEqual(back.mean, t.mean);
  assert.deepEqual(back.pcs, t.pcs);
  assert.deepEqual(back.scales, t.scales);
  assert.deepEqual(Array.from(back.vectors), Array.from(t.vectors));
  assert.ok(bloomHas(back.bloom, back.bloomK, "rareword"));
});

Deno.test("asset: corrupt files are refused", () => {
  const bytes = encodeAsset(tinyTable());
  assert.throws(() => decodeAsset(bytes.subarray(0, bytes.length - 1)), /header says/);
  const wrongMagic = bytes.slice();
  wrongMagic[0] = 0;
  assert.throws(() => decodeAsset(wrongMagic), /not a word-vector asset/);
  const wrongVersion = bytes.slice();
  wrongVersion[4] = 9;
  assert.throws(() => decodeAsset(wrongVersion), /unsupported asset version 9/);
});

Deno.test("asset: the shipped file is a valid table within budget", async () => {
  const url = new URL("../../lib/embed/assets/glove50k.i8.bin", import.meta.url);
  const bytes = await Deno.readFile(url);
  assert.ok(bytes.length <= 6_000_000, `asset is ${bytes.length} bytes`);
  const t = decodeAsset(bytes);
  assert.equal(t.dim, 100);
  assert.ok(t.words.length >= 50_000);
  assert.equal(t.words[0], "the");
  assert.ok(t.words.includes("receiver") && t.words.includes("postgresql"));
  assert.ok(bloomHas(t.bloom, t.bloomK, "linter"), "rare real words are in the filter");
});

Deno.test("bloom: no false negatives; few false positives", () => {
  const bits = new Uint8Array(1000);
  const words = Array.from({ length: 1000 }, (_, i) => `word${i}`);
  for (const w of words) bloomAdd(bits, 5, w);
  assert.ok(words.every((w) => bloomHas(bits, 5, w)));
  let fp = 0;
  for (let i = 0; i < 10000; i++) if (bloomHas(bits, 5, `other${i}`)) fp++;
  assert.ok(fp < 500, `${fp} false positives in 10000`);
});
