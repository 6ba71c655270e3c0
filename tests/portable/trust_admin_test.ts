/** Editing the trust fabric: key formats, add/pin/revoke/replace/remove rules. */
import assert from "node:assert/strict";
import {
  addIdentity,
  emptyFabric,
  exportEd25519PublicKey,
  generateEd25519KeyPair,
  parsePublicKey,
  pinIdentity,
  publicKeyBase64,
  removeIdentity,
  replaceIdentity,
  revokeIdentity,
  trustRows,
} from "../../lib/portable/mod.ts";

const now = new Date("2026-03-13T10:00:00Z");

Deno.test("parsePublicKey: base64, URL-safe base64, hex, SPKI PEM and identity JSON agree", async () => {
  const pair = await generateEd25519KeyPair();
  const hex = await exportEd25519PublicKey(pair.publicKey);
  const b64 = publicKeyBase64(hex);
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const pem = `-----BEGIN PUBLIC KEY-----\n${btoa(String.fromCharCode(...spki))}\n` +
    "-----END PUBLIC KEY-----\n";
  const forms = [
    b64,
    b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
    hex.toUpperCase(),
    pem,
    JSON.stringify({ id: "device:local-runtime", public_key: b64 }),
  ];
  for (const f of forms) assert.equal(await parsePublicKey(f), hex, f);
  for (const bad of ["", "abc", "AAAA", "zz".repeat(32), btoa("x".repeat(31))]) {
    await assert.rejects(() => parsePublicKey(bad), /not an Ed25519 public key/, bad);
  }
});

Deno.test("add, pin, revoke, replace, remove keep the fabric consistent", () => {
  const k1 = "11".repeat(32);
  const k2 = "22".repeat(32);
  let f = addIdentity(emptyFabric(), { name: "laptop", publicKey: k1, now }).fabric;
  assert.throws(() => addIdentity(f, { name: "laptop", publicKey: k2, now }), /already exists/);
  assert.throws(() => addIdentity(f, { name: "other", publicKey: k1, now }), /already registered/);
  assert.throws(
    () => addIdentity(f, { name: "device:local-runtime", publicKey: k2, now }),
    /this home's own identity/,
  );
  assert.throws(() => addIdentity(f, { name: "bad name!", publicKey: k2, now }), /may only hold/);
  assert.equal(
    addIdentity(f, { name: "sync_peer:nas", publicKey: k2, now }).identity.kind,
    "sync_peer",
  );
  assert.throws(() => pinIdentity(f, "device:nobody", now), /no identity/);
  f = pinIdentity(pinIdentity(f, "device:laptop", now), "device:laptop", now);
  assert.equal(f.pins.length, 1, "pinning twice keeps one pin");
  f = revokeIdentity(f, "device:laptop", { reason: "lost", now });
  f = revokeIdentity(f, "device:laptop", { reason: "stolen", now });
  assert.equal(f.revocations.length, 1);
  assert.equal(trustRows(f)[0].revoked_reason, "stolen");
  const r = replaceIdentity(f, "device:laptop", { publicKey: k2, now });
  assert.equal(r.identity.id, "device:laptop-2");
  const again = replaceIdentity(r.fabric, "device:laptop-2", { publicKey: "33".repeat(32), now });
  assert.equal(again.identity.id, "device:laptop-3");
  const rows = Object.fromEntries(trustRows(again.fabric).map((x) => [x.id, x]));
  assert.equal(rows["device:laptop-2"].status, "revoked");
  assert.equal(rows["device:laptop-2"].replacement_identity, "device:laptop-3");
  assert.equal(rows["device:laptop-3"].pinned, true);
  assert.throws(
    () => replaceIdentity(again.fabric, "device:laptop-3", { publicKey: "33".repeat(32), now }),
    /already has this key/,
  );
  const gone = removeIdentity(again.fabric, "device:laptop");
  assert.ok(!gone.identities.some((i) => i.id === "device:laptop"));
  assert.ok(!gone.revocations.some((x) => x.id === "device:laptop"));
  assert.throws(() => removeIdentity(gone, "device:laptop"), /no identity/);
});
