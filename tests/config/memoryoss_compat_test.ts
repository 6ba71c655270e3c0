/**
 * A memoryOSS user's config loads as is (issue 19, item 1). The fixture holds every key of
 * memoryOSS's config (spec §7.1), written by hand; what each key becomes here is written by
 * hand below from the same spec and docs/proxy.md's "Coming from memoryOSS" table.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { isSecretKey, parseConfigNotes } from "../../lib/config/mod.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";
import { assertExit, cli, cliWith, type Json, show, withHome } from "../cli/_helpers.ts";
import { FIXTURE, FIXTURE_SECRETS, WARNED } from "./_compat_support.ts";

/** Keys whose value asks for what memoryoss does anyway (no warning). */
const MATCHING = [
  "encryption.key_id", // only read by memoryOSS's aws_kms provider; the fixture uses vault
  "encryption.region",
  "trust.threshold", // 0.3, our fixed low-trust threshold
  "proxy.privacy_mode", // true: metadata-only logs
  "proxy.identifier_first_routing", // true
  "proxy.primitive_algebra", // false
  "proxy.memory_coprocessor", // "local_heuristic"
];

Deno.test("memoryOSS config: every key is mapped, matched or named as without effect", async () => {
  const { config, notes } = parseConfigNotes(await Deno.readTextFile(FIXTURE), "fixture");
  const of = (kind: string) => notes.filter((n) => n.kind === kind).map((n) => n.key).sort();
  assert.deepEqual(of("ignored"), [...WARNED].sort());
  assert.deepEqual(of("matches"), [...MATCHING].sort());
  assert.deepEqual(of("mapped"), ["storage.data_dir", "trust.semantic_dedup_threshold"]);
  // Mapped to our spelling, values from the fixture.
  assert.equal(config.storage.path, join("data", "memoryoss.db"));
  assert.equal(config.recall.semantic_dedup_threshold, 0.95);
  assert.deepEqual(config.auth.api_keys, [
    { key: "ek_compat_admin_key_0123456789abcdef", role: "admin", namespace: "default" },
    { key: "ek_compat_reader_key_0123456789abcdef", role: "reader", namespace: "team-a" },
  ]);
  assert.equal(config.auth.jwt_expiry_secs, 7200);
  assert.equal(config.auth.jwt_secret, "compat-jwt-secret-0123456789abcdef-0123456789");
  assert.equal(config.logging.json, true);
  assert.equal(config.limits.max_content_bytes, 32768);
  assert.equal(config.proxy.passthrough_auth, true);
  assert.equal(config.proxy.default_memory_mode, "readonly");
  assert.equal(config.proxy.key_mapping[0].proxy_key, "ek_compat_admin_key_0123456789abcdef");
  assert.equal(config.proxy.model_context_sizes["gpt-4o"], 128000);
  // [tls] and [sharing] are honoured as written (memoryOSS spec §7.1 spelling).
  assert.deepEqual(config.tls, {
    enabled: true,
    auto_generate: true,
    cert_path: "certs/server.crt",
    key_path: "certs/server.key",
  });
  assert.deepEqual(config.sharing, {
    enabled: true,
    allow_private_webhooks: false,
    max_grants: 100,
    max_shared_namespaces: 10,
  });
  // No effect: what memoryoss does instead.
  assert.equal(config.embeddings.provider, "builtin");
  assert.equal(config.encryption.enabled, true, "still sealed, with the local key file");
});

Deno.test("memoryOSS config: wrong types and typos name the key path", () => {
  const cases: [string, RegExp][] = [
    ['[storage]\ndata_dri = "data"\n', /^f\.toml: storage\.data_dri: unknown key$/],
    ["[tls]\nenabeld = true\n", /^f\.toml: tls\.enabeld: unknown key$/],
    ['[tls]\nenabled = "yes"\n', /^f\.toml: tls\.enabled: .*boolean/],
    ["[storage]\ndata_dir = 5\n", /^f\.toml: storage\.data_dir: .*string/],
    ['[encryption]\nprovider = "rot13"\n', /^f\.toml: encryption\.provider: /],
    ['[auth]\njwt_secret = "short"\n', /^f\.toml: auth\.jwt_secret: .*32 characters/],
    ['[[auth.api_keys]]\nkey = "ek_long_enough_1"\nrole = "root"\n', /auth\.api_keys\.0\.role/],
    ["tls = 1\n", /^f\.toml: tls: .*expected object/],
    [
      '[tls]\nenabled = true\ncert_path = "a.pem"\n',
      /^f\.toml: tls\.cert_path: tls\.cert_path and tls\.key_path must be set together$/,
    ],
    [
      '[tls]\nenabled = true\nkey_path = "k.pem"\n',
      /tls\.cert_path and tls\.key_path must be set together/,
    ],
    [
      '[sharing]\nallow_private_webhooks = "yes"\n',
      /^f\.toml: sharing\.allow_private_webhooks: .*boolean/,
    ],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => parseConfigNotes(text, "f.toml"), (e: unknown) => {
      assert.ok(e instanceof MemoryossError, String(e));
      assert.equal(e.code, "INVALID_CONFIG");
      assert.match(e.message, re);
      return true;
    });
  }
});

Deno.test("memoryOSS config: a value that asks for what memoryoss does is quiet", () => {
  const quiet = parseConfigNotes(
    "[tls]\nenabled = false\nauto_generate = true\n[server]\nhybrid_mode = false\ncore_port = 8001\n" +
      '[encryption]\nprovider = "local"\nvault_token = "x"\n[sharing]\nenabled = false\nmax_grants = 5\n',
    "q.toml",
  );
  assert.deepEqual(quiet.notes.filter((n) => n.kind === "ignored"), []);
  // Both spellings: ours wins and the memoryOSS key says so.
  const both = parseConfigNotes('[storage]\npath = "x.db"\ndata_dir = "data"\n', "b.toml");
  assert.equal(both.config.storage.path, "x.db");
  assert.match(both.notes[0].why!, /storage\.path is set/);
  assert.equal(parseConfigNotes('[logging]\nlevel = "trace"\n', "t").config.logging.level, "debug");
});

Deno.test("memoryOSS config: [tls] without enabled says it serves plain HTTP", () => {
  // memoryOSS turns TLS on when tls.enabled is absent (spec §7.1); memoryoss does not.
  const r = parseConfigNotes(
    '[tls]\nauto_generate = true\ncert_path = "c.pem"\nkey_path = "k.pem"\n',
    "t",
  );
  assert.equal(r.config.tls.enabled, false);
  assert.equal(r.config.tls.cert_path, "c.pem");
  assert.deepEqual(r.notes.map((n) => n.key).sort(), [
    "tls.auto_generate",
    "tls.cert_path",
    "tls.key_path",
  ]);
  for (const n of r.notes) assert.match(n.why!, /tls\.enabled is not set.*plain HTTP/);
  // With enabled given, either way, nothing to say.
  for (const on of ["true", "false"]) {
    const quiet = parseConfigNotes(`[tls]\nenabled = ${on}\nauto_generate = false\n`, "t");
    assert.deepEqual(quiet.notes, []);
    assert.equal(quiet.config.tls.auto_generate, false);
  }
});

Deno.test("config: secret keys of both spellings are masked", () => {
  for (const k of ["jwt_secret", "audit_hmac_secret", "key", "vault_token", "extract_api_key"]) {
    assert.ok(isSecretKey(k), k);
  }
  for (const k of ["key_id", "vault_key_name", "role", "namespace", "api_key_env"]) {
    assert.ok(!isSecretKey(k), k);
  }
});

Deno.test("serve: a typo in a memoryOSS config fails with its path, exit 3", async () => {
  await withHome(async (home) => {
    const text = (await Deno.readTextFile(FIXTURE)).replace("data_dir =", "data_dri =");
    await Deno.writeTextFile(join(home, "memoryoss.toml"), text);
    const r = await cli(home, "serve", "--port", "0");
    assertExit(r, 3);
    assert.match(r.stderr, /storage\.data_dri: unknown key/);
    assert.equal(r.stderr.trim().split("\n").length, 1, show(r));
  });
});

Deno.test("config show: the memoryOSS config's secrets are masked, warnings on stderr", async () => {
  await withHome(async (home) => {
    for (const args of [["config", "show"], ["config", "show", "--json"]]) {
      const r = await cli(home, "-c", FIXTURE, ...args);
      assertExit(r, 0);
      for (const s of FIXTURE_SECRETS) {
        assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `${args.join(" ")}: ${s}`);
      }
      assert.match(r.stderr, /^warning: tls\.client_ca_path: no effect: .*no mTLS/m);
      assert.ok(!/^warning: tls\.(enabled|auto_generate|cert_path|key_path)/m.test(r.stderr));
    }
    const j: Json = (await cli(home, "-c", FIXTURE, "config", "show", "--json")).json();
    assert.equal(j.config.auth.jwt_secret, "***");
    assert.equal(j.config.auth.audit_hmac_secret, "***");
    assert.equal(j.config.auth.api_keys[0].key, "***");
    assert.equal(j.config.auth.api_keys[0].role, "admin");
    assert.equal(j.config.auth.api_keys[1].namespace, "team-a");
    assert.equal(j.db_path, join(home, "data", "memoryoss.db"));
  });
});

Deno.test("config migrate: our spelling, no warnings when loaded, secrets only in the file", async () => {
  await withHome(async (home) => {
    const printed = await cli(home, "config", "migrate", FIXTURE);
    assertExit(printed, 0);
    for (const s of FIXTURE_SECRETS) assert.ok(!printed.stdout.includes(s), s);
    assert.match(printed.stdout, /^# {3}storage\.data_dir -> storage\.path$/m);
    assert.match(printed.stdout, /^# {3}tls\.client_ca_path: no effect/m);
    assert.match(printed.stderr, /-o OUT/);

    const out = join(home, "migrated.toml");
    const wrote = await cli(home, "config", "migrate", FIXTURE, "-o", out);
    assertExit(wrote, 0);
    if (Deno.build.os !== "windows") assert.equal((await Deno.stat(out)).mode! & 0o777, 0o600);
    const text = await Deno.readTextFile(out);
    assert.ok(!/^\[(decay|setup|trust|decompose|consolidation)\]/m.test(text), text);
    assert.ok(!/^client_ca_path/m.test(text), text);
    assert.ok(!/^data_dir/m.test(text), text);

    const shown = await cliWith(home, {}, "-c", out, "config", "show", "--json", "--show-secrets");
    assertExit(shown, 0);
    assert.equal(shown.stderr, "", "the migrated config loads without a warning");
    const c: Json = shown.json().config;
    assert.equal(c.storage.path, join("data", "memoryoss.db"));
    assert.equal(c.recall.semantic_dedup_threshold, 0.95);
    assert.equal(c.auth.api_keys[1].key, "ek_compat_reader_key_0123456789abcdef");
    assert.equal(c.auth.jwt_expiry_secs, 7200);
    assert.equal(c.proxy.key_mapping[0].upstream_key, "sk-compat-mapped-upstream-key");
    assert.equal(c.logging.json, true);
    assert.equal(c.tls.enabled, true);
    assert.equal(c.tls.cert_path, "certs/server.crt");

    const again = await cli(home, "config", "migrate", FIXTURE, "-o", out);
    assertExit(again, 3); // never overwrites
    assert.match(again.stderr, /already exists/);
  });
});

Deno.test("bundle export --sign hmac uses [auth] audit_hmac_secret", async () => {
  await withHome(async (home) => {
    const secret = "h".repeat(40);
    await Deno.writeTextFile(
      join(home, "memoryoss.toml"),
      `[auth]\naudit_hmac_secret = "${secret}"\n`,
    );
    assertExit(await cli(home, "store", "-n", "proj", "Deploys need a staging sign-off."), 0);
    const env = join(home, "b.json");
    const exp = await cli(home, "bundle", "export", "--sign", "hmac", "-n", "proj", "-o", env);
    assertExit(exp, 0);
    // Checked with the secret given the other way (memoryOSS's variable), in a home without it.
    await withHome(async (other) => {
      const ok = await cliWith(
        other,
        { env: { MEMORYOSS_AUDIT_HMAC_SECRET: secret } },
        "bundle",
        "validate",
        env,
        "--json",
      );
      assertExit(ok, 0);
      assert.equal(ok.json().trust.status, "hmac_verified");
      const wrong = await cliWith(
        other,
        { env: { MEMORYOSS_AUDIT_HMAC_SECRET: "w".repeat(40) } },
        "bundle",
        "validate",
        env,
      );
      assertExit(wrong, 5);
    });
  });
});
