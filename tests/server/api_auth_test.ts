/**
 * HTTP API auth: API keys (hashed, constant-time), JWTs from /v1/auth/token (HS256, expiry),
 * missing / forged / expired credentials, key rotation and revocation, minted tokens, and the
 * first-start admin key file.
 */
import assert from "node:assert/strict";
import { tempRuntime } from "../_support/runtime.ts";
import {
  adminKeyPath,
  ensureAdminKey,
  importJwtKey,
  keyIdFor,
  signJwt,
} from "../../lib/auth/mod.ts";
import { assertError, countIn, withServer } from "./_api_support.ts";

const now = () => Math.floor(Date.now() / 1000);

Deno.test("api auth: missing, malformed, forged and expired credentials are 401 and store nothing", async () => {
  await withServer(async (s) => {
    const body = { content: "should never be stored" };
    const writerKey = await s.key("writer", ["a"]);
    const keyId = await keyIdFor(writerKey);
    const good = await importJwtKey(s.secret);
    const other = await importJwtKey(crypto.getRandomValues(new Uint8Array(32)));
    const claims = {
      sub: keyId,
      kid: keyId,
      role: "writer",
      namespace: "a",
      namespaces: ["a"],
      iat: now(),
      exp: now() + 600,
      iss: "memoryoss",
      aud: "memoryoss",
    };
    const b64 = (o: unknown) =>
      btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const cases: [string, Record<string, string>, RegExp][] = [
      ["no header", {}, /missing credentials/],
      ["basic auth", { authorization: "Basic dXNlcjpwYXNz" }, /malformed Authorization/],
      ["unknown key", { authorization: "Bearer ek_not-a-real-key" }, /invalid API key/],
      [
        "forged token (other secret)",
        { authorization: `Bearer ${await signJwt(other, claims)}` },
        /invalid token signature/,
      ],
      [
        "expired token",
        {
          authorization: `Bearer ${await signJwt(good, {
            ...claims,
            iat: now() - 7200,
            exp: now() - 1,
          })}`,
        },
        /token expired/,
      ],
      [
        "token without expiry",
        { authorization: `Bearer ${await signJwt(good, { ...claims, exp: undefined })}` },
        /no expiry/,
      ],
      [
        "wrong audience",
        { authorization: `Bearer ${await signJwt(good, { ...claims, aud: "other" })}` },
        /audience/,
      ],
      [
        "alg none",
        { authorization: `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.` },
        /HS256 only/,
      ],
      [
        "token claiming more than its key",
        {
          authorization: `Bearer ${await signJwt(good, {
            ...claims,
            role: "admin",
          })}`,
        },
        /exceeds/,
      ],
    ];
    for (const [name, headers, msg] of cases) {
      const r = await s.req("POST", "/v1/store", { headers, body });
      assertError(r, 401, "UNAUTHORIZED", msg);
      assert.match(r.headers.get("www-authenticate") ?? "", /Bearer/, name);
    }
    assert.equal(countIn(s.rt, "a"), 0);
    assert.equal(countIn(s.rt, "default"), 0);
    // /health needs nothing; /metrics needs a credential.
    assert.equal((await s.req("GET", "/health")).status, 200);
    assertError(await s.req("GET", "/metrics"), 401, "UNAUTHORIZED");
  });
});

Deno.test("api auth: /v1/auth/token exchanges a key for an HS256 JWT that works like the key", async () => {
  await withServer(async (s) => {
    const key = await s.key("writer", ["a"]);
    const t = await s.req("POST", "/v1/auth/token", { body: { api_key: key } });
    assert.equal(t.status, 200, t.text);
    assert.equal(t.json.expires_in, 3600);
    assert.equal(t.json.token_type, "Bearer");
    assert.equal(t.json.namespace, "a");
    const [h, p] = t.json.token.split(".").slice(0, 2).map((x: string) =>
      JSON.parse(atob(x.replace(/-/g, "+").replace(/_/g, "/")))
    );
    assert.deepEqual(h, { alg: "HS256", typ: "JWT" });
    assert.equal(p.iss, "memoryoss");
    assert.equal(p.aud, "memoryoss");
    assert.equal(p.role, "writer");
    assert.equal(p.sub, await keyIdFor(key));
    assert.equal(p.exp - p.iat, 3600);
    const stored = await s.req("POST", "/v1/store", {
      key: t.json.token,
      body: { content: "stored with a token", tags: ["jwt"] },
    });
    assert.equal(stored.status, 200, stored.text);
    assert.equal(s.rt.store.getById(stored.json.id)!.record.source_key, await keyIdFor(key));
    const recalled = await s.req("POST", "/v1/recall", {
      key: t.json.token,
      body: { query: "stored with a token" },
    });
    assert.equal(recalled.json.memories[0].memory.id, stored.json.id);
    assertError(
      await s.req("POST", "/v1/auth/token", { body: { api_key: "ek_wrong" } }),
      401,
      "UNAUTHORIZED",
      /invalid API key/,
    );
    assertError(
      await s.req("POST", "/v1/auth/token", { body: {} }),
      400,
      "INVALID_INPUT",
      /api_key/,
    );
  });
});

Deno.test("api auth: keys are stored as SHA-256 digests only, never in the clear", async () => {
  await withServer(async (s) => {
    const key = await s.key("reader", ["a"]);
    const rows = s.rt.store.db.prepare("SELECT key_id, hash FROM api_keys").all() as {
      key_id: string;
      hash: string;
    }[];
    assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash)));
    const dump = JSON.stringify(s.rt.store.db.prepare("SELECT * FROM api_keys").all());
    assert.ok(!dump.includes(key));
    assert.ok(!dump.includes(s.admin));
    const listed = await s.req("GET", "/v1/admin/keys", { key: s.admin });
    assert.ok(!listed.text.includes(key));
    assert.ok(!listed.text.includes(rows[0].hash));
    assert.ok(!s.logs.join("\n").includes(key));
  });
});

Deno.test("api auth: create, rotate (grace), revoke; the last owner key cannot be revoked", async () => {
  await withServer(async (s) => {
    const made = await s.req("POST", "/v1/admin/keys", {
      key: s.admin,
      body: { role: "writer", namespaces: ["team"], label: "ci" },
    });
    assert.equal(made.status, 201, made.text);
    assert.match(made.json.key, /^ek_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(made.json.namespaces, ["team"]);
    const k1 = made.json.key;
    assert.equal(
      (await s.req("POST", "/v1/store", { key: k1, body: { content: "one", namespace: "team" } }))
        .status,
      200,
    );
    // Rotate with a grace period: both keys work; the old one is "retired".
    const rot = await s.req("POST", "/v1/admin/keys/rotate", {
      key: s.admin,
      body: { key_id: made.json.key_id, grace_period_secs: 3600 },
    });
    assert.equal(rot.status, 200, rot.text);
    assert.equal(rot.json.rotated, true);
    assert.equal(rot.json.previous_key_id, made.json.key_id);
    const k2 = rot.json.key;
    for (const k of [k1, k2]) {
      const r = await s.req("POST", "/v1/recall", { key: k, body: { query: "one" } });
      assert.equal(r.status, 200, r.text);
    }
    const list = await s.req("GET", "/v1/admin/keys", { key: s.admin });
    assert.equal(list.json.retired_keys.length, 1);
    assert.equal(list.json.retired_keys[0].id, made.json.key_id);
    assertError(
      await s.req("POST", "/v1/admin/keys/rotate", {
        key: s.admin,
        body: { key_id: made.json.key_id },
      }),
      409,
      "CONFLICT",
      /already rotated/,
    );
    // Rotate with no grace: the old key stops at once; its tokens too.
    const tok = await s.req("POST", "/v1/auth/token", { body: { api_key: k2 } });
    const rot2 = await s.req("POST", "/v1/admin/keys/rotate", {
      key: s.admin,
      body: { key_id: rot.json.key_id, grace_period_secs: 0 },
    });
    assertError(
      await s.req("POST", "/v1/recall", { key: k2, body: { query: "one" } }),
      401,
      "UNAUTHORIZED",
      /expired/,
    );
    assertError(
      await s.req("POST", "/v1/recall", { key: tok.json.token, body: { query: "one" } }),
      401,
      "UNAUTHORIZED",
    );
    // Revoke: key and its tokens stop.
    const k3 = rot2.json.key;
    const tok3 = await s.req("POST", "/v1/auth/token", { body: { api_key: k3 } });
    const del = await s.req("DELETE", `/v1/admin/keys/${rot2.json.key_id}`, { key: s.admin });
    assert.deepEqual(del.json, { revoked: true, key_id: rot2.json.key_id });
    for (const k of [k3, tok3.json.token]) {
      assertError(
        await s.req("POST", "/v1/recall", { key: k, body: { query: "one" } }),
        401,
        "UNAUTHORIZED",
      );
    }
    assertError(
      await s.req("DELETE", "/v1/admin/keys/0123456789abcdef", { key: s.admin }),
      404,
      "NOT_FOUND",
    );
    const ownerId = await keyIdFor(s.admin);
    assertError(
      await s.req("DELETE", `/v1/admin/keys/${ownerId}`, { key: s.admin }),
      409,
      "CONFLICT",
      /last owner key/,
    );
  });
});

Deno.test("api auth: /v1/admin/tokens mints narrower tokens only", async () => {
  await withServer(async (s) => {
    const adminA = await s.key("admin", ["a", "a2"]);
    const minted = await s.req("POST", "/v1/admin/tokens", {
      key: adminA,
      body: { role: "reader", namespace: "a", expires_in_secs: 600 },
    });
    assert.equal(minted.status, 200, minted.text);
    assert.equal(minted.json.role, "reader");
    assert.equal(minted.json.namespace, "a");
    assert.equal(minted.json.sub, "scoped:a");
    assert.equal(minted.json.expires_in, 600);
    const t = minted.json.token;
    assert.equal((await s.req("POST", "/v1/recall", { key: t, body: { query: "x" } })).status, 200);
    assertError(
      await s.req("POST", "/v1/store", { key: t, body: { content: "x" } }),
      403,
      "FORBIDDEN",
      /writer role/,
    );
    assertError(
      await s.req("POST", "/v1/recall", { key: t, body: { query: "x", namespace: "a2" } }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    assertError(
      await s.req("POST", "/v1/admin/tokens", {
        key: adminA,
        body: { role: "admin", namespace: "b" },
      }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    assertError(
      await s.req("POST", "/v1/admin/tokens", {
        key: adminA,
        body: { role: "reader", namespaces: "*" },
      }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    const writer = await s.key("writer", ["a"]);
    assertError(
      await s.req("POST", "/v1/admin/tokens", { key: writer, body: { role: "reader" } }),
      403,
      "FORBIDDEN",
      /admin role/,
    );
  });
});

Deno.test("api auth: the first start creates one owner key, saved 0600, and never again", async () => {
  await using t = await tempRuntime();
  const first = await ensureAdminKey(t.rt.store, t.home);
  assert.equal(first.created, true);
  assert.match(first.key!, /^ek_/);
  assert.equal(first.path, adminKeyPath(t.home));
  assert.equal((await Deno.readTextFile(first.path)).trim(), first.key);
  if (Deno.build.os !== "windows") assert.equal((await Deno.stat(first.path)).mode! & 0o777, 0o600);
  const again = await ensureAdminKey(t.rt.store, t.home);
  assert.equal(again.created, false);
  assert.equal(again.key, undefined);
  assert.equal((await Deno.readTextFile(first.path)).trim(), first.key);
});

Deno.test("api auth: per-key rate limit answers 429 with Retry-After", async () => {
  await withServer(async (s) => {
    const key = await s.key("reader", ["a"]);
    const other = await s.key("reader", ["a"]);
    const codes: number[] = [];
    let limited;
    for (let i = 0; i < 8; i++) {
      const r = await s.req("POST", "/v1/recall", { key, body: { query: "x" } });
      codes.push(r.status);
      if (r.status === 429) limited = r;
    }
    assert.deepEqual(codes.slice(0, 5), [200, 200, 200, 200, 200]);
    assert.ok(limited, `no 429 in ${codes}`);
    assertError(limited, 429, "RATE_LIMITED", /rate limit exceeded/);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    assert.ok(limited.json.error.retry_after_ms > 0);
    // Another key has its own bucket.
    assert.equal(
      (await s.req("POST", "/v1/recall", { key: other, body: { query: "x" } })).status,
      200,
    );
  }, { server: { rateLimitPerSec: 5 } });
});
