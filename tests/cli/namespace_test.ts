/** End to end: namespaces never leak into each other, whatever the command. */
import assert from "node:assert/strict";
import {
  assertExit,
  assertUserError,
  cli,
  type Json,
  listAll,
  okJson,
  storeJson,
  withHome,
} from "./_helpers.ts";

Deno.test("cli namespaces: recall, list, export, inspect, update and forget stay inside their namespace", async () => {
  await withHome(async (home) => {
    const a1 = await storeJson(
      home,
      "-n",
      "a",
      "--tags",
      "falcon",
      "Project Falcon launches on Monday after the security review.",
    );
    const a2 = await storeJson(home, "-n", "a", "--tags", "falcon", "Falcon budget is 2 million.");
    const b1 = await storeJson(home, "-n", "b", "--tags", "garden", "Water the garden on Mondays.");
    const d1 = await storeJson(home, "Default namespace note about tea.");
    const aIds = new Set([a1.id, a2.id]);

    const q = "Falcon launch Monday security review budget";
    const [inB, inDefault, inA, listB, exportB, statusAll] = await Promise.all([
      cli(home, "recall", "-n", "b", "--json", "--limit", "100", q),
      cli(home, "recall", "--json", "--limit", "100", q),
      cli(home, "recall", "-n", "a", "--json", q),
      cli(home, "list", "-n", "b", "--json", "--limit", "10000"),
      cli(home, "export", "-n", "b"),
      cli(home, "status", "--json"),
    ]);
    for (const r of [okJson(inB), okJson(inDefault)]) {
      assert.ok(r.memories.every((m: Json) => !aIds.has(m.id)), JSON.stringify(r));
      assert.ok(!JSON.stringify(r.memories).includes("Falcon"));
    }
    // Only the namespace's own memories can show up (relevance may drop them entirely).
    assert.ok(okJson(inB).memories.every((m: Json) => m.id === b1.id));
    assert.ok(okJson(inDefault).memories.every((m: Json) => m.id === d1.id));
    assert.equal(okJson(inA).memories[0].id, a1.id);
    assert.ok(okJson(inA).memories.every((m: Json) => m.namespace === "a"));
    const lb = okJson(listB);
    assert.equal(lb.total, 1);
    assert.deepEqual(lb.memories.map((m: Json) => m.id), [b1.id]);
    const eb = okJson(exportB);
    assert.equal(eb.namespace, "b");
    assert.equal(eb.count, 1);
    assert.deepEqual(eb.memories.map((m: Json) => m.id), [b1.id]);
    assert.ok(!exportB.stdout.includes("Falcon"));
    const byNs = Object.fromEntries(
      okJson(statusAll).namespaces.map((n: Json) => [n.namespace, n.total]),
    );
    assert.deepEqual(byNs, { a: 2, b: 1, default: 1 });

    // An id from `a` does not exist when asked for in `b`.
    const [inspectB, inspectA, inspectAny, updateB, forgetB] = await Promise.all([
      cli(home, "inspect", a1.id, "--namespace", "b"),
      cli(home, "inspect", a1.id, "--namespace", "a", "--json"),
      cli(home, "inspect", a1.id, "--json"),
      cli(home, "update", a1.id, "--namespace", "b", "--content", "hijacked"),
      cli(home, "forget", "--namespace", "b", "--ids", `${a1.id},${a2.id}`, "--json"),
    ]);
    assertUserError(inspectB, 4);
    assert.match(inspectB.stderr, /no memory with id/);
    assert.equal(inspectB.stdout, "");
    assert.equal(okJson(inspectA).namespace, "a");
    assert.equal(okJson(inspectAny).id, a1.id);
    assertUserError(updateB, 4);
    // Ids in `a` do not exist when asked for in `b`: not found (exit 4), nothing deleted.
    assertExit(forgetB, 4);
    assert.deepEqual(JSON.parse(forgetB.stderr).error, {
      code: "NOT_FOUND",
      message: `no memory with id ${a1.id}, ${a2.id}; nothing was deleted`,
      path: ["ids"],
    });

    const wipeB = okJson(await cli(home, "forget", "-n", "b", "--all", "--yes", "--json"));
    assert.deepEqual(wipeB.ids, [b1.id]);
    const afterA = await listAll(home, "a");
    assert.equal(afterA.total, 2);
    assert.equal(
      afterA.memories.find((m: Json) => m.id === a1.id).content,
      "Project Falcon launches on Monday after the security review.",
      "the cross-namespace update changed nothing",
    );
    assert.equal((await listAll(home, "b")).total, 0);
    assert.equal((await listAll(home, "default")).total, 1);
  });
});
