/**
 * The engine suite's cases for graph edges, API keys, the remember queue and the activity log
 * (run by engine_suite.ts on every engine). Expectations are written by hand: which edges a
 * namespace holds after a sequence of upserts, which keys a scope sees, which queue rows two
 * workers hold, which events a time window returns.
 */
import assert from "node:assert/strict";
import type { ApiKeyRow, Edge, MemoryEngine } from "../../lib/store/mod.ts";
import { ins, rec, rejects } from "./engine_helpers.ts";

/** Opens a second engine on the store `e` is on (another connection), when the engine can. */
export type Twin = (e: MemoryEngine) => Promise<MemoryEngine>;

function edge(
  ns: string,
  src: string,
  dst: string,
  kind: Edge["kind"],
  weight: number,
  more: Partial<Edge> = {},
): Edge {
  return {
    src,
    dst,
    kind,
    namespace: ns,
    weight,
    origin: "auto",
    detail: {},
    created_at: "2026-02-01T00:00:00.000Z",
    ...more,
  };
}

const brief = (es: Edge[]) => es.map((e) => `${e.src}-${e.dst}:${e.kind}:${e.weight}:${e.origin}`);

export async function graphCase(e: MemoryEngine) {
  await e.write("alpha", ["a1", "a2", "a3"].map((id) => ins(rec("alpha", id, `note ${id}`))));
  await e.write("beta", ["b1", "b2"].map((id) => ins(rec("beta", id, `note ${id}`))));
  await e.graph.add("alpha", [
    edge("alpha", "a1", "a2", "causal", 0.81234, { detail: { cue: "because" } }),
    edge("alpha", "a2", "a3", "entity", 0.5),
    edge("alpha", "a1", "a3", "temporal", 0.25, { origin: "manual" }),
    edge("alpha", "a1", "a1", "semantic", 1),
  ]);
  await e.graph.add("beta", [edge("beta", "b1", "b2", "semantic", 0.9)]);
  const listed = await e.graph.list("alpha");
  assert.deepEqual(brief(listed), [
    "a1-a2:causal:0.8123:auto",
    "a1-a3:temporal:0.25:manual",
    "a2-a3:entity:0.5:auto",
  ]);
  assert.deepEqual(listed[0].detail, { cue: "because" });
  assert.equal(listed[0].created_at, "2026-02-01T00:00:00.000Z");
  assert.deepEqual(brief(await e.graph.list("beta")), ["b1-b2:semantic:0.9:auto"]);
  assert.deepEqual(brief(await e.graph.list("alpha", { origin: "manual" })), [
    "a1-a3:temporal:0.25:manual",
  ]);
  assert.deepEqual(brief(await e.graph.neighbours("alpha", ["a3"])), [
    "a2-a3:entity:0.5:auto",
    "a1-a3:temporal:0.25:manual",
  ]);
  assert.deepEqual(brief(await e.graph.neighbours("alpha", ["a1"], { kinds: ["causal"] })), [
    "a1-a2:causal:0.8123:auto",
  ]);
  assert.deepEqual(await e.graph.neighbours("alpha", ["b1"]), [], "beta's edge is not alpha's");
  assert.deepEqual(await e.graph.neighbours("beta", ["a1"]), [], "alpha's edges are not beta's");
  // An automatic edge never replaces a manual one; a manual one replaces an automatic one.
  await e.graph.add("alpha", [
    edge("alpha", "a1", "a3", "temporal", 0.99),
    edge("alpha", "a2", "a3", "entity", 0.7, { origin: "manual" }),
  ]);
  assert.deepEqual(brief(await e.graph.list("alpha")), [
    "a1-a2:causal:0.8123:auto",
    "a1-a3:temporal:0.25:manual",
    "a2-a3:entity:0.7:manual",
  ]);
  // Another namespace's edge, or an end outside the namespace: the whole batch is refused.
  await rejects(
    e.graph.add("beta", [edge("alpha", "a1", "a2", "entity", 1)]),
    "FORBIDDEN_NAMESPACE",
  );
  await rejects(
    e.graph.add("beta", [
      edge("beta", "b2", "b1", "entity", 1),
      edge("beta", "b1", "a1", "causal", 1),
    ]),
    "NOT_FOUND",
  );
  await rejects(e.graph.add("beta", [edge("beta", "a1", "a2", "causal", 0.1)]), "NOT_FOUND");
  assert.deepEqual(await e.graph.counts("beta"), {
    temporal: 0,
    entity: 0,
    causal: 0,
    semantic: 1,
  });
  assert.deepEqual(await e.graph.counts("alpha"), {
    temporal: 1,
    entity: 1,
    causal: 1,
    semantic: 0,
  });
  assert.equal((await e.graph.list("alpha"))[1].weight, 0.25, "alpha untouched by beta's tries");
  // Deletes: bound to the namespace, either direction, AND-ed conditions, never unselected.
  assert.equal(await e.graph.delete("beta", { between: ["a1", "a2"] }), 0);
  assert.equal(await e.graph.delete("alpha", { between: ["a2", "a1"] }), 1);
  assert.equal(await e.graph.delete("alpha", { touching: ["a3"], origin: "auto" }), 0);
  assert.equal(await e.graph.delete("alpha", { touching: ["a3"] }), 2);
  await rejects(e.graph.delete("alpha", {}), "INVALID_INPUT");
  await rejects(e.graph.list(""), "INVALID_INPUT");
  assert.deepEqual(await e.graph.list("alpha"), []);
  assert.deepEqual(brief(await e.graph.list("beta")), ["b1-b2:semantic:0.9:auto"]);
}

/** A key row with a hand-made digest: `d` repeated, its id the first 16 characters. */
function keyRow(d: string, role: string, namespaces: unknown, created: string): ApiKeyRow {
  const hash = d.repeat(64);
  return {
    key_id: hash.slice(0, 16),
    hash,
    role,
    namespaces: JSON.stringify(namespaces),
    label: `key ${d}`,
    created_at: created,
    expires_at: null,
    revoked_at: null,
    rotated_to: null,
    last_used_at: null,
  };
}

export async function keysCase(e: MemoryEngine) {
  const k1 = keyRow("1", "reader", ["alpha"], "2026-03-01T00:00:00.000Z");
  const k2 = keyRow("2", "writer", ["alpha", "beta"], "2026-03-02T00:00:00.000Z");
  const k3 = keyRow("3", "admin", "*", "2026-03-03T00:00:00.000Z");
  assert.equal(await e.keys.create(k1, { onlyIfNone: true }), true, "the first key");
  assert.equal(await e.keys.create(k2, { onlyIfNone: true }), false, "a live key exists");
  assert.equal(await e.keys.create(k2), true);
  assert.equal(await e.keys.create(k3), true);
  await rejects(e.keys.create(k1), "CONFLICT");
  // The secret itself is refused, and never echoed.
  const secret = "ek_thisIsTheSecretItselfNotItsDigest0123456789abc";
  const refused = [
    () => e.keys.byHash(secret),
    () => e.keys.create({ ...k1, key_id: "x", hash: secret }),
  ];
  for (const call of refused) {
    await assert.rejects(call(), (err: Error) => {
      assert.match(err.message, /digest/);
      assert.doesNotMatch(err.message, /thisIsTheSecret/);
      return true;
    });
  }
  await rejects(
    e.keys.create({ ...keyRow("4", "reader", [], "2026-03-04T00:00:00.000Z") }),
    "INVALID_INPUT",
  );
  assert.deepEqual(await e.keys.byHash("2".repeat(64)), k2);
  assert.equal(await e.keys.byHash("5".repeat(64)), null);
  const ids = (rows: ApiKeyRow[]) => rows.map((r) => r.key_id);
  assert.deepEqual(ids(await e.keys.list(["alpha"])), [k1.key_id]);
  assert.deepEqual(ids(await e.keys.list(["beta", "alpha"])), [k2.key_id, k1.key_id]);
  assert.deepEqual(ids(await e.keys.list("*")), [k3.key_id, k2.key_id, k1.key_id]);
  assert.deepEqual(await e.keys.list(["gamma"]), []);
  assert.equal(await e.keys.countLive(), 3);
  assert.equal(await e.keys.revoke(k1.key_id, "2026-03-05T00:00:00.000Z"), true);
  assert.equal(await e.keys.revoke(k1.key_id, "2026-03-06T00:00:00.000Z"), false, "once");
  assert.equal(await e.keys.byHash(k1.hash), null, "a revoked key is not found");
  assert.equal((await e.keys.get(k1.key_id))?.revoked_at, "2026-03-05T00:00:00.000Z");
  assert.equal(await e.keys.countLive(), 2);
  assert.equal(await e.keys.rotate(k2.key_id, k3.key_id, "2026-04-01T00:00:00.000Z"), true);
  assert.equal(
    await e.keys.rotate("ffffffffffffffff", k3.key_id, "2026-04-01T00:00:00.000Z"),
    false,
  );
  await e.keys.touch(k3.key_id, "2026-03-07T08:09:10.000Z");
  assert.deepEqual(await e.keys.get(k2.key_id), {
    ...k2,
    rotated_to: k3.key_id,
    expires_at: "2026-04-01T00:00:00.000Z",
  });
  assert.equal((await e.keys.get(k3.key_id))?.last_used_at, "2026-03-07T08:09:10.000Z");
  assert.equal(await e.keys.get("0000000000000000"), null);
}
