/**
 * Hand-written conformance vectors (tests/fixtures/conformance-handwritten/): unicode, integral
 * floats, additive fields and tampering. Every expected value there was written by hand from
 * the spec and hashed with sha256sum; nothing was produced by our code. Checked here through
 * the library, the `memoryoss conformance` command and, as a second oracle, Python's json.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  canonicalPayload,
  formatPath,
  normalize,
  parseJson,
  verify,
} from "../../lib/portable/mod.ts";
import { needsPython, pythonReference } from "./_python.ts";
import { run, show, tempDir } from "./_support.ts";

const DIR = new URL("../fixtures/conformance-handwritten/", import.meta.url);
const read = (name: string) => Deno.readTextFileSync(new URL(name, DIR));
const bytes = (name: string) => Deno.readFileSync(new URL(name, DIR));
const path = (name: string) => new URL(name, DIR).pathname;

interface Vector {
  name: string;
  kind: "passport";
  input: string;
  payload: string;
  payload_sha256: string;
  normalized: string;
  typed?: string;
  warnings: (string | number)[][];
}
interface TamperCase {
  file: string;
  find: string;
  replace: string;
  kind: "byte" | "insert";
  ok: boolean;
  why: string;
  same_as_js_number?: boolean;
}

const VECTORS: Vector[] = JSON.parse(read("expected.json")).vectors;
const TAMPER: TamperCase[] = JSON.parse(read("tamper.json")).cases;

async function sha256(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

for (const v of VECTORS) {
  Deno.test(`hand-written ${v.name}: payload text, hash and verdict as written by hand`, async () => {
    const text = read(v.input);
    const stored = (parseJson(text) as Map<string, Map<string, unknown>>).get("integrity")!;
    assert.equal(await sha256(bytes(v.payload)), v.payload_sha256, "manifest = sha256sum");
    assert.equal(stored.get("payload_sha256"), v.payload_sha256, "file carries that hash");
    assert.equal(canonicalPayload(v.kind, parseJson(text)), read(v.payload));
    const r = verify(text);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.integrity, { stored: v.payload_sha256, computed: v.payload_sha256 });
    assert.deepEqual(r.warnings.map((w) => w.path), v.warnings, "the Rust runtime would differ");
  });

  Deno.test(`hand-written ${v.name}: normalize prints the hand-written reference output`, () => {
    const text = read(v.input);
    const want = read(v.normalized);
    assert.notEqual(want, text, "the expectation is not the input: escapes and layout change");
    assert.equal(normalize(v.kind, text), want);
    if (v.typed) assert.equal(normalize(v.kind, text, { view: "typed" }), read(v.typed));
  });
}

Deno.test("hand-written vectors: what each one pins", () => {
  const unicode = read("unicode.normalized.json");
  assert.ok(
    unicode.includes("cafe\u0301 \u{1F600} \u{1D11E}"),
    "combining mark and astral kept raw",
  );
  assert.ok(unicode.includes("caf\u00e9 vs"), "escape \\u00e9 decoded");
  assert.ok(unicode.includes(String.raw`\tT\u0007\u001f` + "\u007f\u2028"), "control escapes");
  assert.ok(unicode.includes('"session": null'), "nulls kept by the reference");
  const floats = read("floats.normalized.json");
  assert.ok(floats.includes('"confidence": 1.0,') && floats.includes('"confidence": 0.0,'));
  assert.ok(floats.includes("12345678901234567890") && floats.includes("1e-07"));
  assert.ok(!read("floats.typed.json").includes("x_numbers"), "the Rust view drops them");
  const additive = read("additive.normalized.json");
  assert.ok(additive.includes('"x_review_hint": "recheck in Q3"'));
  assert.ok(additive.includes('"producer": "memoryOSS 0.3.0-newer"'));
  // unequal on purpose: NFC is not applied, so the two spellings of "Ångström" stay distinct
  assert.ok(unicode.includes("A\u030angstr\u00f6m \u2260 \u00c5ngstr\u00f6m"));
});

for (const c of TAMPER) {
  Deno.test(`tamper ${c.file}: ${c.find} → ${c.replace} ${c.ok ? "still verifies" : "fails"} (${c.why})`, () => {
    const src = read(c.file);
    assert.equal(src.split(c.find).length, 2, "the edit applies exactly once");
    const out = src.replace(c.find, c.replace);
    const a = new TextEncoder().encode(src);
    const b = new TextEncoder().encode(out);
    if (c.kind === "byte") {
      assert.equal(a.length, b.length);
      assert.equal(a.filter((x, i) => x !== b[i]).length, 1, "exactly one byte changed");
    }
    const r = verify(out);
    assert.equal(r.ok, c.ok, JSON.stringify(r.errors));
    if (!c.ok) {
      assert.deepEqual(r.errors.map((e) => formatPath(e.path)), ["integrity.payload_sha256"]);
      assert.throws(() => normalize("passport", out), /payload_sha256/);
    }
    if (c.same_as_js_number) {
      // The edit is invisible to JSON.parse: only a lexeme-keeping reader catches it.
      assert.equal(Number(c.find), Number(c.replace));
    }
  });
}

Deno.test("conformance CLI on the hand-written vectors: normalize, --typed and verify", async () => {
  await using dir = await tempDir();
  for (const v of VECTORS) {
    const output = join(dir.path, `${v.name}.out.json`);
    const args = ["conformance", "normalize", "--kind", v.kind, "--input", path(v.input)];
    const r = await run(dir.path, [...args, "--output", output], {
      perms: ["--allow-read", "--allow-write"],
    });
    assert.equal(r.code, 0, show(r));
    assert.equal(await Deno.readTextFile(output), read(v.normalized), v.name);
    if (v.typed) {
      const t = await run(dir.path, [...args, "--typed"], { perms: ["--allow-read"] });
      assert.equal(t.stdout, read(v.typed), show(t));
    }
  }
  const ok = await run(dir.path, [
    "conformance",
    "verify",
    path("additive.passport.json"),
    "--json",
  ], {
    perms: ["--allow-read"],
  });
  assert.equal(ok.code, 0, show(ok));
  assert.equal(
    ok.json().integrity.computed,
    VECTORS.find((v) => v.name === "additive")!.payload_sha256,
  );
  const bad = TAMPER.find((c) => !c.ok && c.file === "additive.passport.json")!;
  const tampered = join(dir.path, "tampered.json");
  await Deno.writeTextFile(tampered, read(bad.file).replace(bad.find, bad.replace));
  const v = await run(dir.path, ["conformance", "verify", tampered], { perms: ["--allow-read"] });
  assert.equal(v.code, 3, show(v));
  assert.match(
    v.stdout,
    /INVALID\n {2}error {3}integrity\.payload_sha256: payload_sha256 mismatch/,
  );
  const n = await run(
    dir.path,
    ["conformance", "normalize", "--kind", "passport", "-i", tampered],
    {
      perms: ["--allow-read"],
    },
  );
  assert.equal(n.code, 3, show(n));
  assert.equal(n.stdout, "", "nothing is printed for an artifact that fails integrity");
  assert.match(n.stderr, /^memoryoss: error: .*payload_sha256/);
});

Deno.test(needsPython("hand-written vectors agree with Python's json/hashlib"), async () => {
  const refs = await pythonReference(VECTORS.map((v) => ({ kind: v.kind, text: read(v.input) })));
  VECTORS.forEach((v, i) => {
    assert.equal(refs[i].payload, read(v.payload), `${v.name}: hand-written payload`);
    assert.equal(refs[i].computed, v.payload_sha256, `${v.name}: hash`);
    assert.equal(refs[i].normalized, read(v.normalized), `${v.name}: hand-written normalized`);
    assert.equal(normalize(v.kind, read(v.input)), refs[i].normalized, `${v.name}: ours`);
  });
  const tampered = await pythonReference(
    TAMPER.map((c) => ({ kind: "passport", text: read(c.file).replace(c.find, c.replace) })),
  );
  TAMPER.forEach((c, i) => {
    assert.equal(tampered[i].computed === tampered[i].stored, c.ok, `${c.file}: ${c.find}`);
  });
});
