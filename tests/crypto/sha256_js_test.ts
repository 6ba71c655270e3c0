/**
 * The JavaScript SHA-256 (lib/crypto/sha256.ts) that `sha256Hex` and key ids use while Node's
 * crypto is not loaded: FIPS 180-2 / NIST example vectors (checked with coreutils `sha256sum`),
 * and Node's digests for every length across the padding edges (one and two blocks).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha256Sync } from "../../lib/crypto/sha256.ts";
import { kidOf, sha256Hex, toHex } from "../../lib/crypto/mod.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

const VECTORS: [string, string][] = [
  ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  [
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  ],
  [
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
  ],
  ["a".repeat(1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"],
];

Deno.test("sha256 (JavaScript): the FIPS 180-2 example vectors", () => {
  for (const [text, hex] of VECTORS) {
    assert.equal(toHex(sha256Sync(utf8(text))), hex, `${text.length} bytes`);
  }
});

Deno.test("sha256 (JavaScript): Node's digest for every length 0..200 and around 4 KiB", () => {
  const bytes = crypto.getRandomValues(new Uint8Array(4200));
  const lengths = [...Array(201).keys(), 4095, 4096, 4097, 4200];
  for (const n of lengths) {
    const b = bytes.subarray(0, n);
    assert.equal(toHex(sha256Sync(b)), createHash("sha256").update(b).digest("hex"), `${n} bytes`);
  }
});

Deno.test("sha256Hex and kidOf: the same value for short and long input, text and bytes", () => {
  const long = "ünïcödé ".repeat(700); // over 4 KiB of UTF-8: hashed by Node's crypto
  for (const text of ["abc", "ü".repeat(2047), "ü".repeat(2048), long]) {
    const want = createHash("sha256").update(text, "utf8").digest("hex");
    assert.equal(sha256Hex(text), want, `${text.length} chars`);
    assert.equal(sha256Hex(utf8(text)), want, `${text.length} chars as bytes`);
  }
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  assert.equal(kidOf(key), "630dcd2966c4", "sha256sum of bytes 0..31, first 12 hex digits");
});
