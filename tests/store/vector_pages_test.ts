/**
 * Vectors in pages (schema v8, issue 21): row pk's float32 vector of `dim` values is slot
 * pk % 64 of page floor(pk / 64) in `vector_pages(dim, page, vecs)`, the row's `embedding`
 * the empty blob. The expectations are hand-made vectors and that documented layout, read with
 * plain SQL; the store's readers must give the same vectors back.
 */
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { loadVectors, newRecord, uuidv7, vectorsByPk } from "../../lib/store/mod.ts";
import { tempStore } from "../_support/store.ts";

const rec = (content: string) =>
  newRecord({ id: uuidv7(), content, namespace: "ns", created_at: new Date().toISOString() });

/** A distinct hand-made vector for row i (values exact in float32). */
const vec = (i: number, dim = 4) => Float32Array.from({ length: dim }, (_, j) => i + j / 8);

/** The pages as stored: `${dim}:${page}` → float32 values. */
function pages(db: DatabaseSync): Map<string, number[]> {
  const rows = db.prepare("SELECT dim, page, vecs FROM vector_pages ORDER BY dim, page").all() as {
    dim: number;
    page: number;
    vecs: Uint8Array;
  }[];
  return new Map(
    rows.map((r) => [`${r.dim}:${r.page}`, [...new Float32Array(r.vecs.slice().buffer)]]),
  );
}

/** Slot pk of a page as the layout says. */
const slot = (page: number[], pk: number, dim: number) =>
  page.slice((pk % 64) * dim, (pk % 64 + 1) * dim);

Deno.test("vector pages: writes land in their slots, readers give them back, deletes zero them", async () => {
  await using t = await tempStore();
  const s = t.store;
  // 70 rows: pks 1..70 span pages 0 and 1, written in one transaction (as an import batch).
  const pks = s.transaction(() =>
    Array.from(
      { length: 70 },
      (_, i) => s.insert(rec(`m${i}`), { embedding: vec(i), embedderId: "e" }),
    )
  );
  assert.deepEqual(pks, Array.from({ length: 70 }, (_, i) => i + 1));
  let p = pages(s.db);
  assert.deepEqual([...p.keys()], ["4:0", "4:1"]);
  assert.equal(p.get("4:0")!.length, 64 * 4, "a page holds 64 slots of dim values");
  assert.deepEqual(slot(p.get("4:0")!, 0, 4), [0, 0, 0, 0], "pk 0 never written");
  assert.deepEqual(slot(p.get("4:0")!, 5, 4), [...vec(4)]);
  assert.deepEqual(slot(p.get("4:1")!, 70, 4), [...vec(69)]);
  const marks = s.db.prepare("SELECT DISTINCT quote(embedding) AS q FROM memories").all();
  assert.deepEqual(marks.map((r) => (r as { q: string }).q), ["X''"]);
  assert.deepEqual([...vectorsByPk(s, [66])[0].embedding!], [...vec(65)]);

  // A new vector (update), a re-embed into another dimension (the old slot is zeroed), a delete.
  s.update(3, s.getById(s.getMany([3])[0].record.id)!.record, {
    embedding: vec(300),
    embedderId: "e",
  });
  s.setEmbedding(4, vec(400, 2), "f");
  s.deleteByPks([5]);
  p = pages(s.db);
  assert.deepEqual(slot(p.get("4:0")!, 3, 4), [...vec(300)]);
  assert.deepEqual(slot(p.get("4:0")!, 4, 4), [0, 0, 0, 0], "moved to dim 2");
  assert.deepEqual(slot(p.get("2:0")!, 4, 2), [...vec(400, 2)]);
  assert.deepEqual(slot(p.get("4:0")!, 5, 4), [0, 0, 0, 0], "deleted");
  assert.deepEqual(
    vectorsByPk(s, [3, 4]).map((u) => [u.pk, [...u.embedding!], u.embedder_id]),
    [[3, [...vec(300)], "e"], [4, [...vec(400, 2)], "f"]],
  );

  // The first-load reader: every row once, in key order, the dim-4 vectors from their pages,
  // the row counts per namespace first; pk 4 (now dim 2) is passed without a vector.
  const seen: [number, number[] | null][] = [];
  const reserved: [string, number][] = [];
  const at = loadVectors(s, 4, (ns, n) => reserved.push([ns, n]), ({ first, values, count }) => {
    for (let i = 0; i < count; i++) {
      seen.push([first.pk + i, values && [...values.subarray(i * 4, i * 4 + 4)]]);
    }
  });
  assert.equal(at, s.currentRev());
  assert.deepEqual(reserved, [["ns", 69]]);
  assert.deepEqual(seen.map(([pk]) => pk), pks.filter((pk) => pk !== 5));
  assert.deepEqual(seen.find(([pk]) => pk === 4)![1], null);
  assert.deepEqual(seen.find(([pk]) => pk === 70)![1], [...vec(69)]);
  assert.deepEqual(seen.find(([pk]) => pk === 3)![1], [...vec(300)]);

  // Catch-up: what changed since a revision, vectors included.
  const rev = s.currentRev();
  s.setEmbedding(66, vec(660), "e");
  s.deleteByPks([67]);
  const ch = s.changesSince(rev);
  assert.deepEqual(ch.upserts.map((u) => [u.pk, [...u.embedding!]]), [[66, [...vec(660)]]]);
  assert.deepEqual(ch.deletes, [67]);

  // Every row of page 1 gone: the page itself is gone.
  s.deleteByPks([64, 65, 66, 68, 69, 70]);
  assert.deepEqual([...pages(s.db).keys()], ["2:0", "4:0"]);
});

Deno.test("vector pages: a rolled-back transaction leaves the pages as they were", async () => {
  await using t = await tempStore();
  const s = t.store;
  s.insert(rec("kept"), { embedding: vec(1), embedderId: "e" });
  const before = pages(s.db);
  assert.throws(() =>
    s.transaction(() => {
      s.insert(rec("lost"), { embedding: vec(2), embedderId: "e" });
      s.setEmbedding(1, vec(9), "e");
      throw new Error("boom");
    })
  );
  assert.deepEqual(pages(s.db), before);
  // And the next transaction does not write the dropped changes either.
  s.insert(rec("next"), { embedding: vec(3), embedderId: "e" });
  const p = pages(s.db).get("4:0")!;
  assert.deepEqual([slot(p, 1, 4), slot(p, 2, 4)], [[...vec(1)], [...vec(3)]]);
});

Deno.test("vector pages: a blob written into the row by other means wins over its slot", async () => {
  await using t = await tempStore();
  const s = t.store;
  s.insert(rec("a"), { embedding: vec(1), embedderId: "e" });
  const other = new Uint8Array(vec(7).buffer);
  s.db.prepare("UPDATE memories SET embedding = ? WHERE pk = 1").run(other);
  assert.deepEqual([...vectorsByPk(s, [1])[0].embedding!], [...vec(7)]);
  s.db.exec("UPDATE memories SET embedding = X'010203' WHERE pk = 1");
  assert.equal(vectorsByPk(s, [1])[0].embedding, null, "damaged: missing, for doctor");
});

Deno.test("vector page keys: a first load reads each row's state, also after writes the store did not make", async () => {
  await using t = await tempStore();
  const s = t.store;
  s.transaction(() => {
    for (let i = 0; i < 3; i++) s.insert(rec(`m${i}`), { embedding: vec(i), embedderId: "e" });
  });
  const state = () => {
    const out: [number, string, string, boolean, string | null, number[] | null][] = [];
    loadVectors(s, 4, () => {}, ({ first: u, values, count }) => {
      for (let i = 0; i < count; i++) {
        const v = values && [...values.subarray(i * 4, i * 4 + 4)];
        out.push([u.pk + i, u.namespace, u.status, u.archived, u.embedder_id, v]);
      }
    });
    return out;
  };
  const keys = () =>
    (s.db.prepare("SELECT rows FROM vector_page_keys WHERE page = 0").get() as {
      rows: string | null;
    })
      .rows;
  assert.notEqual(keys(), null, "rebuilt before the commit");
  assert.deepEqual(state(), [
    [1, "ns", "active", false, "e", [...vec(0)]],
    [2, "ns", "active", false, "e", [...vec(1)]],
    [3, "ns", "active", false, "e", [...vec(2)]],
  ]);
  // A hand-written UPDATE (no store transaction): the page's keys are stale, the load reads rows.
  s.db.exec("UPDATE memories SET status = 'stale', archived = 1, namespace = 'b' WHERE pk = 2");
  s.db.exec("UPDATE memories SET embedding = NULL WHERE pk = 3");
  assert.equal(keys(), null);
  const expected = [
    [1, "ns", "active", false, "e", [...vec(0)]],
    [2, "b", "stale", true, "e", [...vec(1)]],
    [3, "ns", "active", false, "e", null],
  ];
  assert.deepEqual(state(), expected);
  // The next store transaction rebuilds them; the load gives the same from the keys.
  s.insert(rec("later"), { embedding: vec(9), embedderId: "e" });
  assert.notEqual(keys(), null);
  assert.deepEqual(state(), [...expected, [4, "ns", "active", false, "e", [...vec(9)]]]);
});
