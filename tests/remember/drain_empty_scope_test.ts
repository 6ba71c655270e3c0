/**
 * End to end: `remember --agent "" --session ""` then `drain` stores no agent and no session
 * (null, as an empty filter is no filter) on both drain paths: a plain ADD and an UPDATE that
 * supersedes an older memory.
 */
import assert from "node:assert/strict";
import { assertExit, cli, type Json, okJson, withHome } from "../cli/_helpers.ts";

Deno.test("drain: an empty agent or session from remember is stored as null (ADD and UPDATE)", async () => {
  await withHome(async (home) => {
    const remember = (text: string) =>
      cli(home, "remember", "-n", "drn", "--agent", "", "--session", "", text);
    // Same subject, changing number: the first is an ADD, the second UPDATEs (supersedes) it.
    assertExit(await remember("Deploy window number 1 is Tuesday"), 0);
    assertExit(await remember("Deploy window number 2 is Tuesday"), 0);
    const d = okJson(await cli(home, "drain", "--json"));
    assert.deepEqual(d.actions, { ADD: 1, UPDATE: 1, DELETE: 0, NONE: 0 });

    const list = okJson(await cli(home, "list", "-n", "drn", "--include-archived", "--json"));
    assert.equal(list.total, 2);
    const byContent = Object.fromEntries(list.memories.map((m: Json) => [m.content, m]));
    const added = byContent["Deploy window number 1 is Tuesday"];
    const superseding = byContent["Deploy window number 2 is Tuesday"];
    assert.equal(added.archived, true, "the first was superseded");
    assert.equal(superseding.archived, false);
    for (const m of [added, superseding]) {
      assert.equal(m.agent, null, `${m.content}: agent`);
      assert.equal(m.session, null, `${m.content}: session`);
    }
    // An empty --agent filter is no filter: both are listed.
    const filtered = okJson(
      await cli(home, "list", "-n", "drn", "--include-archived", "--agent", "", "--json"),
    );
    assert.equal(filtered.total, 2);
  });
});
