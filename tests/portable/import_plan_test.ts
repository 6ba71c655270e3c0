/** The pure import plan and record merge, table-driven. */
import assert from "node:assert/strict";
import {
  mergeRecord,
  planImport,
  planKeys,
  type PlanMemory,
  planPreview,
  remapLineage,
} from "../../lib/portable/mod.ts";
import { newRecord } from "../../lib/store/mod.ts";
import { conflicts, structuralDuplicates } from "../../lib/memory/mod.ts";

/** Toy rules: duplicate = same words ignoring case; conflict = one says "not" the other not. */
const rules = {
  duplicate: (a: string, b: string) => a.toLowerCase() === b.toLowerCase() && a !== b,
  conflicts: (a: string, b: string) =>
    a.replace(" not", "") === b.replace(" not", "") && a.includes(" not") !== b.includes(" not"),
};
const m = (id: string, content: string, extra: Partial<PlanMemory> = {}): PlanMemory => ({
  id,
  content,
  ...extra,
});

Deno.test("planImport decides merge / conflict / create in order", () => {
  const cases: {
    name: string;
    incoming: PlanMemory[];
    existing: PlanMemory[];
    want: [string, string, string?][];
  }[] = [
    { name: "new", incoming: [m("1", "a b c")], existing: [], want: [["create", "new memory"]] },
    {
      name: "same id wins over everything",
      incoming: [m("1", "x is not y")],
      existing: [m("1", "x is y")],
      want: [["merge", "same id", "1"]],
    },
    {
      name: "same hash",
      incoming: [m("1", "a", { content_hash: "h" })],
      existing: [m("9", "b", { content_hash: "h" })],
      want: [["merge", "same content_hash", "9"]],
    },
    {
      name: "structural duplicate",
      incoming: [m("1", "Deploy Friday")],
      existing: [m("9", "deploy friday")],
      want: [["merge", "structural duplicate", "9"]],
    },
    {
      name: "archived memories do not absorb new ones",
      incoming: [m("1", "Deploy Friday")],
      existing: [m("9", "deploy friday", { archived: true })],
      want: [["create", "new memory"]],
    },
    {
      name: "conflict",
      incoming: [m("1", "x is not y")],
      existing: [m("9", "x is y")],
      want: [["conflict", "contradicts an existing memory", "9"]],
    },
    {
      name: "a recorded contradiction is no new conflict",
      incoming: [m("1", "x is not y", { contradicts_with: ["9"] })],
      existing: [m("9", "x is y")],
      want: [["create", "new memory"]],
    },
    {
      name: "superseded memories neither conflict nor are conflicted",
      incoming: [m("1", "x is not y", { superseded_by: "2" }), m("3", "p is not q")],
      existing: [m("9", "x is y"), m("8", "p is q", { superseded_by: "7" })],
      want: [["create", "new memory"], ["create", "new memory"]],
    },
    {
      name: "lineage-linked pairs are not merged",
      incoming: [m("1", "Deploy Friday", { derived_from: ["9"] })],
      existing: [m("9", "deploy friday")],
      want: [["create", "new memory"]],
    },
    {
      name: "later entries dedup against created ones",
      incoming: [m("1", "Ship it"), m("2", "ship it"), m("3", "Ship it not")],
      existing: [],
      want: [
        ["create", "new memory"],
        ["merge", "structural duplicate", "1"],
        ["conflict", "contradicts an existing memory", "1"],
      ],
    },
  ];
  for (const c of cases) {
    const p = planImport(c.incoming, c.existing, {
      targetNamespace: "t",
      scope: "all",
      integrityValid: true,
      rules,
    });
    assert.deepEqual(
      p.items.map((i) => [i.decision, i.reason, ...(i.existing_id ? [i.existing_id] : [])]),
      c.want,
      c.name,
    );
    assert.equal(
      p.create_count + p.merge_count + p.conflict_count,
      c.incoming.length,
      c.name,
    );
  }
});

Deno.test("planPreview cuts at 96 characters with '...'", () => {
  assert.equal(planPreview("short"), "short");
  assert.equal(planPreview("é".repeat(96)), "é".repeat(96));
  assert.equal(planPreview("é".repeat(97)), "é".repeat(96) + "...");
});

const rec = (id: string, extra: Partial<ReturnType<typeof newRecord>> = {}) =>
  newRecord({
    id,
    content: `memory ${id}`,
    namespace: "n",
    created_at: "2026-03-01T00:00:00.000Z",
    ...extra,
  });

Deno.test("remapLineage renames ids everywhere lineage points", () => {
  const r = rec("a", {
    superseded_by: "b",
    derived_from: ["c", "x"],
    contradicts_with: ["d"],
    review_events: [{
      at: "2026-03-01T00:00:00.000Z",
      actor: "o",
      action: "supersede",
      via: "cli",
      superseded_by: "b",
    }],
  });
  const ids = new Map([["a", "A"], ["b", "B"], ["c", "C"], ["d", "D"]]);
  const out = remapLineage(r, ids);
  assert.equal(out.id, "A");
  assert.equal(out.superseded_by, "B");
  assert.deepEqual(out.derived_from, ["C", "x"]);
  assert.deepEqual(out.contradicts_with, ["D"]);
  assert.equal(out.review_events[0].superseded_by, "B");
  assert.equal(r.id, "a", "input untouched");
});

Deno.test("mergeRecord: identical is a no-op, newer same-id wins, other ids add evidence", () => {
  const now = "2026-04-01T00:00:00.000Z";
  const stored = rec("a", {
    tags: ["x"],
    version: 2,
    updated_at: "2026-03-02T00:00:00.000Z",
    reuse_count: 4,
  });
  assert.equal(mergeRecord(stored, { ...stored, reuse_count: 0 }, { now }), null);

  const newer = {
    ...stored,
    content: "changed",
    status: "stale" as const,
    version: 5,
    updated_at: "2026-03-05T00:00:00.000Z",
    tags: ["y"],
  };
  const m1 = mergeRecord(stored, newer, { now })!;
  assert.equal(m1.content, "changed");
  assert.equal(m1.status, "stale");
  assert.equal(m1.version, 5);
  assert.equal(m1.updated_at, "2026-03-05T00:00:00.000Z");
  assert.deepEqual(m1.tags, ["x", "y"]);
  assert.equal(m1.reuse_count, 4, "local counters survive");

  const older = {
    ...stored,
    content: "old",
    version: 1,
    updated_at: "2026-03-01T00:00:00.000Z",
    tags: ["z"],
  };
  const m2 = mergeRecord(stored, older, { now })!;
  assert.equal(m2.content, stored.content);
  assert.deepEqual(m2.tags, ["x", "z"]);
  assert.equal(m2.version, 3);
  assert.equal(m2.updated_at, now);

  const other = rec("b", { tags: ["w"], evidence_count: 2 });
  const m3 = mergeRecord(stored, other, { now })!;
  assert.equal(m3.id, "a");
  assert.equal(m3.evidence_count, 3);
  assert.deepEqual(m3.tags, ["x", "w"]);
  assert.equal(m3.version, 3);
});

Deno.test("blocking keys change no decision of the real rules", () => {
  const subjects = [
    "auto deploy",
    "the cache layer",
    "nightly backups",
    "feature flags",
    "audit logging",
  ];
  const places = ["staging", "production", "the beta cohort", "every region", "the CI runners"];
  const texts: string[] = [];
  for (const s of subjects) {
    for (const p of places) {
      texts.push(`${s} is enabled for ${p} this quarter`);
      texts.push(`${s} is disabled for ${p} this quarter`);
      texts.push(`${s.toUpperCase()} IS ENABLED FOR ${p.toUpperCase()} THIS QUARTER`);
      texts.push(`Note: ${s} is enabled for ${p} this quarter, says the runbook`);
      texts.push(`the ${s} owner reviews ${p} weekly`);
    }
  }
  const entries = texts.map((content, i) => ({ id: `i${i}`, content }));
  const stored = texts.slice(0, 40).map((content, i) => ({ id: `s${i}`, content: `${content}.` }));
  const o = { targetNamespace: "t", scope: "all", integrityValid: true };
  const base = { duplicate: structuralDuplicates, conflicts };
  const all = planImport(entries, stored, { ...o, rules: base });
  const blocked = planImport(entries, stored, { ...o, rules: { ...base, keys: planKeys } });
  assert.deepEqual(blocked.items, all.items);
  assert.ok(
    all.merge_count > 20 && all.conflict_count > 20 && all.create_count > 5,
    JSON.stringify([all.create_count, all.merge_count, all.conflict_count]),
  );
});
