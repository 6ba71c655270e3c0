/**
 * The two ways to seal (Node's crypto, synchronous; WebCrypto, for `remember`'s start-up) write
 * the one format: a hand-written vector, each path opening what the other sealed, and the
 * keyring's ids through either path.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { FieldCipher, Keyring, kidOf, sealedKid } from "../../lib/crypto/mod.ts";
import type { MemoryossError } from "../../lib/errors/mod.ts";
import { sealedKidInFile } from "../../lib/store/mod.ts";

/**
 * The vector, computed outside this code base (Python 3, `cryptography` 48: HKDF-SHA256 with
 * salt `memoryoss/v1` and info `ns:demo`, AESGCM.encrypt(nonce, plaintext, aad)); the kid is
 * `sha256sum` of the key's bytes, first 12 hex digits:
 *   key = bytes(range(32)); nonce = bytes(range(0xa0, 0xac))
 *   aad = b'["memoryoss/v1","demo","remember_queue","payload"]'
 *   plaintext = b'{"content":"Deploys need staging signoff."}'
 */
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const NONCE = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
const KID = "630dcd2966c4";
const REF = { namespace: "demo", id: "remember_queue", field: "payload" };
const PLAIN = '{"content":"Deploys need staging signoff."}';
const VECTOR = "enc1:630dcd2966c4:oKGio6SlpqeoqaqrdTxUFcT++BtZs1tn8tqzQytXXOVAxW0zbTgetm99cOfO5H" +
  "+aWTtqXYjm1qACnK57dubifR5l7/rxAFU=";

async function fixedKeyHome(): Promise<{ keyPath: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-webcrypto-" });
  const keyPath = join(dir, "memoryoss.key");
  await Deno.writeFile(keyPath, KEY, { mode: 0o600 });
  return { keyPath, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

/** Both ciphers of one key file: keyring loaded synchronously and through WebCrypto. */
async function bothCiphers(keyPath: string): Promise<[FieldCipher, FieldCipher]> {
  return [
    new FieldCipher(Keyring.load(keyPath)),
    new FieldCipher(await Keyring.loadAsync(keyPath)),
  ];
}

/** Run `fn` with `crypto.getRandomValues` handing out NONCE for 12-byte requests. */
async function withFixedNonce<T>(fn: () => Promise<T>): Promise<T> {
  const real = crypto.getRandomValues;
  crypto.getRandomValues = (<A extends ArrayBufferView>(a: A): A => {
    if (a instanceof Uint8Array && a.length === 12) a.set(NONCE);
    else real.call(crypto, a);
    return a;
  }) as typeof crypto.getRandomValues;
  try {
    return await fn();
  } finally {
    crypto.getRandomValues = real;
  }
}

Deno.test("webcrypto path: the hand-written vector opens through both paths; kid from sha256sum", async () => {
  await using h = await fixedKeyHome();
  const [sync, web] = await bothCiphers(h.keyPath);
  assert.equal(sync.activeKid(), KID);
  assert.equal(web.activeKid(), KID);
  assert.equal(sync.open(REF, VECTOR), PLAIN);
  assert.equal(await web.openAsync(REF, VECTOR), PLAIN);
  assert.equal(await sync.openAsync(REF, VECTOR), PLAIN);
});

Deno.test("webcrypto path: with a fixed nonce both paths seal the vector byte for byte", async () => {
  await using h = await fixedKeyHome();
  const [sync, web] = await bothCiphers(h.keyPath);
  const [a, b] = await withFixedNonce(
    async () => [sync.seal(REF, PLAIN), await web.sealAsync(REF, PLAIN)],
  );
  assert.equal(a, VECTOR, "Node path: nonce ‖ ciphertext ‖ tag, kid, AAD as specified");
  assert.equal(b, VECTOR, "WebCrypto path: the same bytes");
});

Deno.test("webcrypto path: each path opens what the other sealed; AAD and tampering fail alike", async () => {
  await using h = await fixedKeyHome();
  const [sync, web] = await bothCiphers(h.keyPath);
  const text = "héllo wörld ✓ — queued fact";
  const fromWeb = await web.sealAsync(REF, text);
  const fromNode = sync.seal(REF, text);
  assert.notEqual(fromWeb, fromNode, "fresh nonce per seal");
  assert.equal(sync.open(REF, fromWeb), text);
  assert.equal(await web.openAsync(REF, fromNode), text);
  assert.equal(sealedKid(fromWeb), KID);
  const moved = { ...REF, namespace: "other" };
  const tampered = fromWeb.slice(0, -6) + (fromWeb.at(-6) === "A" ? "B" : "A") + fromWeb.slice(-5);
  for (const [ref, value] of [[moved, fromWeb], [REF, tampered]] as const) {
    assert.throws(() => sync.open(ref, value), (e: MemoryossError) => e.code === "INTEGRITY");
    await assert.rejects(web.openAsync(ref, value), (e: MemoryossError) => e.code === "INTEGRITY");
  }
  assert.equal(await web.openAsync(REF, "plain text"), "plain text", "plain values pass through");
});

Deno.test("webcrypto path: Keyring.loadAsync reads a rotated ring as Keyring.load does", async () => {
  await using h = await fixedKeyHome();
  const rotated = Keyring.load(h.keyPath);
  const newKid = rotated.addActiveKey(new Date("2026-12-08T00:00:00Z"));
  const a = Keyring.load(h.keyPath).entries();
  const b = (await Keyring.loadAsync(h.keyPath)).entries();
  assert.deepEqual(b, a);
  assert.deepEqual(b.map((e) => [e.kid, e.state]), [[newKid, "active"], [KID, "retiring"]]);
  assert.equal(kidOf(b[0].key!), newKid);
  // A keyring whose key does not match its id is refused by both.
  const ringPath = join(h.keyPath, "..", "memoryoss.keyring");
  const ring = JSON.parse(await Deno.readTextFile(ringPath));
  ring.keys.find((k: { kid: string }) => k.kid === newKid).kid = "000000000000";
  await Deno.writeTextFile(ringPath, JSON.stringify(ring));
  const damaged = (e: MemoryossError) => /does not match its id/.test(e.message);
  assert.throws(() => Keyring.load(h.keyPath), damaged);
  await assert.rejects(Keyring.loadAsync(h.keyPath), damaged);
});

Deno.test("webcrypto path: a new key file is created the same way (ensureKeyFile, then loadAsync)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-webcrypto-" });
  try {
    const keyPath = join(dir, "memoryoss.key");
    Keyring.ensureKeyFile(keyPath, sealedKidInFile);
    const key = await Deno.readFile(keyPath);
    assert.equal(key.length, 32);
    assert.equal((await Deno.stat(keyPath)).mode! & 0o777, 0o600);
    assert.equal((await Keyring.loadAsync(keyPath)).activeKid(), kidOf(key));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
