/**
 * `recall` through main.ts on an encrypted home opens its results through WebCrypto and never
 * loads Node's crypto (≈ 17 ms of a recall's start-up, issue 18 item 5). The observable is
 * Deno's own module log (`DENO_LOG=debug` names every Node module a process loads, "… for ES
 * module: node:crypto"): no code of ours reports it. The log is checked to work twice: `store`
 * (which seals synchronously) shows node:crypto in it, and the recall's own log shows the Node
 * module it does load (node:sqlite), so an empty log cannot pass for "not loaded".
 *
 * The query is a "when…?" question and the notes have no session, so ranking reads the
 * candidates' content (the "when" anchor) and metadata (the conversation focus): they come from
 * the WebCrypto batch of the candidates (lib/recall/engine_score.ts `readCandidates`).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { cliWith, okJson, withHome } from "./_helpers.ts";

const NOTES = [
  {
    content: "Backups rotate every Sunday at 02:00 to the cold bucket.",
    tags: "backup,ops",
    metadata: { owner: "Ana", runbook: "RB-12" },
  },
  {
    content: "The staging database password is rotated by the vault agent.",
    tags: "secrets",
    metadata: { owner: "Ben" },
  },
  {
    content: "Lunch orders close at eleven on Fridays.",
    tags: "office",
    metadata: {},
  },
];

/** The modules a process logged as loaded under DENO_LOG=debug. */
function loadedModules(stderr: string): Set<string> {
  return new Set([...stderr.matchAll(/for ES module: (\S+?),/g)].map((m) => m[1]));
}

Deno.test("cli recall: an encrypted home's results, exact, with node:crypto never loaded", async () => {
  await withHome(async (home) => {
    const debug = { env: { DENO_LOG: "debug" } };
    for (const [i, n] of NOTES.entries()) {
      const r = await cliWith(
        home,
        i === 0 ? debug : {},
        ...["store", "--json", "-n", "ops", "--tags", n.tags, "--metadata"],
        ...[JSON.stringify(n.metadata), n.content],
      );
      assert.equal(okJson(r).outcome, "created");
      if (i === 0) {
        assert.ok(loadedModules(r.stderr).has("node:crypto"), "store seals with Node's crypto");
      }
    }
    const db = new DatabaseSync(join(home, "memoryoss.db"), { readOnly: true });
    try {
      const rows = db.prepare("SELECT content, metadata FROM memories").all() as {
        content: string;
        metadata: string;
      }[];
      assert.equal(rows.length, 3);
      for (const row of rows) {
        assert.match(row.content, /^enc1:[0-9a-f]{12}:/, "content sealed on disk");
        assert.match(row.metadata, /^enc1:[0-9a-f]{12}:/, "metadata sealed on disk");
      }
    } finally {
      db.close();
    }

    const r = await cliWith(
      home,
      debug,
      ...["recall", "-n", "ops", "--json", "--limit", "3", "when do the backups rotate?"],
    );
    const res = okJson(r);
    const got = res.memories.map((m: { content: string; tags: string[]; metadata: unknown }) => ({
      content: m.content,
      tags: m.tags.join(","),
      metadata: m.metadata,
    }));
    // The two notes about rotating, the backups first; the lunch note shares no word.
    assert.deepEqual(got, [NOTES[0], NOTES[1]]);
    const modules = loadedModules(r.stderr);
    assert.ok(modules.has("ext:deno_node/sqlite.ts"), "the module log of this run is on");
    assert.ok(!modules.has("node:crypto"), "recall loaded node:crypto");
    assert.ok(!modules.has("ext:deno_node/crypto.ts"), "recall loaded node:crypto");
  });
});
