/**
 * The signature decision in-process: the two answers (does the signature verify for the key it
 * names? is that key trusted here?), the verdict every surface shares, and the device key on
 * disk (its name, and the migration of a home that signed as device:local-runtime).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  admission,
  buildBundle,
  cloneJson,
  decideTrust,
  deviceSigner,
  ED25519_SCHEME,
  emptyFabric,
  envelopeSha256,
  exportEd25519PrivateKey,
  exportEd25519PublicKey,
  generateEd25519KeyPair,
  HMAC_SCHEME,
  homeTrust,
  type JsonObject,
  LOCAL_IDENTITY,
  parseJson,
  parseTrustFabric,
  readTrustFabric,
  signBundle,
  TRUST_FILE,
  type TrustDecision,
  type TrustFabric,
  type TrustIdentity,
  writeTrustFabric,
} from "../../lib/portable/mod.ts";
import { readConformance } from "./_helpers.ts";
import { tempDir } from "./_support.ts";

const SECRET = "a-shared-secret-of-at-least-32-characters!";
const AT = "2026-03-13T10:00:00Z";

/** 16 hex digits of SHA-256 over the raw key bytes, computed here with node:crypto. */
const fp = (hex: string) =>
  createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex").slice(0, 16);

async function keyPair() {
  const pair = await generateEd25519KeyPair();
  return { ...pair, hex: await exportEd25519PublicKey(pair.publicKey) };
}

async function signed() {
  const env = buildBundle(parseJson(readConformance("fixtures/passport-bundle.json")), {
    signable: true,
  });
  const k = await keyPair();
  const ed = await signBundle(env, {
    identity: `device:${fp(k.hex)}`,
    identityKind: "device",
    signer: { scheme: ED25519_SCHEME, privateKey: k.privateKey },
    publicKey: k.hex,
    signedAt: AT,
  });
  // as versions before named keys signed: the shared name, no key in the envelope
  const legacy = await signBundle(env, {
    identity: LOCAL_IDENTITY,
    identityKind: "device",
    signer: { scheme: ED25519_SCHEME, privateKey: k.privateKey },
    signedAt: AT,
  });
  const hmac = await signBundle(env, {
    identity: "author:ops",
    identityKind: "author",
    signer: { scheme: HMAC_SCHEME, secret: SECRET },
    signedAt: AT,
  });
  return { env, ed, legacy, hmac, key: k.hex };
}

const identity = (id: string, publicKey: string | null, more: Partial<TrustIdentity> = {}) => ({
  id,
  kind: "device" as const,
  label: "",
  registered_at: "",
  source: "local" as const,
  public_key: publicKey,
  ...more,
});

const withKey = (key: string, more: Partial<TrustFabric> = {}): TrustFabric => ({
  ...emptyFabric(),
  identities: [identity("device:laptop", key), identity("author:ops", null, { kind: "author" })],
  ...more,
});

const revocation = (id: string) => ({
  id,
  reason: "lost",
  revoked_at: "",
  source: "local" as const,
  replacement_identity: "device:new",
});

function sig(env: JsonObject): JsonObject {
  return env.get("signature") as JsonObject;
}

Deno.test("decideTrust: each case gives the two answers and a status", async () => {
  const s = await signed();
  const other = await keyPair();
  const tampered = cloneJson(s.ed);
  (tampered.get("payload") as JsonObject).set("namespace", "evil");
  const flipped = cloneJson(s.ed);
  const v = sig(flipped).get("value") as string;
  sig(flipped).set("value", (v[0] === "0" ? "1" : "0") + v.slice(1));
  const wrongKey = cloneJson(s.ed);
  sig(wrongKey).set("public_key", other.hex);
  const upper = cloneJson(s.ed);
  sig(upper).set("public_key", s.key.toUpperCase());
  const unknownScheme = cloneJson(s.ed);
  sig(unknownScheme).set("scheme", "x.v9");
  const asAuthor = withKey(s.key);
  asAuthor.identities[0].kind = "author";
  type Case = [string, JsonObject, TrustFabric, Record<string, string>, string, boolean | null];
  const cases: Case[] = [
    ["unsigned envelope", s.env, withKey(s.key), {}, "unsigned", null],
    ["valid, key unknown", s.ed, emptyFabric(), {}, "unknown_identity", true],
    ["valid, key in catalog", s.ed, withKey(s.key), {}, "trusted", true],
    ["valid, own key", s.ed, emptyFabric(), { ownPublicKey: s.key }, "trusted", true],
    [
      "valid, key revoked",
      s.ed,
      withKey(s.key, { revocations: [revocation("device:laptop")] }),
      {
        ownPublicKey: s.key,
      },
      "revoked",
      true,
    ],
    ["valid, registered as another kind", s.ed, asAuthor, {}, "unknown_identity", true],
    ["payload changed", tampered, withKey(s.key), {}, "invalid_signature", false],
    ["value flipped", flipped, withKey(s.key), {}, "invalid_signature", false],
    ["key swapped", wrongKey, withKey(other.hex), {}, "invalid_signature", false],
    ["key in upper case", upper, withKey(s.key), {}, "invalid_signature", false],
    ["unknown scheme", unknownScheme, withKey(s.key), {}, "invalid_signature", false],
    ["legacy, key in catalog", s.legacy, withKey(s.key), {}, "trusted", true],
    ["legacy, own key", s.legacy, emptyFabric(), { ownPublicKey: s.key }, "trusted", true],
    ["legacy, no key verifies", s.legacy, withKey(other.hex), {}, "invalid_signature", false],
    ["hmac with the secret", s.hmac, withKey(s.key), { hmacSecret: SECRET }, "hmac_verified", true],
    ["hmac without the secret", s.hmac, withKey(s.key), {}, "unverified", null],
    [
      "hmac, wrong secret",
      s.hmac,
      withKey(s.key),
      { hmacSecret: "x".repeat(40) },
      "invalid_signature",
      false,
    ],
    [
      "hmac, revoked name",
      s.hmac,
      withKey(s.key, { revocations: [revocation("author:ops")] }),
      {
        hmacSecret: SECRET,
      },
      "revoked",
      true,
    ],
  ];
  for (const [name, env, fabric, keys, status, valid] of cases) {
    const d = await decideTrust(env, fabric, keys);
    assert.equal(d.status, status, `${name}: ${d.reason}`);
    assert.equal(d.signature_valid, valid, name);
    assert.equal(d.trusted, status === "trusted", name);
    assert.equal(d.verified, d.trusted, name);
    if (valid === false) assert.match(d.reason, /^signature does not verify: /, name);
  }
  const legacy = await decideTrust(s.legacy, withKey(other.hex));
  assert.match(legacy.reason, /carries no public key .*older memoryoss.*no key in the trust/);
  const named = await decideTrust(wrongKey, withKey(other.hex));
  assert.match(named.reason, /does not name the key it carries/);
  const trusted = await decideTrust(
    s.ed,
    withKey(s.key, { pins: [{ id: "device:laptop", pinned_at: "" }] }),
  );
  assert.equal(trusted.identity, "device:laptop");
  assert.equal(trusted.origin, "local_pin");
  assert.equal(trusted.fingerprint, fp(s.key));
  const revoked = await decideTrust(
    s.ed,
    withKey(s.key, { revocations: [revocation("device:laptop")] }),
  );
  assert.equal(revoked.replacement_identity, "device:new");
  const bare = await decideTrust(
    parseJson(readConformance("fixtures/passport-bundle.json")),
    withKey(s.key),
  );
  assert.equal(bare.status, "unsigned");
  assert.equal((await decideTrust(parseJson("[1]"), withKey(s.key))).status, "invalid_signature");
});

Deno.test("trust is matched by key: a catalog entry named like the signer does not help", async () => {
  const s = await signed();
  const other = await keyPair();
  // the signer's own name registered with a different key: not trusted, and not a forgery
  const byName = { ...emptyFabric(), identities: [identity(`device:${fp(s.key)}`, other.hex)] };
  const d = await decideTrust(s.ed, byName);
  assert.equal(d.status, "unknown_identity");
  assert.equal(d.signature_valid, true);
  // a revocation of another key named like the signer does not revoke this one
  const revokedName = { ...byName, revocations: [revocation(`device:${fp(s.key)}`)] };
  assert.equal((await decideTrust(s.ed, revokedName)).status, "unknown_identity");
});

Deno.test("admission: integrity first (3), then the signature (5), then trust", () => {
  const t = (status: TrustDecision["status"], trusted = false): TrustDecision => ({
    status,
    trusted,
    verified: trusted,
    signature_valid: null,
    reason: `because ${status}`,
    origin: "none",
  });
  const doc = (ok: boolean, trust: TrustDecision | null) => ({
    kind: "bundle",
    ok,
    errors: ok ? [] : [{ path: "integrity.payload_sha256", message: "mismatch" }],
    trust,
  });
  const table: [boolean, TrustDecision | null, string, number, number][] = [
    // ok, trust, verdict, exit, exit with requireTrusted
    [false, t("invalid_signature"), "invalid", 3, 3],
    [true, t("invalid_signature"), "rejected", 5, 5],
    [true, t("revoked"), "rejected", 5, 5],
    [true, t("trusted", true), "accepted", 0, 0],
    [true, t("unknown_identity"), "untrusted", 0, 5],
    [true, t("hmac_verified"), "untrusted", 0, 5],
    [true, t("unverified"), "untrusted", 0, 5],
    [true, t("unsigned"), "untrusted", 0, 5],
    [true, null, "untrusted", 0, 5],
  ];
  for (const [ok, trust, verdict, exit, strictExit] of table) {
    const a = admission(doc(ok, trust));
    const label = `${ok} ${trust?.status}`;
    assert.equal(a.verdict, verdict, label);
    assert.equal(a.exit_code, exit, label);
    assert.equal(admission(doc(ok, trust), { requireTrusted: true }).exit_code, strictExit, label);
  }
  assert.equal(
    admission(doc(false, null)).message,
    "bundle failed verification at integrity.payload_sha256: mismatch",
  );
  assert.equal(admission(doc(true, t("revoked"))).message, "because revoked");
});

Deno.test("parseTrustFabric fills defaults and names bad fields", () => {
  assert.deepEqual(parseTrustFabric("{}", "t.json").identities, []);
  assert.throws(
    () => parseTrustFabric('{"identities":[{"id":"x","kind":"robot"}]}', "t.json"),
    /t\.json: identities\.0\.kind/,
  );
  assert.throws(() => parseTrustFabric("{", "t.json"), /not JSON/);
});

Deno.test("deviceSigner: one key (0600), named device:<fingerprint>, registered in trust.json", async () => {
  await using home = await tempDir();
  const a = await deviceSigner(home.path, new Date());
  const b = await deviceSigner(home.path, new Date());
  assert.equal(a.publicKeyHex, b.publicKeyHex, "the key is reused");
  assert.equal(a.identity, `device:${fp(a.publicKeyHex)}`);
  const f = await readTrustFabric(join(home.path, TRUST_FILE));
  assert.deepEqual(f.identities.map((i) => [i.id, i.public_key]), [[a.identity, a.publicKeyHex]]);
  if (Deno.build.os !== "windows") {
    assert.equal((await Deno.stat(join(home.path, "trust-device.key"))).mode! & 0o777, 0o600);
  }
  const trust = await homeTrust(home.path);
  assert.equal(trust.keys.ownPublicKey, a.publicKeyHex);
  await using other = await tempDir();
  assert.deepEqual(await homeTrust(other.path), { fabric: emptyFabric(), keys: {} });
});

Deno.test("an older home's device:local-runtime entry is renamed; its old bundles still verify", async () => {
  await using home = await tempDir();
  const k = await keyPair();
  await Deno.writeTextFile(
    join(home.path, "trust-device.key"),
    await exportEd25519PrivateKey(k.privateKey) + "\n",
  );
  const old = identity(LOCAL_IDENTITY, k.hex, { label: "Local runtime", registered_at: AT });
  const friend = identity("device:friend", (await keyPair()).hex);
  await writeTrustFabric(join(home.path, TRUST_FILE), {
    ...emptyFabric(),
    identities: [old, friend],
    pins: [{ id: LOCAL_IDENTITY, pinned_at: AT }],
  });
  const legacy = (await signed()).env;
  const oldBundle = await signBundle(legacy, {
    identity: LOCAL_IDENTITY,
    identityKind: "device",
    signer: { scheme: ED25519_SCHEME, privateKey: k.privateKey },
    signedAt: AT,
  });
  const signer = await deviceSigner(home.path, new Date());
  assert.equal(signer.identity, `device:${fp(k.hex)}`);
  const f = await readTrustFabric(join(home.path, TRUST_FILE));
  assert.deepEqual(f.identities.map((i) => i.id).sort(), ["device:friend", signer.identity].sort());
  assert.equal(f.identities.find((i) => i.id === signer.identity)!.registered_at, AT);
  assert.deepEqual(f.pins.map((p) => p.id), [signer.identity], "the pin follows the rename");
  const trust = await homeTrust(home.path);
  const d = await decideTrust(oldBundle, trust.fabric, trust.keys);
  assert.equal(d.status, "trusted", d.reason);
  assert.equal(d.identity, signer.identity);
  // elsewhere, with no catalog key, the same old bundle is rejected, saying why
  const elsewhere = await decideTrust(oldBundle, emptyFabric());
  assert.equal(elsewhere.status, "invalid_signature");
  assert.match(elsewhere.reason, /older memoryoss/);
  assert.equal(
    envelopeSha256(oldBundle),
    (oldBundle.get("integrity") as JsonObject).get("payload_sha256"),
  );
});
