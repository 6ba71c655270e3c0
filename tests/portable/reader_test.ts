/**
 * Bundle preview/diff and the offline reader: HTML is self-contained and inert, text strips
 * control characters, hostile input never crashes, and the CLI runs with read permission only.
 */
import assert from "node:assert/strict";
import {
  buildBundle,
  buildPassport,
  diffArtifacts,
  diffDocuments,
  escapeHtml,
  openArtifact,
  parseJson,
  prettyJson,
  previewArtifact,
  renderDiffHtml,
  renderHtml,
  renderText,
} from "../../lib/portable/mod.ts";
import { readConformance } from "./_helpers.ts";
import { IDS, richRecords, run, show, tempDir } from "./_support.ts";

const CONTRACT = {
  contract_id: "memoryoss.runtime.v1alpha1",
  version: "2026-03-13",
  document_route: "/v1/runtime/contract",
  stable_semantics: ["namespace_scope"],
  experimental_layers_excluded: [],
};

async function passports() {
  const rs = await richRecords();
  const opts = {
    namespace: "proj",
    scope: "all" as const,
    exportedAt: new Date("2026-03-13T00:00:00Z"),
    contract: CONTRACT,
  };
  const old = buildPassport(rs.filter((r) => r.id !== IDS.d), {
    ...opts,
    passportId: "0195e000-0000-7000-8000-000000000001",
  });
  const changed = rs.map((r) => (r.id === IDS.c ? { ...r, status: "stale" as const } : r));
  const next = buildPassport(changed.filter((r) => r.id !== IDS.g), {
    ...opts,
    passportId: "0195e000-0000-7000-8000-000000000002",
  });
  return { old: prettyJson(old) + "\n", next: prettyJson(buildBundle(next)) + "\n" };
}

Deno.test("previewArtifact reads envelopes and bare artifacts alike", () => {
  const text = readConformance("fixtures/passport-bundle.json");
  const bare = previewArtifact(parseJson(text));
  const env = previewArtifact(buildBundle(parseJson(text)));
  assert.equal(bare.kind, "passport");
  assert.equal(env.kind, "passport");
  for (const p of [bare, env]) {
    assert.equal(p.bundle_id, "11111111-1111-7111-8111-111111111111");
    assert.equal(p.integrity_valid, true);
    assert.equal(p.nested_integrity_valid, true);
    assert.equal(p.scope, "project");
    assert.match(p.attachment_name!, /^memoryoss-passport-demo-project-1111.*\.membundle\.json$/);
    assert.ok(p.preview.length > 0 && p.preview.length <= 5);
  }
  const history = previewArtifact(parseJson(readConformance("fixtures/history-bundle.json")));
  assert.equal(history.root_id, "33333333-3333-7333-8333-333333333333");
});

Deno.test("diffArtifacts reports header changes, content set differences and changed memories", async () => {
  const { old, next } = await passports();
  const d = diffArtifacts(parseJson(old), parseJson(next));
  assert.equal(d.same_kind, true);
  assert.deepEqual(d.memories.added.map((m) => m.id), [IDS.d]);
  assert.deepEqual(d.memories.removed.map((m) => m.id), [IDS.g]);
  assert.deepEqual(d.memories.changed.map((c) => [c.id, c.fields]), [[IDS.c, ["status"]]]);
  assert.equal(d.added_preview.length, 1);
  assert.equal(d.removed_preview.length, 1);
  assert.equal(d.shared_preview_count, 5);
});

Deno.test("reader views never throw on hostile input", async () => {
  const inputs = [
    "",
    "{",
    "[]",
    "null",
    '{"bundle_version":"memoryoss.bundle.v1alpha1"}',
    '{"bundle_version":"memoryoss.bundle.v1alpha1","payload":{"memories":[{"id":1},"x",{"id":"a","content":"<b>"}]}}',
    '{"bundle_version":"memoryoss.passport.v1alpha1","memories":{"not":"a list"}}',
    new Uint8Array([0xff, 0xfe, 0x00]),
  ];
  for (const input of inputs) {
    const doc = await openArtifact("x", input);
    assert.equal(doc.ok, false);
    renderText(doc);
    renderHtml(doc);
    diffArtifacts(parseJsonOrNull(input), parseJsonOrNull(inputs[5]));
  }
});

function parseJsonOrNull(input: string | Uint8Array) {
  try {
    return parseJson(input);
  } catch {
    return null;
  }
}

Deno.test("HTML is one self-contained page and memory text stays inert", async () => {
  const { old, next } = await passports();
  const doc = await openArtifact("new <x>.json", next);
  const d = await diffDocuments("old.json", old, "new.json", next);
  for (const html of [renderHtml(doc), renderDiffHtml(d)]) {
    assert.ok(html.startsWith("<!doctype html>"));
    assert.ok(!/<script/i.test(html), "no script element survives");
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"), "planted script is text");
    assert.ok(!/\s(?:src|href)\s*=/i.test(html), "no external assets");
    assert.ok(!/<link|@import|url\(/i.test(html));
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  }
  assert.ok(renderHtml(doc).includes("new &lt;x&gt;.json"));
  assert.equal(
    escapeHtml(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
  );
});

Deno.test("text output strips terminal control characters", async () => {
  const env = parseJson(readConformance("fixtures/passport-bundle.json"));
  const tree = buildBundle(env);
  const payload = prettyJson(tree).replace("Deploy API", "\\u001b[2J\\u0007Deploy API");
  const text = renderText(await openArtifact("p.json", payload));
  // deno-lint-ignore no-control-regex
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text), JSON.stringify(text));
});

Deno.test("reader CLI works with --allow-read only (no env, write or net)", async () => {
  await using dir = await tempDir();
  const { old, next } = await passports();
  await Deno.writeTextFile(`${dir.path}/old.json`, old);
  await Deno.writeTextFile(`${dir.path}/new.json`, next);
  const perms = ["--allow-read"];
  const text = await run(dir.path, ["reader", "open", `${dir.path}/new.json`], { perms });
  assert.equal(text.code, 0, show(text));
  assert.match(text.stdout, /integrity\s+valid/);
  assert.match(text.stdout, /trust\s+unsigned|not checked/);
  const json = await run(dir.path, ["reader", "open", `${dir.path}/old.json`, "--format", "json"], {
    perms,
  });
  assert.equal(json.code, 0, show(json));
  assert.equal(json.json().kind, "passport");
  const html = await run(dir.path, [
    "reader",
    "diff",
    `${dir.path}/old.json`,
    `${dir.path}/new.json`,
    "--format",
    "html",
  ], { perms });
  assert.equal(html.code, 0, show(html));
  assert.ok(html.stdout.includes("&lt;script&gt;") && !/<script/i.test(html.stdout));
  await Deno.writeTextFile(`${dir.path}/bad.json`, old.replace("Releases ship", "Releases slip"));
  const bad = await run(dir.path, ["reader", "open", `${dir.path}/bad.json`], { perms });
  assert.equal(bad.code, 1, show(bad));
  assert.match(bad.stdout, /INVALID/);
  const noWrite = await run(dir.path, [
    "reader",
    "open",
    `${dir.path}/old.json`,
    "-o",
    `${dir.path}/x.html`,
  ], { perms });
  assert.equal(noWrite.code, 5, show(noWrite));
  assert.match(noWrite.stderr, /^memoryoss: error: cannot write .*permission denied/);
});
