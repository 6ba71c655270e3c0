import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { MemoryossError } from "../../lib/errors/mod.ts";
import {
  buildBundle,
  canonicalEnvelope,
  checkBundleSignature,
  cloneJson,
  ED25519_SCHEME,
  ed25519Message,
  ed25519Sign,
  ed25519Verify,
  envelopeSha256,
  exportEd25519PrivateKey,
  exportEd25519PublicKey,
  generateEd25519KeyPair,
  getPath,
  HMAC_SCHEME,
  hmacMessage,
  hmacSign,
  hmacVerify,
  importEd25519PrivateKey,
  importEd25519PublicKey,
  type JsonObject,
  keyFingerprint,
  parseJson,
  type SignatureFields,
  signBundle,
  signerName,
  syncPeerSubject,
  verify,
} from "../../lib/portable/mod.ts";
import { leafPaths, mutateLeaf, readConformance, setPath } from "./_helpers.ts";

const vectors = JSON.parse(readConformance("vectors/bundle-vectors.json"));
const V = vectors.hmac as {
  secret: string;
  identity: string;
  identity_kind: string;
  signed_at: string;
  message: string;
  subject: string;
  value: string;
};
const FIELDS: SignatureFields = {
  identity: V.identity,
  kind: V.identity_kind,
  signedAt: V.signed_at,
  subject: V.subject,
};

function passportEnvelope(): JsonObject {
  return buildBundle(parseJson(readConformance("fixtures/passport-bundle.json")));
}

Deno.test("envelope hash of the fixture bundle equals the Python-derived vector", () => {
  const env = passportEnvelope();
  assert.equal(envelopeSha256(env), vectors.envelope_unsigned_sha256);
  assert.equal(getPath(env, ["integrity", "payload_sha256"]), vectors.envelope_unsigned_sha256);
  assert.equal(
    getPath(env, ["reference", "uri"]),
    "memoryoss://bundle/11111111-1111-7111-8111-111111111111?kind=passport&namespace=demo&scope=project",
  );
  assert.equal(verify(env).ok, true);
});

Deno.test("history envelope: no scope field, hashed as scope:null, matches the vector", () => {
  const env = buildBundle(parseJson(readConformance("fixtures/history-bundle.json")));
  assert.equal(env.has("scope"), false);
  assert.ok(canonicalEnvelope(env).includes('"scope":null'));
  assert.equal(envelopeSha256(env), vectors.history_envelope_unsigned_sha256);
  assert.equal(
    getPath(env, ["reference", "attachment_name"]),
    "memoryoss-history-demo-44444444-4444-7444-8444-444444444444.membundle.json",
  );
  const r = verify(env);
  assert.equal(r.ok, true);
  assert.equal(r.nested?.kind, "history");
});

Deno.test("HMAC message and value match the Python-derived vector", () => {
  assert.equal(hmacMessage(FIELDS), V.message);
  assert.equal(hmacSign(V.secret, FIELDS), V.value);
  assert.equal(hmacVerify(V.secret, FIELDS, V.value), true);
  assert.equal(hmacSign(new TextEncoder().encode(V.secret), FIELDS), V.value, "bytes key");
});

Deno.test("HMAC tamper detection: each field, the value and the secret", () => {
  const table: [string, Partial<SignatureFields>][] = [
    ["identity", { identity: V.identity + "x" }],
    ["kind", { kind: "author" }],
    ["signed_at", { signedAt: "2026-03-13T09:30:00.121Z" }],
    ["subject", { subject: V.subject.replace(/^./, "0") }],
  ];
  for (const [name, change] of table) {
    assert.equal(hmacVerify(V.secret, { ...FIELDS, ...change }, V.value), false, name);
  }
  // Same instant written differently signs the same message (chrono re-prints it).
  assert.equal(
    hmacVerify(V.secret, { ...FIELDS, signedAt: "2026-03-13T10:30:00.12+01:00" }, V.value),
    true,
  );
  assert.equal(hmacVerify(V.secret + "x", FIELDS, V.value), false, "secret");
  assert.equal(hmacVerify(V.secret, FIELDS, V.value.toUpperCase()), false, "case matters");
  assert.equal(hmacVerify(V.secret, FIELDS, V.value.slice(1)), false, "length");
  assert.equal(hmacVerify(V.secret, { ...FIELDS, signedAt: "nope" }, V.value), false);
});

Deno.test("signBundle (HMAC) reproduces the memoryOSS vector and checkBundleSignature agrees", async () => {
  const signed = await signBundle(passportEnvelope(), {
    identity: V.identity,
    identityKind: "device",
    signer: { scheme: HMAC_SCHEME, secret: V.secret },
    signedAt: V.signed_at,
  });
  assert.equal(getPath(signed, ["signature", "value"]), V.value);
  assert.equal(getPath(signed, ["integrity", "payload_sha256"]), V.subject);
  assert.equal(getPath(signed, ["signature", "chain", 0, "action"]), "sign");
  assert.equal(verify(signed).ok, true);
  const good = await checkBundleSignature(signed, { hmacSecret: V.secret });
  assert.equal(good.status, "valid");
  assert.equal(good.identity, V.identity);
  assert.equal(
    (await checkBundleSignature(signed, { hmacSecret: "other" })).status,
    "invalid_signature",
  );
  assert.equal((await checkBundleSignature(signed, {})).status, "no_key");
  assert.equal((await checkBundleSignature(passportEnvelope(), {})).status, "unsigned");
});

Deno.test("signed bundle: changing any hashed leaf breaks the signature", async (t) => {
  const signed = await signBundle(passportEnvelope(), {
    identity: V.identity,
    identityKind: "device",
    signer: { scheme: HMAC_SCHEME, secret: V.secret },
    signedAt: V.signed_at,
  });
  for (const path of leafPaths(signed)) {
    const name = path.join(".");
    if (path[0] === "integrity" || (path[0] === "signature" && path[1] === "chain")) continue;
    await t.step(name, async () => {
      const tree = setPath(cloneJson(signed), path, mutateLeaf(getPath(signed, path)!));
      const r = await checkBundleSignature(tree, { hmacSecret: V.secret });
      assert.notEqual(r.status, "valid", name);
    });
  }
  // The chain is outside the envelope hash and the signed message (spec §5.4).
  const chain = setPath(cloneJson(signed), ["signature", "chain", 0, "identity"], "someone-else");
  assert.equal((await checkBundleSignature(chain, { hmacSecret: V.secret })).status, "valid");
});

Deno.test("Ed25519: key round trip, sign/verify, tamper and wrong key", async () => {
  const { privateKey, publicKey } = await generateEd25519KeyPair();
  const pubHex = await exportEd25519PublicKey(publicKey);
  assert.match(pubHex, /^[0-9a-f]{64}$/);
  const value = await ed25519Sign(privateKey, FIELDS);
  assert.match(value, /^[0-9a-f]{128}$/);
  assert.equal(await ed25519Verify(publicKey, FIELDS, value), true);
  assert.equal(await ed25519Verify(pubHex, FIELDS, value), true);
  assert.equal(await ed25519Verify(await importEd25519PublicKey(pubHex), FIELDS, value), true);
  const restored = await importEd25519PrivateKey(await exportEd25519PrivateKey(privateKey));
  assert.equal(await ed25519Verify(pubHex, FIELDS, await ed25519Sign(restored, FIELDS)), true);

  for (
    const change of [{ identity: "x" }, { kind: "author" }, {
      signedAt: "2026-03-13T09:30:00.120+00:00",
    }, {
      subject: "0" + V.subject.slice(1),
    }]
  ) {
    assert.equal(
      await ed25519Verify(publicKey, { ...FIELDS, ...change }, value),
      false,
      JSON.stringify(change),
    );
  }
  const flipped = (value[0] === "0" ? "1" : "0") + value.slice(1);
  assert.equal(await ed25519Verify(publicKey, FIELDS, flipped), false);
  const other = await generateEd25519KeyPair();
  assert.equal(await ed25519Verify(other.publicKey, FIELDS, value), false);
  assert.equal(await ed25519Verify("zz", FIELDS, value), false, "malformed key is just false");
  assert.equal(await ed25519Verify(publicKey, FIELDS, "abc"), false);
  await assert.rejects(() => importEd25519PublicKey("00"), MemoryossError);
  await assert.rejects(() => importEd25519PrivateKey("00ff"), MemoryossError);
});

Deno.test("Ed25519 message is the JCS form we define", () => {
  const text = new TextDecoder().decode(ed25519Message(FIELDS));
  assert.equal(
    text,
    `{"identity":"${V.identity}","identity_kind":"device","scheme":"${ED25519_SCHEME}",` +
      `"signed_at":"${V.signed_at}","subject":"${V.subject}"}`,
  );
});

Deno.test("signBundle (Ed25519) round trip and tamper detection", async () => {
  const { privateKey, publicKey } = await generateEd25519KeyPair();
  const signed = await signBundle(passportEnvelope(), {
    identity: "author:alice",
    identityKind: "author",
    signer: { scheme: ED25519_SCHEME, privateKey },
    signedAt: new Date(Date.UTC(2026, 2, 13, 9, 30)),
  });
  assert.equal(getPath(signed, ["signature", "signed_at"]), "2026-03-13T09:30:00Z");
  assert.equal(verify(signed).ok, true);
  const pub = await exportEd25519PublicKey(publicKey);
  assert.equal((await checkBundleSignature(signed, { ed25519PublicKey: pub })).status, "valid");
  const tampered = setPath(cloneJson(signed), ["payload", "memories", 0, "content"], "changed");
  assert.equal(
    (await checkBundleSignature(tampered, { ed25519PublicKey: pub })).status,
    "invalid_signature",
  );
  assert.equal((await checkBundleSignature(signed, { hmacSecret: "s" })).status, "no_key");
  // Re-signing appends to the chain.
  const again = await signBundle(signed, {
    identity: "device:local-runtime",
    identityKind: "device",
    signer: { scheme: HMAC_SCHEME, secret: V.secret },
  });
  assert.equal((getPath(again, ["signature", "chain"]) as unknown[]).length, 2);
});

Deno.test("signBundle refuses invalid bundles; checkBundleSignature never throws", async () => {
  const env = passportEnvelope();
  setPath(env, ["payload", "namespace"], "other");
  await assert.rejects(
    () =>
      signBundle(env, {
        identity: "d",
        identityKind: "device",
        signer: { scheme: HMAC_SCHEME, secret: "s" },
      }),
    (e: unknown) => e instanceof MemoryossError && e.code === "INTEGRITY",
  );
  const odd = [
    null,
    "x",
    parseJson(
      '{"signature":{"scheme":"x.v9","signer":"a","identity_kind":"device","signed_at":"2026-03-13T09:00:00Z","value":"00"}}',
    ),
    parseJson('{"signature":{"scheme":"memoryoss.hmac-sha256.v1"}}'),
    parseJson(
      '{"signature":{"scheme":"memoryoss.hmac-sha256.v1","signer":"a","identity_kind":"device","signed_at":"2026-03-13T09:00:00Z"}}',
    ),
    parseJson(
      '{"signature":{"scheme":"memoryoss.hmac-sha256.v1","signer":"a","identity_kind":"device","signed_at":"2026-03-13T09:00:00Z","value":"00"}}',
    ),
  ];
  const statuses = [];
  for (const o of odd) statuses.push((await checkBundleSignature(o, { hmacSecret: "s" })).status);
  assert.deepEqual(statuses, [
    "invalid_signature",
    "invalid_signature",
    "unsupported_scheme",
    "invalid_signature",
    "invalid_signature",
    "invalid_signature",
  ]);
});

Deno.test("sync peer trust subject hashes the descriptor in struct order", () => {
  const s = syncPeerSubject({
    peer_id: "p1",
    namespace: "demo",
    endpoint: "https://x",
    device_label: null,
  });
  assert.match(s, /^sync_peer:[0-9a-f]{64}$/);
  assert.notEqual(
    s,
    syncPeerSubject({ peer_id: "p1", namespace: "demo", endpoint: "https://x", device_label: "d" }),
  );
});

Deno.test("an Ed25519 signature embeds its public key and signs as <kind>:<fingerprint>", async () => {
  const { privateKey, publicKey } = await generateEd25519KeyPair();
  const hex = await exportEd25519PublicKey(publicKey);
  const fp = createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex").slice(0, 16);
  assert.equal(keyFingerprint(hex), fp);
  assert.equal(signerName(hex), `device:${fp}`);
  assert.equal(signerName(hex, "author"), `author:${fp}`);
  const signed = await signBundle(passportEnvelope(), {
    identity: `device:${fp}`,
    identityKind: "device",
    signer: { scheme: ED25519_SCHEME, privateKey },
    publicKey: hex,
    signedAt: "2026-03-13T09:30:00Z",
  });
  const sig = signed.get("signature") as JsonObject;
  assert.deepEqual([...sig.keys()], [
    "scheme",
    "signer",
    "signable",
    "identity_kind",
    "signed_at",
    "public_key",
    "value",
    "chain",
  ]);
  assert.equal(sig.get("public_key"), hex);
  assert.equal(verify(signed).ok, true, "public_key is outside the envelope hash");
  assert.equal(
    (await checkBundleSignature(signed, { ed25519PublicKey: hex })).status,
    "valid",
  );
  // a key the name does not bind is refused before signing
  await assert.rejects(
    () =>
      signBundle(passportEnvelope(), {
        identity: "device:local-runtime",
        identityKind: "device",
        signer: { scheme: ED25519_SCHEME, privateKey },
        publicKey: hex,
      }),
    (e: unknown) => e instanceof MemoryossError && /signs as device:[0-9a-f]{16}/.test(e.message),
  );
});
