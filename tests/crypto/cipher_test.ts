/** lib/crypto: the keyring and the field cipher (envelope, AAD binding, clear failures). */
import assert from "node:assert/strict";
import { join } from "node:path";
import { FieldCipher, isSealed, Keyring, kidOf, sealedKid } from "../../lib/crypto/mod.ts";
import type { MemoryossError } from "../../lib/errors/mod.ts";
import { sealedKidInFile } from "../../lib/store/mod.ts";

async function keyHome(): Promise<{ dir: string; keyPath: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-crypto-" });
  const keyPath = join(dir, "memoryoss.key");
  Keyring.ensureKeyFile(keyPath, sealedKidInFile);
  return {
    dir,
    keyPath,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

const ref = { namespace: "demo", id: "m1", field: "content" };

Deno.test("cipher: round trip, self-describing envelope, fresh nonce per seal", async () => {
  await using h = await keyHome();
  const c = new FieldCipher(Keyring.load(h.keyPath));
  const kid = kidOf(await Deno.readFile(h.keyPath));
  assert.equal(c.activeKid(), kid, "the existing key file is a keyring member, id from its hash");
  const a = c.seal(ref, "héllo wörld ✓");
  const b = c.seal(ref, "héllo wörld ✓");
  assert.notEqual(a, b);
  assert.ok(isSealed(a));
  assert.equal(sealedKid(a), kid);
  assert.match(a, /^enc1:[0-9a-f]{12}:[A-Za-z0-9+/=]+$/);
  assert.equal(c.open(ref, a), "héllo wörld ✓");
  assert.equal(c.open(ref, "plain text"), "plain text", "plain values pass through");
  assert.equal((await Deno.stat(h.keyPath)).mode! & 0o777, 0o600);
});

Deno.test("cipher: a ciphertext moved to another row, field or namespace fails (AAD)", async () => {
  await using h = await keyHome();
  const c = new FieldCipher(Keyring.load(h.keyPath));
  const s = c.seal(ref, "secret");
  for (const other of [{ ...ref, id: "m2" }, { ...ref, field: "metadata" }]) {
    assert.throws(() => c.open(other, s), (e: MemoryossError) => {
      assert.equal(e.code, "INTEGRITY");
      assert.match(e.message, new RegExp(`memory ${other.id}: `));
      return true;
    });
  }
  // Another namespace derives another key: also fails authentication.
  assert.throws(() => c.open({ ...ref, namespace: "other" }, s), /fails authentication/);
});

Deno.test("cipher: tampered ciphertext is an error naming the memory, never garbage", async () => {
  await using h = await keyHome();
  const c = new FieldCipher(Keyring.load(h.keyPath));
  const s = c.seal(ref, "secret value");
  const body = atob(s.split(":")[2]);
  const flipped = body.slice(0, 20) + String.fromCharCode(body.charCodeAt(20) ^ 1) +
    body.slice(21);
  const bad = `${s.split(":").slice(0, 2).join(":")}:${btoa(flipped)}`;
  assert.throws(() => c.open(ref, bad), (e: MemoryossError) => {
    assert.equal(e.code, "INTEGRITY");
    assert.match(e.message, /memory m1: encrypted content fails authentication/);
    return true;
  });
});

Deno.test("cipher: a wrong key file is a config error naming the key file", async () => {
  await using h = await keyHome();
  const s = new FieldCipher(Keyring.load(h.keyPath)).seal(ref, "secret");
  await Deno.remove(h.keyPath);
  Keyring.ensureKeyFile(h.keyPath, sealedKidInFile); // a different random key
  const c = new FieldCipher(Keyring.load(h.keyPath));
  assert.throws(() => c.open(ref, s), (e: MemoryossError) => {
    assert.equal(e.code, "INVALID_CONFIG");
    assert.match(e.message, /memory m1 is encrypted with key [0-9a-f]{12}, which .*memoryoss\.key/);
    return true;
  });
});

Deno.test("keyring: rotation keeps old keys readable until retired; file is 0600", async () => {
  await using h = await keyHome();
  const ring = Keyring.load(h.keyPath);
  const c = new FieldCipher(ring);
  const old = c.activeKid()!;
  const s = c.seal(ref, "before rotation");
  const fresh = ring.addActiveKey(new Date());
  assert.notEqual(fresh, old);
  // Another process loading the files sees the same state.
  const other = new FieldCipher(Keyring.load(h.keyPath));
  assert.equal(other.activeKid(), fresh);
  assert.deepEqual(other.keyring.retiringKids(), [old]);
  assert.equal(other.open(ref, s), "before rotation");
  assert.equal(sealedKid(other.seal(ref, "x")), fresh);
  assert.equal((await Deno.stat(ring.ringPath)).mode! & 0o777, 0o600);
  ring.retire(old);
  const after = Keyring.load(h.keyPath);
  assert.deepEqual(after.retiringKids(), []);
  assert.equal(after.entries().find((e) => e.kid === old)?.state, "retired");
  assert.equal(after.activeKid(), fresh);
});
