/**
 * `memoryoss connector list|ingest` and `memoryoss hud` through main.ts, the twins of
 * GET /v1/connectors, POST /v1/connectors/ingest and GET /v1/admin/hud. The connector kinds
 * are memoryOSS's (spec §2.5); a signal becomes a candidate waiting for review.
 */
import assert from "node:assert/strict";
import { assertExit, cli, withHome } from "./_helpers.ts";

Deno.test("connector list: memoryOSS's connector kinds, all off by default", async () => {
  await withHome(async (home) => {
    const r = await cli(home, "connector", "list", "--json");
    assertExit(r, 0);
    const kinds = r.json().connectors.map((c: { kind: string }) => c.kind);
    for (const k of ["editor", "terminal", "browser", "ticket", "incident"]) {
      assert.ok(kinds.includes(k), `${k} in ${kinds}`);
    }
    assert.equal(r.json().ingest_path, "/v1/connectors/ingest");
    const text = await cli(home, "connector", "list");
    assert.match(text.stdout, /^ticket +\S/m);
  });
});

Deno.test("connector ingest: a candidate in the review queue; hud shows it", async () => {
  await withHome(async (home) => {
    const dry = await cli(
      home,
      "connector",
      "ingest",
      "ticket",
      "EU cards fail",
      "--dry-run",
      "-n",
      "shop",
      "--json",
    );
    assertExit(dry, 0);
    assert.equal(dry.json().dry_run, true);
    const empty = await cli(home, "hud", "-n", "shop", "--json");
    assertExit(empty, 0);
    assert.equal(empty.json().lifecycle.total, 0, "a dry run stores nothing");

    const secret = "sk-live-abcdefabcdefabcdefabcdef";
    const r = await cli(
      home,
      "connector",
      "ingest",
      "ticket",
      "Checkout fails for EU cards",
      "--evidence",
      `token ${secret}`,
      "--tag",
      "payments",
      "-n",
      "shop",
      "--json",
    );
    assertExit(r, 0);
    assert.equal(r.json().dry_run, false);
    assert.match(r.json().id, /^[0-9a-f-]{36}$/);
    assert.ok(!r.stdout.includes(secret), "redacted by default");

    const hud = await cli(home, "hud", "-n", "shop", "--json");
    assertExit(hud, 0);
    const v = hud.json();
    assert.equal(v.namespace, "shop");
    assert.equal(v.lifecycle.candidate, 1);
    assert.equal(v.review_queue.summary.pending, 1);
    assert.equal(v.review_queue.items[0].id, r.json().id);
    assert.match(v.review_queue.items[0].preview, /Checkout fails for EU cards/);
    assert.ok(!hud.stdout.includes(secret));

    const text = await cli(home, "hud", "-n", "shop");
    assertExit(text, 0);
    assert.match(text.stdout, /^ {2}candidate +1$/m);
    assert.match(text.stdout, /^ {2}1\. \[candidate\] .*Checkout fails for EU cards/m);
    const other = await cli(home, "hud", "-n", "elsewhere", "--json");
    assert.equal(other.json().lifecycle.total, 0, "hud is per namespace");
  });
});

Deno.test("hud and connector: --help has an example", async () => {
  await withHome(async (home) => {
    assert.match((await cli(home, "hud", "--help")).stdout, /memoryoss hud -n proj/);
    assert.match(
      (await cli(home, "connector", "ingest", "--help")).stdout,
      /memoryoss connector ingest ticket/,
    );
  });
});
