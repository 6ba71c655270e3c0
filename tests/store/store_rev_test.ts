/**
 * The store revision (`meta.rev`): every write takes the next number, in order, and the
 * committed value is the last one taken. Inside a transaction the store counts in memory and
 * writes the value once before COMMIT (issue 21: one UPDATE per row was 2 % of an import), so
 * the numbers written by hand below check what other processes see: the rows' `rev`, the
 * meta text, nothing before the commit, nothing of a rolled-back transaction.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { newRecord, Store, uuidv7 } from "../../lib/store/mod.ts";

function rec(content: string) {
  return newRecord({
    id: uuidv7(),
    content,
    namespace: "ns",
    created_at: new Date().toISOString(),
  });
}

Deno.test("store revision: counted per write, written at commit, dropped on rollback", async () => {
  const dir = await Deno.makeTempDir();
  const store = Store.open(`${dir}/m.db`);
  const other = new DatabaseSync(`${dir}/m.db`, { readOnly: true });
  const metaRev = () =>
    (other.prepare("SELECT value FROM meta WHERE key = 'rev'").get() as { value: unknown }).value;
  try {
    store.db.exec("UPDATE meta SET value = '41' WHERE key = 'rev'");
    const pks = store.transaction(() => {
      const a = store.insert(rec("one"));
      assert.equal(store.currentRev(), 42); // this transaction's own count
      const b = store.insert(rec("two"));
      store.update(a, { ...rec("one again"), version: 2 });
      assert.equal(store.currentRev(), 44);
      assert.equal(metaRev(), "41"); // nothing committed yet
      return [a, b];
    });
    assert.equal(metaRev(), "44"); // text, as the column always held it
    assert.equal(store.currentRev(), 44);
    const revs = other.prepare("SELECT pk, rev FROM memories ORDER BY pk").all() as {
      pk: number;
      rev: number;
    }[];
    assert.deepEqual(revs.map((r) => [r.pk, r.rev]), [[pks[0], 44], [pks[1], 43]]);
    assert.throws(() =>
      store.transaction(() => {
        store.insert(rec("three"));
        store.insert(rec("four"));
        throw new Error("stop");
      }), /stop/);
    assert.equal(metaRev(), "44");
    assert.equal(store.currentRev(), 44);
    const c = store.insert(rec("five")); // a transaction of its own
    assert.equal(metaRev(), "45");
    assert.equal(
      (other.prepare("SELECT rev FROM memories WHERE pk = ?").get(c) as {
        rev: number;
      }).rev,
      45,
    );
  } finally {
    other.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
