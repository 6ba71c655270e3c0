/** The shared byte helpers against published values (FIPS 180-2 test vector, RFC 4648 hex). */
import assert from "node:assert/strict";
import { constantTimeEqual, fromHex, sha256, sha256Hex, toHex } from "../../lib/crypto/mod.ts";

const ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2 B.1

Deno.test("hex: lowercase out, either case in, null for what is not whole bytes of hex", () => {
  assert.equal(toHex(new Uint8Array([0x00, 0x0f, 0xab, 0xff])), "000fabff");
  assert.equal(
    toHex(new Uint8Array([1, 2, 3, 4]).subarray(1, 3)),
    "0203",
    "a view, not its buffer",
  );
  assert.equal(toHex(new Uint8Array([7]).buffer), "07");
  assert.deepEqual(fromHex("000FabfF"), new Uint8Array([0x00, 0x0f, 0xab, 0xff]));
  assert.deepEqual(fromHex(""), new Uint8Array());
  for (const bad of ["0", "0g", "zz", " 00", "0x00"]) assert.equal(fromHex(bad), null, bad);
});

Deno.test('sha256: the FIPS 180-2 value for "abc", as hex and as bytes', async () => {
  assert.equal(sha256Hex("abc"), ABC_SHA256);
  assert.equal(sha256Hex(new TextEncoder().encode("abc")), ABC_SHA256);
  assert.equal(toHex(await sha256("abc")), ABC_SHA256);
});

Deno.test("constantTimeEqual: bytes and UTF-8 strings; a length difference is unequal", () => {
  assert.equal(constantTimeEqual("tökén", "tökén"), true);
  assert.equal(constantTimeEqual("token", "tokeN"), false);
  assert.equal(constantTimeEqual("token", "token1"), false);
  assert.equal(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
  assert.equal(constantTimeEqual(new Uint8Array([1, 2]), "\x01\x02"), true);
});
