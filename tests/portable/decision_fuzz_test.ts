/**
 * The trust decision under seeded mutation (byte flips, truncation, deleted nodes, type and value
 * swaps, one-byte edits, added fields, reordered keys, whitespace, duplicate keys, edits of the
 * signature block) of a signed bundle, a bare passport and a bare history: `openArtifact` +
 * `admission` in-process 1,000 times and 20 times through main.ts never crash and never accept
 * (exit 0) a mutation whose content differs from the original's.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  admission,
  buildBundle,
  cloneJson,
  ED25519_SCHEME,
  emptyFabric,
  exportEd25519PublicKey,
  generateEd25519KeyPair,
  getPath,
  isJsonObject,
  type JsonValue,
  openArtifact,
  openTree,
  parseJson,
  prettyJson,
  type ReaderTrust,
  signBundle,
  signerName,
  TRUST_FILE,
  writeTrustFabric,
} from "../../lib/portable/mod.ts";
import {
  leafPaths,
  mutate,
  mutateLeaf,
  nodePaths,
  prng,
  readConformance,
  setPath,
} from "./_helpers.ts";
import { run, show, tempDir } from "./_support.ts";

const passport = readConformance("fixtures/passport-bundle.json");

const DECISION_SEED = 0xdec1_5100;
const DECISION_ROUNDS = 1000;

/** What each line's content is (spec: the hashed fields; for an envelope its header, payload
 * and signature header), written out here rather than taken from the library. */
const CONTENT: Record<string, { fields: string[]; signature?: string[] }> = {
  passport: {
    fields: [
      "bundle_version",
      "passport_id",
      "runtime_contract",
      "scope",
      "namespace",
      "exported_at",
      "provenance",
      "memories",
    ],
  },
  history: {
    fields: [
      "bundle_version",
      "history_id",
      "root_id",
      "runtime_contract",
      "namespace",
      "exported_at",
      "memories",
      "edges",
      "timeline",
    ],
  },
  bundle: {
    fields: [
      "bundle_version",
      "bundle_id",
      "kind",
      "namespace",
      "scope",
      "runtime_contract_id",
      "exported_at",
      "payload",
    ],
    // (public_key is how the value is checked, not content: without it a catalog key must verify)
    signature: ["scheme", "signer", "identity_kind", "signed_at"],
  },
};

/** The content of an artifact as plain JSON: UUIDs compared case-blind, times as instants. */
function content(line: string, text: string): unknown {
  const o = JSON.parse(text);
  const spec = CONTENT[line];
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) out[f] = o[f];
  if (typeof out.bundle_id === "string") out.bundle_id = out.bundle_id.toLowerCase();
  if (typeof out.exported_at === "string") out.exported_at = Date.parse(out.exported_at);
  if (spec.signature) {
    const sig = o.signature ?? {};
    out.signature = Object.fromEntries(spec.signature.map((f) => [f, sig[f]]));
    const at = (out.signature as Record<string, unknown>).signed_at;
    if (typeof at === "string") {
      (out.signature as Record<string, unknown>).signed_at = Date.parse(at);
    }
  }
  return out;
}

type DecisionMutation =
  | "byte_flip"
  | "truncate"
  | "field_delete"
  | "type_swap"
  | "leaf_swap"
  | "leaf_edit"
  | "add_field"
  | "reorder"
  | "reindent"
  | "duplicate_key"
  | "signature_edit";
const DECISION_MUTATIONS: DecisionMutation[] = [
  "byte_flip",
  "truncate",
  "field_delete",
  "type_swap",
  "leaf_swap",
  "leaf_edit",
  "add_field",
  "reorder",
  "reindent",
  "duplicate_key",
  "signature_edit",
];

/** One mutation of `text`; trees come back as text so the CLI can be given the same input. */
function mutateText(text: string, m: DecisionMutation, rand: () => number): string | Uint8Array {
  const pick = (n: number) => Math.floor(rand() * n);
  if (m === "byte_flip" || m === "truncate" || m === "field_delete" || m === "type_swap") {
    const out = mutate(text, m, rand);
    return typeof out === "string" || out instanceof Uint8Array ? out : prettyJson(out);
  }
  if (m === "reindent") {
    return text.replace(/\n( +)/g, (_, sp: string) => "\n" + "\t".repeat(sp.length / 2));
  }
  if (m === "duplicate_key") {
    const at = [...text.matchAll(/\{\n/g)].map((x) => x.index!);
    const i = at[pick(at.length)] + 2;
    return text.slice(0, i) + '"x_dup": 1, "x_dup": 2,\n' + text.slice(i);
  }
  const tree = parseJson(text);
  if (m === "leaf_edit" || m === "leaf_swap" || m === "signature_edit") {
    // signature_edit: a leaf of the envelope's signature block (any leaf of a bare artifact)
    const all = leafPaths(tree);
    const signed = all.filter((p) => p[0] === "signature");
    const leaves = m === "signature_edit" && signed.length ? signed : all;
    const a = leaves[pick(leaves.length)];
    if (m !== "leaf_swap") setPath(tree, a, mutateLeaf(getPath(tree, a)!));
    else {
      const b = leaves[pick(leaves.length)];
      const [va, vb] = [getPath(tree, a)!, getPath(tree, b)!];
      setPath(tree, a, cloneJson(vb));
      setPath(tree, b, cloneJson(va));
    }
    return prettyJson(tree);
  }
  const objects = [[], ...nodePaths(tree)].filter((p) => isJsonObject(getPath(tree, p)!));
  const path = objects[pick(objects.length)];
  const obj = getPath(tree, path) as Map<string, JsonValue>;
  if (m === "add_field") obj.set("x_fuzz", "added");
  else {
    const reversed = [...obj].reverse();
    obj.clear();
    for (const [k, v] of reversed) obj.set(k, v);
  }
  return prettyJson(tree);
}

/** A passport envelope signed with a fresh key (embedded), and a trust that holds that key. */
async function signedSources() {
  const pair = await generateEd25519KeyPair();
  const key = await exportEd25519PublicKey(pair.publicKey);
  const env = await signBundle(
    buildBundle(parseJson(passport), { signable: true }),
    {
      identity: signerName(key),
      identityKind: "device",
      signer: { scheme: ED25519_SCHEME, privateKey: pair.privateKey },
      publicKey: key,
      signedAt: "2026-03-13T10:00:00Z",
    },
  );
  const fabric = {
    ...emptyFabric(),
    identities: [{
      id: "device:fuzz-signer",
      kind: "device" as const,
      label: "",
      registered_at: "",
      source: "local" as const,
      public_key: key,
    }],
  };
  const sources = [
    { line: "bundle", text: prettyJson(env) + "\n" },
    { line: "passport", text: passport },
    { line: "history", text: readConformance("fixtures/history-bundle.json") },
  ];
  return { sources, trust: { fabric, keys: {} } as ReaderTrust };
}

Deno.test(`decision fuzz: ${DECISION_ROUNDS} mutations never crash nor accept changed content`, async () => {
  const { sources, trust } = await signedSources();
  const originals = sources.map((s) => content(s.line, s.text));
  // the originals: a trusted bundle, two intact but unsigned artifacts
  const first = await Promise.all(sources.map((s) => openArtifact(s.line, s.text, trust)));
  assert.deepEqual(first.map((d) => admission(d).verdict), ["accepted", "untrusted", "untrusted"]);
  const rand = prng(DECISION_SEED);
  const tally: Record<string, Record<number, number>> = {};
  for (let round = 0; round < DECISION_ROUNDS; round++) {
    const src = round % sources.length;
    const { line, text } = sources[src];
    const m = DECISION_MUTATIONS[Math.floor(rand() * DECISION_MUTATIONS.length)];
    const label = `round ${round} (seed ${DECISION_SEED}) ${line}/${m}`;
    const input = mutateText(text, m, rand);
    const doc = await openArtifact(label, input, trust);
    const a = admission(doc, {});
    assert.ok([0, 3, 5].includes(a.exit_code), label);
    assert.ok(a.message.length > 0, label);
    for (const e of doc.errors) {
      assert.ok(!e.message.startsWith("internal"), `${label}: ${e.message}`);
    }
    (tally[line] ??= {})[a.exit_code] = (tally[line][a.exit_code] ?? 0) + 1;
    if (a.exit_code === 0) {
      const got = new TextDecoder().decode(
        typeof input === "string" ? new TextEncoder().encode(input) : input,
      );
      assert.deepEqual(content(line, got), originals[src], `${label}: accepted with other content`);
      if (line === "bundle") {
        assert.equal(doc.trust?.trusted, true, `${label}: ${doc.trust?.reason}`);
      }
    }
    // the same decision from an already parsed tree
    if (doc.ok) {
      const again = admission(await openTree(label, parseJson(input), trust));
      assert.equal(again.exit_code, a.exit_code, label);
    }
  }
  // every outcome happens: signature failures (5) come from the bundle's signature block
  assert.ok((tally.bundle[5] ?? 0) > 0, JSON.stringify(tally));
  for (const line of ["bundle", "passport", "history"]) {
    assert.ok((tally[line][0] ?? 0) > 0 && (tally[line][3] ?? 0) > 0, JSON.stringify(tally));
  }
});

Deno.test("decision fuzz through main.ts: 20 mutated artifacts, one clean line, never a trace", async () => {
  const { sources, trust } = await signedSources();
  await using home = await tempDir();
  await writeTrustFabric(join(home.path, TRUST_FILE), trust.fabric);
  const rand = prng(DECISION_SEED ^ 0xc11);
  const cases = Array.from({ length: 20 }, (_, i) => {
    const m = DECISION_MUTATIONS[i % DECISION_MUTATIONS.length];
    // half bundles, a quarter each passports and histories
    const src = sources[i % 2 === 0 ? 0 : i % 4 === 1 ? 1 : 2];
    return { m, src, input: mutateText(src.text, m, rand) };
  });
  const files = await Promise.all(cases.map(async (c, i) => {
    const file = join(home.path, `m${i}.json`);
    await Deno.writeFile(
      file,
      typeof c.input === "string" ? new TextEncoder().encode(c.input) : c.input,
    );
    return file;
  }));
  const results = [];
  for (let i = 0; i < cases.length; i += 4) {
    results.push(
      ...await Promise.all(
        files.slice(i, i + 4).map((f) => run(home.path, ["bundle", "validate", f, "--json"])),
      ),
    );
  }
  for (const [i, r] of results.entries()) {
    const { m, src, input } = cases[i];
    const label = `case ${i} ${src.line}/${m}: ${show(r)}`;
    assert.ok([0, 3, 5].includes(r.code), label);
    assert.ok(!/internal error|\n\s+at /.test(r.stderr), label);
    assert.ok(r.stderr === "" || r.stderr.trim().split("\n").length === 1, label);
    const report = r.json();
    const lib = admission(await openArtifact(files[i], input, trust));
    assert.equal(r.code, lib.exit_code, label);
    assert.equal(report.verdict, lib.verdict, label);
    if (r.code === 0) {
      const text = new TextDecoder().decode(await Deno.readFile(files[i]));
      assert.deepEqual(content(src.line, text), content(src.line, src.text), label);
    }
  }
});
