/**
 * The write path keeps the intersections of the dedup candidates' posting lists between
 * lookups (lib/memory/dedup_rank.ts `Intersections`) and must answer what a fresh intersection
 * of the lists answers. Expected rows are written by hand for a worked case, and checked
 * against a plain set intersection (nested loops over the lists) for random edits.
 */
import assert from "node:assert/strict";
import { Intersections } from "../../lib/memory/dedup_rank.ts";
import type { TermPostings } from "../../lib/store/mod.ts";

/** Insert (or change) row `pk` with frequency `f` in `list`, reporting it as the index does. */
function put(ix: Intersections, list: TermPostings, pk: number, f: number): void {
  let i = 0;
  while (i < list.pks.length && list.pks[i] < pk) i++;
  if (list.pks[i] === pk) {
    if (list.f[i] !== f) {
      list.f[i] = f;
      ix.edited(list);
    }
    return;
  }
  list.pks.splice(i, 0, pk);
  list.f.splice(i, 0, f);
  ix.inserted(list, i, pk);
}

function drop(ix: Intersections, list: TermPostings, pk: number): void {
  const i = list.pks.indexOf(pk);
  if (i < 0) return;
  list.pks.splice(i, 1);
  list.f.splice(i, 1);
  ix.edited(list);
}

Deno.test("intersections: kept between lookups, extended by appends, recomputed after edits", () => {
  const ix = new Intersections();
  const a: TermPostings = { pks: [1, 3, 5, 7], f: [1, 1, 2, 1] };
  const b: TermPostings = { pks: [3, 5, 8], f: [0.5, 1, 1] };
  ix.hold(a);
  ix.hold(b);
  assert.deepEqual(ix.of("a b", [a, b]), [{ pk: 3, f: [1, 0.5] }, { pk: 5, f: [2, 1] }]);
  // New rows above every key: 9 holds both words, 10 only a.
  put(ix, a, 9, 1);
  put(ix, b, 9, 3);
  put(ix, a, 10, 1);
  assert.deepEqual(ix.of("a b", [a, b]), [
    { pk: 3, f: [1, 0.5] },
    { pk: 5, f: [2, 1] },
    { pk: 9, f: [1, 3] },
  ]);
  // Computed once, then extended by the new row (it went into both lists: appends, not edits).
  assert.deepEqual(ix.counts, { computed: 1, extended: 1 });
  assert.deepEqual(ix.of("a b", [a, b]).length, 3);
  assert.deepEqual(ix.counts, { computed: 1, extended: 1 });
  // Row 5 rewritten without word a; row 3's frequency in b changes.
  drop(ix, a, 5);
  put(ix, b, 3, 1.5);
  assert.deepEqual(ix.of("a b", [a, b]), [{ pk: 3, f: [1, 1.5] }, { pk: 9, f: [1, 3] }]);
  // A row put in below the highest key (a rewrite that adds the word): seen.
  put(ix, a, 8, 2);
  assert.deepEqual(ix.of("a b", [a, b]), [
    { pk: 3, f: [1, 1.5] },
    { pk: 8, f: [2, 1] },
    { pk: 9, f: [1, 3] },
  ]);
  // Another order of the same lists is its own entry, frequencies in that order.
  assert.deepEqual(ix.of("b a", [b, a]), [
    { pk: 3, f: [1.5, 1] },
    { pk: 8, f: [1, 2] },
    { pk: 9, f: [3, 1] },
  ]);
  // A list read anew (another object) is not the kept one.
  const a2: TermPostings = { pks: [8, 9], f: [2, 1] };
  ix.hold(a2);
  assert.deepEqual(ix.of("a b", [a2, b]), [{ pk: 8, f: [2, 1] }, { pk: 9, f: [1, 3] }]);
});

Deno.test("intersections: random appends, rewrites and lookups equal a plain intersection", () => {
  let s = 7;
  const rnd = (n: number) => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) % n;
  const ix = new Intersections();
  const lists: TermPostings[] = Array.from({ length: 4 }, () => ({ pks: [], f: [] }));
  let next = 1;
  const plain = (ls: TermPostings[]) => {
    const out: { pk: number; f: number[] }[] = [];
    for (const [i, pk] of ls[0].pks.entries()) {
      const f = [ls[0].f[i]];
      for (const l of ls.slice(1)) {
        const j = l.pks.indexOf(pk);
        if (j < 0) break;
        f.push(l.f[j]);
      }
      if (f.length === ls.length) out.push({ pk, f });
    }
    return out;
  };
  for (let step = 0; step < 3000; step++) {
    const op = rnd(10);
    if (op < 5) {
      const pk = next++; // a new row holding some of the words
      for (const l of lists) if (rnd(2)) put(ix, l, pk, 1 + rnd(3));
    } else if (op < 7 && next > 1) {
      const pk = 1 + rnd(next - 1); // a rewrite: words come and go, frequencies change
      for (const l of lists) {
        if (rnd(3) === 0) drop(ix, l, pk);
        else if (rnd(2)) put(ix, l, pk, 1 + rnd(3));
      }
    } else {
      const pick = lists.filter(() => rnd(2));
      if (pick.length === 0) continue;
      const key = pick.map((l) => lists.indexOf(l)).join(",");
      assert.deepEqual(ix.of(key, pick), plain(pick), `step ${step}, lists ${key}`);
    }
  }
});
