/**
 * memoryOSS routes added for drop-in compatibility, on a real loopback server: `/v1/source`,
 * `/v1/bundles/diff`, `/v1/history/replay`, `/v1/adapters/import|export`. Expected values are
 * written by hand from the spec (§2.2, §2.5, §5.4, §5.6) and the published conformance fixtures.
 */
import assert from "node:assert/strict";
import { readConformance } from "../portable/_helpers.ts";
import { assertError, countIn, withServer } from "./_api_support.ts";

const PASSPORT = readConformance("fixtures/passport-bundle.json");
const HISTORY = readConformance("fixtures/history-bundle.json");

Deno.test("GET /v1/source: the source offer without credentials", async () => {
  await withServer(async (s) => {
    const r = await s.req("GET", "/v1/source");
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json).sort(), ["license", "notice", "source"]);
    assert.match(r.json.source, /^https:\/\//);
    assert.equal(typeof r.json.license, "string");
    assertError(await s.req("GET", "/v1/source?x=1"), 400, "INVALID_INPUT", /unknown query/);
  });
});

Deno.test("POST /v1/bundles/diff: contents added/removed and changed header fields", async () => {
  await withServer(async (s) => {
    const reader = await s.key("reader", ["proj"]);
    const writer = await s.key("writer", ["proj"]);
    for (
      const content of [
        "Deploy API through /v1/proxy only after staging signoff.",
        "The gateway cache holds 512 entries per tenant.",
      ]
    ) {
      const st = await s.req("POST", "/v1/store", { key: writer, body: { content } });
      assert.equal(st.status, 200, st.text);
    }
    const right = await s.req("GET", "/v1/passport/export?namespace=proj&scope=project", {
      key: reader,
    });
    assert.equal(right.status, 200, right.text);
    const body = `{"left":${PASSPORT},"right":${right.text}}`;
    const d = await s.req("POST", "/v1/bundles/diff", { key: reader, body });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.same_kind, true);
    assert.deepEqual(d.json.changed_fields, ["namespace"]);
    assert.deepEqual(d.json.added_preview, ["The gateway cache holds 512 entries per tenant."]);
    assert.deepEqual(d.json.removed_preview, [
      "Review queue items stay candidate until an operator confirms them.",
    ]);
    assert.equal(d.json.shared_preview_count, 1);
    assert.equal(d.json.left.namespace, "demo");
    assert.equal(d.json.right.namespace, "proj");

    assertError(await s.req("POST", "/v1/bundles/diff", { body }), 401, "UNAUTHORIZED");
    assertError(
      await s.req("POST", "/v1/bundles/diff", { key: reader, body: { left: {} } }),
      400,
      "INVALID_INPUT",
      /right/,
    );
    assertError(
      await s.req("POST", "/v1/bundles/diff", { key: reader, body: { left: 1, right: 2 } }),
      400,
      "INVALID_INPUT",
      /left/,
    );
  });
});

Deno.test("POST /v1/history/replay: dry run, untrusted refusal, apply, non-empty target", async () => {
  await withServer(async (s) => {
    const reader = await s.key("reader", ["clean"]);
    const writer = await s.key("writer", ["clean"]);
    const body = (extra: string) => `{"namespace":"clean","bundle":${HISTORY}${extra}}`;

    const dry = await s.req("POST", "/v1/history/replay", {
      key: writer,
      body: body(',"dry_run":true'),
    });
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.json.dry_run, true);
    assert.deepEqual(dry.json.preview, {
      target_namespace: "clean",
      root_id: "33333333-3333-7333-8333-333333333333",
      integrity_valid: true,
      can_replay: true,
      create_count: 2,
      visible_count: 2,
    });
    assert.equal(countIn(s.rt, "clean"), 0, "a dry run writes nothing");

    assertError(
      await s.req("POST", "/v1/history/replay", { key: reader, body: body("") }),
      403,
      "FORBIDDEN",
    );
    // the fixture is unsigned: writing it takes an explicit allow_untrusted
    const refused = await s.req("POST", "/v1/history/replay", { key: writer, body: body("") });
    assert.equal(refused.status, 403, refused.text);
    assert.match(refused.json.error.message, /allow_untrusted: true/);
    assert.equal(countIn(s.rt, "clean"), 0);

    const applied = await s.req("POST", "/v1/history/replay", {
      key: writer,
      body: body(',"allow_untrusted":true'),
    });
    assert.equal(applied.status, 200, applied.text);
    assert.equal(applied.json.replayed, true);
    assert.equal(countIn(s.rt, "clean"), 2);

    // memoryOSS: applying needs an empty target namespace, else 400
    const again = await s.req("POST", "/v1/history/replay", {
      key: writer,
      body: body(',"allow_untrusted":true'),
    });
    assertError(again, 400, "CONFLICT", /not empty/);

    const tampered = HISTORY.replace("staging signoff", "staging sign-off");
    assertError(
      await s.req("POST", "/v1/history/replay", {
        key: writer,
        body: `{"namespace":"clean","bundle":${tampered},"dry_run":true}`,
      }),
      400,
      "INTEGRITY",
    );
    assertError(
      await s.req("POST", "/v1/history/replay", { key: writer, body: { namespace: "clean" } }),
      400,
      "INVALID_INPUT",
      /bundle/,
    );
  });
});

const RULES = [
  "---",
  "description: team rules",
  'globs: ["**/*"]',
  "alwaysApply: true",
  "---",
  "# Rules",
  "",
  "- Always run deno fmt before committing.",
  "- Never push directly to main.",
  "",
].join("\n");

Deno.test("/v1/adapters/import|export: cursor rules in, Claude project context out", async () => {
  await withServer(async (s) => {
    const reader = await s.key("reader", ["proj"]);
    const writer = await s.key("writer", ["proj"]);
    const req = { kind: "cursor_rules", source_label: "team-rules.mdc", content: RULES };

    const dry = await s.req("POST", "/v1/adapters/import", {
      key: writer,
      body: { ...req, dry_run: true },
    });
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.json.dry_run, true);
    assert.equal(dry.json.imported, false);
    assert.equal(dry.json.preview.adapter_kind, "cursor_rules");
    assert.equal(dry.json.preview.source_label, "team-rules.mdc");
    assert.equal(dry.json.preview.runtime_contract_id, "memoryoss.runtime.v1alpha1");
    assert.equal(dry.json.preview.normalized_count, 2);
    assert.equal(dry.json.preview.preview.create_count, 2);
    assert.equal(countIn(s.rt, "proj"), 0);

    assertError(
      await s.req("POST", "/v1/adapters/import", { key: reader, body: req }),
      403,
      "FORBIDDEN",
    );
    const done = await s.req("POST", "/v1/adapters/import", { key: writer, body: req });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.json.imported, true);
    assert.equal(done.json.imported_ids.length, 2);
    const m = s.rt.store.getById(done.json.imported_ids[0])!.record;
    assert.equal(m.namespace, "proj");
    assert.equal(m.memory_type, "procedural");
    for (
      const t of ["adapter:cursor_rules", "client:cursor", "source_ref:team-rules-mdc", "rule"]
    ) {
      assert.ok(m.tags.includes(t), `${t} in ${m.tags}`);
    }

    const exp = await s.req("GET", "/v1/adapters/export?kind=claude_project", { key: reader });
    assert.equal(exp.status, 200, exp.text);
    const a = exp.json.artifact;
    assert.equal(a.adapter_kind, "claude_project");
    assert.equal(a.namespace, "proj");
    assert.equal(a.exported_count, 2);
    assert.equal(a.content_type, "text/markdown");
    assert.ok(a.content.startsWith("# memoryOSS Project Context\n"), a.content);
    assert.match(a.content, /^- Always run deno fmt before committing\.$/m);
    assert.match(a.content, /^- Never push directly to main\.$/m);

    assertError(await s.req("GET", "/v1/adapters/export?kind=claude_project"), 401, "UNAUTHORIZED");
    assertError(
      await s.req("GET", "/v1/adapters/export?kind=claude_project&namespace=other", {
        key: reader,
      }),
      403,
      "FORBIDDEN_NAMESPACE",
    );
    assertError(
      await s.req("GET", "/v1/adapters/export?kind=nope", { key: reader }),
      400,
      "INVALID_INPUT",
    );
    assertError(
      await s.req("POST", "/v1/adapters/import", {
        key: writer,
        body: { ...req, kind: "git_history" },
      }),
      400,
      "INVALID_INPUT",
      /folder/,
    );
    assertError(
      await s.req("POST", "/v1/adapters/import", {
        key: writer,
        body: { kind: "cursor_rules", content: RULES },
      }),
      400,
      "INVALID_INPUT",
      /source_label/,
    );
  });
});

/** Compact JSON with object keys sorted (the JCS form of plain strings, ints and arrays). */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${
      Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`).join(",")
    }}`;
  }
  return JSON.stringify(v);
}

const hex = async (s: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
const bytes = (h: string) => Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));

Deno.test("DELETE /v1/forget/certified: deletes, Merkle root, Ed25519-signed certificate", async () => {
  await withServer(async (s) => {
    const admin = await s.key("admin", ["proj"]);
    const writer = await s.key("writer", ["proj"]);
    const contents = [
      "Temp note one about the cache.",
      "Temp note two about the queue.",
      "Temp note three about logs.",
    ];
    for (const content of [...contents, "Keep this decision about the schema."]) {
      const tags = content.startsWith("Temp") ? ["tmp"] : ["keep"];
      const r = await s.req("POST", "/v1/store", { key: writer, body: { content, tags } });
      assert.equal(r.status, 200, r.text);
    }
    assertError(
      await s.req("DELETE", "/v1/forget/certified", { key: writer, body: { tags: ["tmp"] } }),
      403,
      "FORBIDDEN",
    );
    assertError(
      await s.req("DELETE", "/v1/forget/certified", { body: { tags: ["tmp"] } }),
      401,
      "UNAUTHORIZED",
    );
    assertError(
      await s.req("DELETE", "/v1/forget/certified", { key: admin, body: { tags: ["none"] } }),
      404,
      "NOT_FOUND",
    );
    assertError(
      await s.req("DELETE", "/v1/forget/certified", {
        key: admin,
        body: { tags: ["tmp"], dry_run: true },
      }),
      400,
      "INVALID_INPUT",
      /dry_run/,
    );
    assertError(
      await s.req("DELETE", "/v1/forget/certified", { key: admin, body: {} }),
      400,
      "INVALID_INPUT",
      /unscoped/,
    );

    const r = await s.req("DELETE", "/v1/forget/certified", {
      key: admin,
      body: { namespace: "proj", tags: ["tmp"] },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.deleted, 3);
    assert.equal(countIn(s.rt, "proj"), 1, "the kept memory stays");
    const cert = r.json.certificate;
    assert.deepEqual(Object.keys(cert).sort(), [
      "deleted_at",
      "deleted_by",
      "deleted_count",
      "deleted_ids",
      "leaf_hashes",
      "merkle_root",
      "namespace",
      "type",
      "version",
    ]);
    assert.equal(cert.type, "deletion_certificate");
    assert.equal(cert.version, 1);
    assert.equal(cert.namespace, "proj");
    assert.equal(cert.deleted_count, 3);
    assert.equal(cert.deleted_ids.length, 3);
    for (const id of cert.deleted_ids) assert.equal(s.rt.store.getById(id), null);
    // leaves are the contents' SHA-256; three leaves: the odd last one pairs with itself
    const expected = await Promise.all(contents.map(hex));
    assert.deepEqual([...cert.leaf_hashes].sort(), [...expected].sort());
    const [a, b, c] = cert.leaf_hashes;
    assert.equal(cert.merkle_root, await hex((await hex(a + b)) + (await hex(c + c))));

    // the signature checks with the public key alone (our ed25519 scheme, JCS message)
    const info = r.json.signature_info;
    assert.equal(info.scheme, "memoryoss.ed25519.v1");
    assert.equal(info.subject, `deletion_certificate:${await hex(sortedJson(cert))}`);
    const message = sortedJson({
      identity: info.identity,
      identity_kind: info.identity_kind,
      scheme: info.scheme,
      signed_at: info.signed_at,
      subject: info.subject,
    });
    const key = await crypto.subtle.importKey("raw", bytes(info.public_key), "Ed25519", false, [
      "verify",
    ]);
    const ok = (m: string) =>
      crypto.subtle.verify("Ed25519", key, bytes(r.json.signature), new TextEncoder().encode(m));
    assert.ok(await ok(message), "the signature verifies");
    assert.ok(!(await ok(message.replace(info.subject, `deletion_certificate:${"0".repeat(64)}`))));
  });
});
