/**
 * `/v1/admin/trust/*` on a real loopback server: admin role, register/pin/unpin/revoke/restore,
 * catalog export and import (memoryOSS §5.5 rules: same-catalog entries replaced, local ids
 * skipped and counted), sidecar sign and verify. Signatures are checked here with Web Crypto
 * and the public key alone, not with the server's code.
 */
import assert from "node:assert/strict";
import { readConformance } from "../portable/_helpers.ts";
import { assertError, type Json, withServer } from "./_api_support.ts";

const PASSPORT = readConformance("fixtures/passport-bundle.json");

const toHex = (b: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
const sha256 = async (b: Uint8Array<ArrayBuffer>) =>
  toHex(await crypto.subtle.digest("SHA-256", b));

async function newKey(): Promise<string> {
  const pair = await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  return toHex(await crypto.subtle.exportKey("raw", pair.publicKey));
}

/** Compact JSON with sorted keys (JCS for strings). */
const sorted = (o: Record<string, string>) =>
  `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`).join(",")}}`;

Deno.test("/v1/admin/trust: roles, register, pin, revoke, restore", async () => {
  await withServer(async (s) => {
    const admin = await s.key("admin", ["proj"]);
    const writer = await s.key("writer", ["proj"]);
    assertError(await s.req("GET", "/v1/admin/trust/fabric"), 401, "UNAUTHORIZED");
    assertError(await s.req("GET", "/v1/admin/trust/fabric", { key: writer }), 403, "FORBIDDEN");
    const empty = await s.req("GET", "/v1/admin/trust/fabric", { key: admin });
    assert.equal(empty.status, 200, empty.text);
    for (const k of ["identities", "revocations", "catalogs", "pins"]) {
      assert.ok(Array.isArray(empty.json[k]), k);
    }

    const key = await newKey();
    assertError(
      await s.req("POST", "/v1/admin/trust/register", {
        key: writer,
        body: { id: "laptop", public_key: key },
      }),
      403,
      "FORBIDDEN",
    );
    assertError(
      await s.req("POST", "/v1/admin/trust/register", { key: admin, body: { id: "laptop" } }),
      400,
      "INVALID_INPUT",
      /public_key/,
    );
    assertError(
      await s.req("POST", "/v1/admin/trust/register", {
        key: admin,
        body: { id: "laptop", public_key: "not a key" },
      }),
      400,
      "INVALID_INPUT",
    );
    const reg = await s.req("POST", "/v1/admin/trust/register", {
      key: admin,
      body: { id: "laptop", public_key: key, label: "Ana's laptop" },
    });
    assert.equal(reg.status, 200, reg.text);
    assert.equal(reg.json.id, "device:laptop");
    assert.equal(reg.json.kind, "device");
    assert.equal(reg.json.label, "Ana's laptop");
    assert.equal(reg.json.public_key, key);
    assert.equal(reg.json.fingerprint, (await sha256(fromHex(key))).slice(0, 16));
    assert.equal(reg.json.status, "active");
    assert.equal(reg.json.pinned, false);

    const pin = (verb: string, body: Json) =>
      s.req("POST", `/v1/admin/trust/${verb}`, { key: admin, body });
    assert.equal((await pin("pin", { id: "device:laptop" })).json.pinned, true);
    assert.equal((await pin("unpin", { id: "device:laptop" })).json.pinned, false);
    assertError(await pin("pin", { id: "device:nobody" }), 404, "NOT_FOUND");
    const rev = await pin("revoke", { id: "device:laptop", reason: "stolen" });
    assert.equal(rev.status, 200, rev.text);
    assert.equal(rev.json.status, "revoked");
    assert.equal(rev.json.revoked_reason, "stolen");
    const back = await pin("restore", { id: "device:laptop" });
    assert.equal(back.json.status, "active");
    assertError(await pin("restore", { id: "device:laptop" }), 409, "CONFLICT", /not revoked/);
    assertError(
      await pin("revoke", { id: "device:laptop", replacement_identity: "x:y" }),
      404,
      "NOT_FOUND",
    );
    assertError(await pin("pin", {}), 400, "INVALID_INPUT", /id/);

    // the CLI reads the same catalog
    const file = JSON.parse(await Deno.readTextFile(`${s.home}/trust.json`));
    assert.ok(file.identities.some((i: Json) => i.id === "device:laptop"));
  });
});

Deno.test("/v1/admin/trust/catalog: export, import (replace, skip local conflicts)", async () => {
  await withServer(async (s) => {
    const admin = await s.key("admin", ["proj"]);
    const mine = await newKey();
    await s.req("POST", "/v1/admin/trust/register", {
      key: admin,
      body: { id: "laptop", public_key: mine },
    });
    const exp = await s.req(
      "GET",
      "/v1/admin/trust/catalog/export?catalog_id=team-a&label=Team%20A",
      {
        key: admin,
      },
    );
    assert.equal(exp.status, 200, exp.text);
    assert.equal(exp.json.catalog_id, "team-a");
    assert.equal(exp.json.label, "Team A");
    assert.ok(!Number.isNaN(Date.parse(exp.json.exported_at)));
    assert.deepEqual(exp.json.identities.map((i: Json) => i.id), ["device:laptop"]);
    assert.deepEqual(exp.json.revocations, []);
    assertError(
      await s.req("GET", "/v1/admin/trust/catalog/export", { key: admin }),
      400,
      "INVALID_INPUT",
      /catalog_id/,
    );

    const alice = await newKey();
    const catalog = {
      catalog_id: "partner",
      label: "Partner",
      exported_at: "2026-01-01T00:00:00Z",
      identities: [
        { id: "author:alice", kind: "author", label: "Alice", public_key: alice },
        { id: "device:laptop", kind: "device", label: "theirs", public_key: await newKey() },
      ],
      revocations: [],
    };
    const imp = await s.req("POST", "/v1/admin/trust/catalog/import", {
      key: admin,
      body: { catalog },
    });
    assert.equal(imp.status, 200, imp.text);
    assert.equal(imp.json.catalog_id, "partner");
    assert.equal(imp.json.label, "Partner");
    assert.equal(imp.json.exported_at, "2026-01-01T00:00:00Z");
    assert.equal(imp.json.identity_count, 1);
    assert.equal(imp.json.revocation_count, 0);
    assert.equal(imp.json.skipped_local_conflicts, 1);

    // importing the same catalog again replaces its entries (alice gone, bob in)
    const bob = await newKey();
    const again = await s.req("POST", "/v1/admin/trust/catalog/import", {
      key: admin,
      body: {
        catalog: {
          ...catalog,
          identities: [{ id: "author:bob", kind: "author", label: "Bob", public_key: bob }],
        },
      },
    });
    assert.equal(again.json.identity_count, 1);
    const fabric = (await s.req("GET", "/v1/admin/trust/fabric", { key: admin })).json;
    const ids = fabric.identities.map((i: Json) => i.id);
    assert.ok(ids.includes("author:bob") && !ids.includes("author:alice"), ids.join());
    const laptop = fabric.identities.find((i: Json) => i.id === "device:laptop");
    assert.equal(laptop.public_key, mine, "the local identity was kept");
    assert.equal(fabric.catalogs.length, 1);
    assertError(
      await s.req("POST", "/v1/admin/trust/catalog/import", {
        key: admin,
        body: { catalog: { label: "no id" } },
      }),
      400,
      "INVALID_INPUT",
      /catalog_id/,
    );
  });
});

Deno.test("/v1/admin/trust/sign and verify: an Ed25519 sidecar anyone can check", async () => {
  await withServer(async (s) => {
    const admin = await s.key("admin", ["proj"]);
    const signed = await s.req("POST", "/v1/admin/trust/sign", {
      key: admin,
      body: `{"kind":"passport","artifact":${PASSPORT}}`,
    });
    assert.equal(signed.status, 200, signed.text);
    const sc = signed.json;
    assert.equal(sc.scheme, "memoryoss.ed25519.v1");
    assert.equal(sc.kind, "device");
    assert.match(sc.subject, /^passport:[0-9a-f]{64}$/);
    assert.equal(sc.identity, `device:${(await sha256(fromHex(sc.public_key))).slice(0, 16)}`);
    assert.deepEqual(sc.chain, [{
      identity: sc.identity,
      kind: "device",
      action: "sign",
      at: sc.signed_at,
    }]);
    const pub = await crypto.subtle.importKey("raw", fromHex(sc.public_key), "Ed25519", false, [
      "verify",
    ]);
    const message = sorted({
      identity: sc.identity,
      identity_kind: "device",
      scheme: sc.scheme,
      signed_at: sc.signed_at,
      subject: sc.subject,
    });
    assert.ok(
      await crypto.subtle.verify(
        "Ed25519",
        pub,
        fromHex(sc.value),
        new TextEncoder().encode(message),
      ),
      "the value verifies under the public key it carries",
    );

    const verify = (artifact: string, signature: unknown, kind = "passport") =>
      s.req("POST", "/v1/admin/trust/verify", {
        key: admin,
        body: `{"kind":"${kind}","artifact":${artifact}${
          signature === undefined ? "" : `,"signature":${JSON.stringify(signature)}`
        }}`,
      });
    const ok = await verify(PASSPORT, sc);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.status, "trusted");
    assert.equal(ok.json.verified, true);
    assert.equal(ok.json.signature_valid, true);

    assert.equal((await verify(PASSPORT, undefined)).json.status, "unsigned");
    const forged = {
      ...sc,
      value: sc.value.replace(/^./, (ch: string) => (ch === "0" ? "1" : "0")),
    };
    const bad = await verify(PASSPORT, forged);
    assert.equal(bad.json.status, "invalid_signature");
    assert.equal(bad.json.verified, false);

    // revoking this home's identity: verify says revoked, signing is refused
    const rev = await s.req("POST", "/v1/admin/trust/revoke", {
      key: admin,
      body: { id: sc.identity, reason: "rotating" },
    });
    assert.equal(rev.status, 200, rev.text);
    assert.equal((await verify(PASSPORT, sc)).json.status, "revoked");
    assertError(
      await s.req("POST", "/v1/admin/trust/sign", {
        key: admin,
        body: `{"kind":"passport","artifact":${PASSPORT}}`,
      }),
      403,
      "FORBIDDEN",
      /revoked/,
    );

    const tampered = PASSPORT.replace("staging signoff", "staging sign-off");
    assertError(await verify(tampered, sc), 400, "INTEGRITY");
    assertError(
      await s.req("POST", "/v1/admin/trust/sign", {
        key: admin,
        body: { kind: "sync_peer", artifact: { peer_id: "p1" } },
      }),
      400,
      "INVALID_INPUT",
      /namespace/,
    );
    assertError(
      await s.req("POST", "/v1/admin/trust/sign", {
        key: admin,
        body: { kind: "nope", artifact: {} },
      }),
      400,
      "INVALID_INPUT",
      /kind/,
    );
  });
});
