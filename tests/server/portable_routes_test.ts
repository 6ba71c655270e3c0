/**
 * Portability routes on a real loopback server: roles and namespace isolation, exports equal
 * to the CLI's byte for byte, lossless artifact bodies, dry runs that write nothing, errors
 * with message and path, and the body size limit.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseJson, verify } from "../../lib/portable/mod.ts";
import { readConformance } from "../portable/_helpers.ts";
import { IDS, richRecords, run, seed, show } from "../portable/_support.ts";
import { assertError, countIn, type TestServer, withServer } from "./_api_support.ts";

/** Per-export values, masked so two exports of the same data compare byte for byte. */
const mask = (text: string) =>
  text
    .replace(/"(passport_id|bundle_id)": "[^"]+"/g, '"$1": "…"')
    .replace(/"(exported_at|signed_at|at)": "[^"]+"/g, '"$1": "…"')
    .replace(/"(payload_sha256|value)": "[0-9a-f]+"/g, '"$1": "…"');

async function keys(s: TestServer) {
  await seed(s.rt, await richRecords("proj"));
  return {
    reader: await s.key("reader", ["proj"]),
    writer: await s.key("writer", ["proj"]),
    outsider: await s.key("writer", ["other"]),
  };
}

Deno.test("portable routes: roles, namespaces, byte-exact exports, trust, history", async () => {
  await withServer(async (s) => {
    const k = await keys(s);
    const exp = await s.req("POST", "/v1/passport/export", {
      key: k.reader,
      body: { namespace: "proj", scope: "all" },
    });
    assert.equal(exp.status, 200, exp.text);
    assert.equal(exp.headers.get("content-type"), "application/json");
    assert.ok(verify(exp.text).ok, "the exported passport verifies");
    assert.match(exp.text, /"confidence": 1\.0,/, "integral floats keep their lexeme");

    const file = join(s.home, "cli.passport.json");
    const cli = await run(s.home, [
      "passport",
      "export",
      "-n",
      "proj",
      "--scope",
      "all",
      "-o",
      file,
    ]);
    assert.equal(cli.code, 0, show(cli));
    assert.equal(mask(exp.text), mask(await Deno.readTextFile(file)));
    const viaGet = await s.req("GET", "/v1/passport/export?namespace=proj&scope=all", {
      key: k.reader,
    });
    assert.equal(mask(viaGet.text), mask(exp.text), "memoryOSS spelling");

    assertError(await s.req("POST", "/v1/passport/export", { body: {} }), 401, "UNAUTHORIZED");
    assertError(
      await s.req("POST", "/v1/passport/export", { key: k.outsider, body: { namespace: "proj" } }),
      403,
      "FORBIDDEN_NAMESPACE",
    );

    // import: writer role; a dry run (the default) writes nothing
    const before = countIn(s.rt, "proj");
    const passport = JSON.parse(exp.text);
    assertError(
      await s.req("POST", "/v1/passport/import", { key: k.reader, body: { passport } }),
      403,
      "FORBIDDEN",
    );
    // the body is sent as text: `1.0` and key order survive to the integrity check
    const body = `{"namespace":"proj","passport":${exp.text}}`;
    const dry = await s.req("POST", "/v1/passport/import", { key: k.writer, body });
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.json.dry_run, true);
    assert.equal(dry.json.imported, false);
    assert.equal(dry.json.preview.merge_count, 7);
    assert.equal(countIn(s.rt, "proj"), before);
    assertError(
      await s.req("POST", "/v1/passport/import", {
        key: k.writer,
        body: { namespace: "other", passport: exp.text },
      }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    assert.equal(dry.json.trust.status, "unsigned", "a plan shows the trust status");
    // a bare passport is unsigned: writing it needs allow_untrusted
    const refused = await s.req("POST", "/v1/passport/import", {
      key: s.admin,
      body: `{"namespace":"copy","dry_run":false,"passport":${exp.text}}`,
    });
    assertError(refused, 403, "FORBIDDEN", /not trusted \(unsigned.*allow_untrusted: true/);
    assert.equal(countIn(s.rt, "copy"), 0);
    const applied = await s.req("POST", "/v1/passport/import", {
      key: s.admin,
      body: `{"namespace":"copy","dry_run":false,"allow_untrusted":true,"passport":${exp.text}}`,
    });
    assert.equal(applied.status, 200, applied.text);
    assert.equal(applied.json.imported, true);
    assert.equal(countIn(s.rt, "copy"), 7);
    const again = await s.req("POST", "/v1/passport/import", {
      key: s.admin,
      body: `{"namespace":"copy","mode":"apply","allow_untrusted":true,"bundle":${exp.text}}`,
    });
    assert.equal(again.json.preview.create_count, 0, "importing twice changes nothing");

    // signed bundle: export needs a reader of the namespace; preview/validate any role
    const env = await s.req("POST", "/v1/bundle/export", {
      key: k.reader,
      body: { kind: "passport", namespace: "proj" },
    });
    assert.equal(env.status, 200, env.text);
    assert.match(env.json.signature.signer, /^device:[0-9a-f]{16}$/);
    assert.match(env.json.signature.public_key, /^[0-9a-f]{64}$/);
    assertError(
      await s.req("POST", "/v1/bundle/export", {
        key: k.outsider,
        body: { kind: "history", id: IDS.c },
      }),
      404,
      "NOT_FOUND",
    );
    const hist = await s.req("POST", "/v1/bundle/export", {
      key: k.reader,
      body: { kind: "history", id: IDS.c, sign: "none" },
    });
    assert.equal(hist.json.kind, "history");
    const validate = await s.req("POST", "/v1/bundle/validate", {
      key: k.outsider,
      body: `{"bundle":${env.text}}`,
    });
    assert.equal(validate.status, 200, validate.text);
    assert.equal(validate.json.valid, true);
    assert.equal(validate.json.accepted, true);
    assert.equal(validate.json.trust.status, "trusted");
    const preview = await s.req("POST", "/v1/bundles/preview", {
      key: k.outsider,
      body: { bundle: env.text },
    });
    assert.equal(preview.json.kind, "bundle");
    assert.equal(preview.json.preview.memory_count, 6);
    assert.equal(preview.json.trust.status, "trusted");
    // the same view model as `reader open --format json` on the server's home
    const envFile = join(s.home, "env.json");
    await Deno.writeTextFile(envFile, env.text);
    const opened = await run(s.home, ["reader", "open", envFile, "--format", "json"]);
    assert.equal(opened.code, 0, show(opened));
    assert.deepEqual(preview.json, { ...opened.json(), source: preview.json.source });
    const tampered = env.text.replace("Releases ship on Tuesdays", "Releases ship on Sundays");
    const bad = await s.req("POST", "/v1/bundle/validate", {
      key: k.reader,
      body: { bundle: tampered },
    });
    assert.equal(bad.json.valid, false);
    assert.equal(bad.json.accepted, false);
    assert.equal(bad.json.exit_code, 3, "hashes not recomputed: an integrity failure");
    assert.equal(bad.json.trust.status, "invalid_signature");
    // a signature that does not verify: 403 from validate, preview and import (even a plan)
    const value = env.json.signature.value as string;
    const forged = env.text.replace(value, (value[0] === "0" ? "1" : "0") + value.slice(1));
    for (const path of ["/v1/bundle/validate", "/v1/bundles/validate", "/v1/bundle/preview"]) {
      const r = await s.req("POST", path, { key: k.reader, body: `{"bundle":${forged}}` });
      assertError(r, 403, "FORBIDDEN", /^signature does not verify/);
    }
    for (const mode of ["plan", "apply"]) {
      const r = await s.req("POST", "/v1/passport/import", {
        key: s.admin,
        body: `{"namespace":"forged","mode":"${mode}","allow_untrusted":true,"bundle":${forged}}`,
      });
      assertError(r, 403, "FORBIDDEN", /^signature does not verify/);
    }
    assert.equal(countIn(s.rt, "forged"), 0);
    // the server's own signed bundle is trusted: apply needs no allow_untrusted
    const own = await s.req("POST", "/v1/passport/import", {
      key: s.admin,
      body: `{"namespace":"signed","mode":"apply","bundle":${env.text}}`,
    });
    assert.equal(own.status, 200, own.text);
    assert.equal(own.json.trust.status, "trusted");
    assert.equal(countIn(s.rt, "signed"), 6);
    const strict = await s.req("POST", "/v1/bundle/validate", {
      key: k.reader,
      body: `{"require_trusted":true,"bundle":${exp.text}}`,
    });
    assertError(strict, 403, "FORBIDDEN", /not trusted \(unsigned/);

    // history: reader of the memory's namespace; 404 for everybody else
    const h = await s.req("GET", `/v1/history/${IDS.c}`, { key: k.reader });
    assert.equal(h.status, 200, h.text);
    assert.deepEqual(h.json.edges, [{ from: IDS.b, to: IDS.c, kind: "superseded_by" }]);
    assertError(await s.req("GET", `/v1/history/${IDS.c}`, { key: k.outsider }), 404, "NOT_FOUND");
    assertError(
      await s.req("GET", `/v1/history/${IDS.c}?namespace=other`, { key: k.reader }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    const hb = await s.req("GET", `/v1/history/${IDS.c}/bundle`, { key: k.reader });
    assert.ok(verify(hb.text).ok);
  });
});

Deno.test("portable routes: bad input is 400 with message and path; body size limit", async () => {
  await withServer(async (s) => {
    const k = await keys(s);
    const cases: [string, unknown, string, (string | number)[]][] = [
      ["/v1/passport/export", { scope: "galaxy" }, "INVALID_INPUT", ["scope"]],
      ["/v1/passport/export", { bogus: 1 }, "INVALID_INPUT", []],
      ["/v1/passport/import", { namespace: "proj" }, "INVALID_INPUT", ["passport"]],
      ["/v1/passport/import", { passport: "{not json" }, "INVALID_INPUT", ["passport"]],
      ["/v1/passport/import", { passport: {}, bundle: {} }, "INVALID_INPUT", ["bundle"]],
      ["/v1/passport/import", { passport: {}, dry_run: true, mode: "apply" }, "INVALID_INPUT", [
        "mode",
      ]],
      ["/v1/bundle/export", { kind: "history" }, "INVALID_INPUT", ["id"]],
      ["/v1/bundle/validate", { bundle: 5 }, "INVALID_INPUT", ["bundle"]],
      ["/v1/bundle/preview", {}, "INVALID_INPUT", ["bundle"]],
    ];
    for (const [path, body, code, where] of cases) {
      const r = await s.req("POST", path, { key: k.writer, body });
      assertError(r, 400, code);
      if (where.length) assert.deepEqual(r.json.error.path, where, `${path} ${r.text}`);
    }
    const unknownField = await s.req("POST", "/v1/passport/export", {
      key: k.reader,
      body: { bogus: 1 },
    });
    assert.match(unknownField.json.error.message, /unknown field 'bogus'/);
    assertError(
      await s.req("POST", "/v1/passport/import", { key: k.writer, body: "{nope" }),
      400,
      "INVALID_INPUT",
      /not valid JSON/,
    );
    // an artifact that fails its integrity check is refused with 400, even for a dry run
    const text = readConformance("fixtures/passport-bundle.json").replace(
      /"content": "/,
      '"content": "X',
    );
    const tampered = await s.req("POST", "/v1/passport/import", {
      key: k.writer,
      body: { namespace: "proj", passport: text },
    });
    assertError(tampered, 400, "INTEGRITY");
    // the published lexeme vector (1.0, integer-like keys) verifies when sent as an object
    const lex = readConformance("vectors/passport-lexemes.json");
    const ok = await s.req("POST", "/v1/passport/import", {
      key: k.writer,
      body: `{"namespace":"proj","passport":${lex}}`,
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.preview.integrity_valid, true);
    assert.ok(parseJson(lex));

    const big = `{"passport":"${"x".repeat(80 * 1024)}"}`;
    const tooLarge = await s.req("POST", "/v1/passport/import", { key: k.writer, body: big });
    assertError(tooLarge, 413, "PAYLOAD_TOO_LARGE");
    const tooLargeView = await s.req("POST", "/v1/bundle/validate", { key: k.reader, body: big });
    assertError(tooLargeView, 413, "PAYLOAD_TOO_LARGE");
    // the other routes still read their bodies as before
    const store = await s.req("POST", "/v1/store", {
      key: k.writer,
      body: { content: "Still works after the portable routes.", namespace: "proj" },
    });
    assert.equal(store.status, 200, store.text);
  }, { server: { maxBodyBytes: 64 * 1024 } });
});
