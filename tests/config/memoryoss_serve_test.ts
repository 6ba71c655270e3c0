/**
 * `memoryoss serve` on a memoryOSS user's config, dropped into the home unchanged: it starts,
 * names each key without effect once on stderr, stores under `data_dir`, and the config's
 * API keys, JWT secret and expiry, and JSON logging work as memoryOSS documents them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type ReqOpts, request as send, spawnServe } from "../server/_api_support.ts";
import { opensslFingerprint, opensslSelfSigned } from "../server/_tls_support.ts";
import { assertExit, cli, withHome } from "../cli/_helpers.ts";
import { FIXTURE, FIXTURE_SECRETS, WARNED } from "./_compat_support.ts";

const ADMIN = "ek_compat_admin_key_0123456789abcdef";
const READER = "ek_compat_reader_key_0123456789abcdef";
const JWT_SECRET = "compat-jwt-secret-0123456789abcdef-0123456789";

function b64url(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** HS256 check written from RFC 7515, with the secret from the fixture. */
async function verifyHs256(token: string, secret: string): Promise<Record<string, unknown>> {
  const [h, p, s] = token.split(".");
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const ok = await crypto.subtle.verify(
    "HMAC",
    key,
    b64url(s),
    new TextEncoder().encode(`${h}.${p}`),
  );
  assert.ok(ok, "token signed with [auth] jwt_secret");
  return JSON.parse(new TextDecoder().decode(b64url(p)));
}

Deno.test("serve: memoryOSS's config starts as is; keys, JWT and logging come from it", async () => {
  await withHome(async (home) => {
    await copyFixtureLocalKey(join(home, "memoryoss.toml"));
    // The fixture's [tls] names certs/server.crt and certs/server.key (relative: the home).
    const made = await opensslSelfSigned(
      join(home, "certs", "server.crt"),
      join(home, "certs", "server.key"),
    );
    const client = Deno.createHttpClient({ caCerts: [made.cert] });
    const request = (u: string, m: string, o: ReqOpts = {}) => send(u, m, { ...o, client });
    const child = await spawnServe(home);
    let stopped = false;
    try {
      const url = child.url;
      assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const stored = await request(`${url}/v1/store`, "POST", {
        key: ADMIN,
        body: { content: "The staging deploy needs a sign-off from ops." },
      });
      assert.equal(stored.status, 200, stored.text);
      // The reader key is confined to its namespace and may not write.
      const readOther = await request(`${url}/v1/memories?namespace=default`, "GET", {
        key: READER,
      });
      assert.equal(readOther.status, 403, readOther.text);
      const write = await request(`${url}/v1/store`, "POST", {
        key: READER,
        body: { content: "A reader cannot store this." },
      });
      assert.equal(write.status, 403, write.text);
      assert.equal(
        (await request(`${url}/v1/memories`, "GET", { key: "ek_not_a_key_0000" })).status,
        401,
      );

      const tok = await request(`${url}/v1/auth/token`, "POST", { body: { api_key: ADMIN } });
      assert.equal(tok.status, 200, tok.text);
      const claims = await verifyHs256(tok.json.token, JWT_SECRET);
      assert.equal((claims.exp as number) - (claims.iat as number), 7200, "jwt_expiry_secs");
      assert.equal(claims.role, "admin");
      assert.equal(claims.namespace, "default");
      const listed = await request(`${url}/v1/memories`, "GET", { key: tok.json.token });
      assert.equal(listed.status, 200, listed.text);
      assert.equal(listed.json.memories.length, 1);
    } finally {
      client.close();
      const st = await child.kill("SIGTERM");
      stopped = st.code === 0;
    }
    assert.ok(stopped, "serve exits 0 on SIGTERM");
    const [out, err] = [await child.stdout(), await child.stderr()];
    // Each key without effect is named on exactly one line.
    const warnings = err.split("\n").filter((l) => l.startsWith("warning: "));
    assert.equal(warnings.length, WARNED.length, warnings.join("\n"));
    for (const key of WARNED) {
      assert.equal(warnings.filter((l) => l.startsWith(`warning: ${key}: `)).length, 1, key);
    }
    for (const s of FIXTURE_SECRETS) assert.ok(!out.includes(s) && !err.includes(s), s);
    assert.match(out, /API keys required \(2 in the config's \[\[auth\.api_keys\]\]\)/);
    const fp = await opensslFingerprint(join(home, "certs", "server.crt"));
    assert.ok(out.includes(`\n  ${fp}\n`), `the configured certificate's fingerprint:\n${out}`);
    assert.equal(await Deno.stat(join(home, "admin.key")).catch(() => null), null, "no owner key");
    assert.ok((await Deno.stat(join(home, "data", "memoryoss.db"))).isFile, "db under data_dir");
    // [logging] json = true: the access log is one JSON object per line.
    const logs = err.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const store = logs.find((l) => / POST \/v1\/store 200 /.test(l.msg));
    assert.ok(store, err);
    assert.equal(store.level, "info");
    assert.ok(!Number.isNaN(Date.parse(store.ts)));
  });
});

Deno.test("serve: memoryOSS's config without its cert files refuses to start, exit 3", async () => {
  // memoryOSS reads cert_path/key_path when both are set and fails when they are missing;
  // auto_generate only applies when neither is set. So does memoryoss.
  await withHome(async (home) => {
    await copyFixtureLocalKey(join(home, "memoryoss.toml"));
    const r = await cli(home, "serve", "--port", "0");
    assertExit(r, 3);
    const errors = r.stderr.split("\n").filter((l) => l && !l.startsWith("warning: "));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0], /tls\.cert_path .*certs\/server\.crt: cannot read \(no such file\)/);
    assert.equal(await Deno.stat(join(home, "tls-cert.pem")).catch(() => null), null);
  });
});

/**
 * The fixture with `[encryption] provider = "local"`: its "vault" provider now really calls
 * Vault (at 127.0.0.1:8200, not running here); tests/crypto/vault_test.ts covers it with a
 * fake Vault.
 */
async function copyFixtureLocalKey(to: string): Promise<void> {
  const text = await Deno.readTextFile(FIXTURE);
  await Deno.writeTextFile(to, text.replace('provider = "vault"', 'provider = "local"'));
}
