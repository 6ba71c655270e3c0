/** Trust decisions for signed bundles, and the trust store on disk. */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  buildBundle,
  cloneJson,
  decideTrust,
  deviceSigner,
  ED25519_SCHEME,
  emptyFabric,
  exportEd25519PublicKey,
  generateEd25519KeyPair,
  HMAC_SCHEME,
  type JsonObject,
  LOCAL_IDENTITY,
  parseJson,
  parseTrustFabric,
  readTrustFabric,
  signBundle,
  TRUST_FILE,
  type TrustFabric,
} from "../../lib/portable/mod.ts";
import { readConformance } from "./_helpers.ts";
import { tempDir } from "./_support.ts";

const SECRET = "a-shared-secret-of-at-least-32-characters!";

async function signed() {
  const env = buildBundle(parseJson(readConformance("fixtures/passport-bundle.json")), {
    signable: true,
  });
  const pair = await generateEd25519KeyPair();
  const ed = await signBundle(env, {
    identity: "device:laptop",
    identityKind: "device",
    signer: { scheme: ED25519_SCHEME, privateKey: pair.privateKey },
    signedAt: "2026-03-13T10:00:00Z",
  });
  const hmac = await signBundle(env, {
    identity: "author:ops",
    identityKind: "author",
    signer: { scheme: HMAC_SCHEME, secret: SECRET },
    signedAt: "2026-03-13T10:00:00Z",
  });
  return { env, ed, hmac, publicKey: await exportEd25519PublicKey(pair.publicKey) };
}

function fabric(publicKey: string, more: Partial<TrustFabric> = {}): TrustFabric {
  return {
    ...emptyFabric(),
    identities: [
      {
        id: "device:laptop",
        kind: "device",
        label: "",
        registered_at: "",
        source: "local",
        public_key: publicKey,
      },
      {
        id: "author:ops",
        kind: "author",
        label: "",
        registered_at: "",
        source: "catalog",
        source_catalog: "team-1",
      },
    ],
    ...more,
  };
}

Deno.test("decideTrust: unsigned, unknown, trusted, revoked, kind mismatch, invalid, unverified", async () => {
  const s = await signed();
  const f = fabric(s.publicKey);
  const tampered = cloneJson(s.ed);
  (tampered.get("payload") as JsonObject).set("namespace", "evil");
  const cases: [string, JsonObject, TrustFabric, Record<string, string>, string, string][] = [
    ["unsigned", s.env, f, {}, "unsigned", "none"],
    ["unknown signer", s.ed, emptyFabric(), {}, "unknown_identity", "unknown_signer"],
    ["ed25519 trusted", s.ed, f, {}, "trusted", "local_registry"],
    [
      "pinned",
      s.ed,
      fabric(s.publicKey, { pins: [{ id: "device:laptop", pinned_at: "" }] }),
      {},
      "trusted",
      "local_pin",
    ],
    [
      "revoked",
      s.ed,
      fabric(s.publicKey, {
        revocations: [{
          id: "device:laptop",
          reason: "lost",
          revoked_at: "",
          source: "local",
          replacement_identity: "device:new",
        }],
      }),
      {},
      "revoked",
      "local_registry",
    ],
    ["tampered", tampered, f, {}, "invalid_signature", "local_registry"],
    ["wrong key", s.ed, fabric("11".repeat(32)), {}, "invalid_signature", "local_registry"],
    ["hmac trusted", s.hmac, f, { hmacSecret: SECRET }, "trusted", "imported_catalog"],
    ["hmac no secret", s.hmac, f, {}, "unverified", "imported_catalog"],
    [
      "hmac wrong secret",
      s.hmac,
      f,
      { hmacSecret: "x".repeat(40) },
      "invalid_signature",
      "imported_catalog",
    ],
  ];
  for (const [name, env, fab, keys, status, origin] of cases) {
    const d = await decideTrust(env, fab, keys);
    assert.equal(d.status, status, `${name}: ${d.reason}`);
    assert.equal(d.origin, origin, name);
    assert.equal(d.verified, status === "trusted", name);
  }
  const revoked = await decideTrust(
    s.ed,
    fabric(s.publicKey, {
      revocations: [{
        id: "device:laptop",
        reason: "lost",
        revoked_at: "",
        source: "local",
        replacement_identity: "device:new",
      }],
    }),
  );
  assert.equal(revoked.replacement_identity, "device:new");
  const mismatch = structuredClone(f);
  mismatch.identities[0].kind = "author";
  assert.equal((await decideTrust(s.ed, mismatch)).status, "invalid_signature");
  assert.equal((await decideTrust(parseJson("[1]"), f)).status, "invalid_signature");
});

Deno.test("parseTrustFabric fills defaults and names bad fields", () => {
  assert.deepEqual(parseTrustFabric("{}", "t.json").identities, []);
  assert.throws(
    () => parseTrustFabric('{"identities":[{"id":"x","kind":"robot"}]}', "t.json"),
    /t\.json: identities\.0\.kind/,
  );
  assert.throws(() => parseTrustFabric("{", "t.json"), /not JSON/);
});

Deno.test("deviceSigner creates one key (0600) and registers it in trust.json", async () => {
  await using home = await tempDir();
  const a = await deviceSigner(home.path, new Date());
  const b = await deviceSigner(home.path, new Date());
  assert.equal(a.publicKeyHex, b.publicKeyHex, "the key is reused");
  const f = await readTrustFabric(join(home.path, TRUST_FILE));
  assert.equal(f.identities.length, 1);
  assert.equal(f.identities[0].id, LOCAL_IDENTITY);
  assert.equal(f.identities[0].public_key, a.publicKeyHex);
  if (Deno.build.os !== "windows") {
    assert.equal((await Deno.stat(join(home.path, "trust-device.key"))).mode! & 0o777, 0o600);
  }
});
