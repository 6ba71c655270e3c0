/** `memoryoss graph …` through main.ts: show, link, unlink, rebuild, and bad input. */
import assert from "node:assert/strict";
import {
  assertOneLineError,
  assertUserError,
  cli,
  okJson,
  storeJson,
  withHome,
} from "../cli/_helpers.ts";

Deno.test("cli graph: show, link, unlink and rebuild", async () => {
  await withHome(async (home) => {
    const a = await storeJson(
      home,
      "-n",
      "demo",
      "--session",
      "s1",
      "The Kestrel log shipper doubled its memory use after the 2.3 upgrade.",
    );
    const b = await storeJson(
      home,
      "-n",
      "demo",
      "--session",
      "s1",
      "ledger-sync pods kept getting OOM-killed because the Kestrel sidecar doubled its memory use.",
    );
    const c = await storeJson(home, "-n", "demo", "Tea is the user's afternoon drink.");
    const shown = okJson(await cli(home, "graph", "show", b.id, "--json"));
    assert.equal(shown.id, b.id);
    const kinds = shown.edges.map((e: { kind: string }) => e.kind).sort();
    assert.deepEqual(kinds, ["causal", "entity", "temporal"]);
    const causal = shown.edges.find((e: { kind: string }) => e.kind === "causal");
    assert.equal(causal.from, a.id, "cause → effect");
    assert.deepEqual(Object.keys(causal.neighbour).sort(), [
      "archived",
      "category",
      "content",
      "created_at",
      "id",
      "namespace",
      "status",
    ]);
    const onlyCausal = okJson(await cli(home, "graph", "show", b.id, "--kind", "causal", "--json"));
    assert.equal(onlyCausal.edges.length, 1);

    const linked = okJson(
      await cli(home, "graph", "link", c.id, a.id, "--kind", "entity", "--weight", "0.4", "--json"),
    );
    assert.equal(linked.origin, "manual");
    assert.equal(linked.weight, 0.4);
    const deep = okJson(await cli(home, "graph", "show", c.id, "--depth", "2", "--json"));
    assert.ok(deep.edges.some((e: { neighbour: { id: string } }) => e.neighbour.id === b.id));

    const dry = okJson(await cli(home, "graph", "rebuild", "--dry-run", "--json"));
    assert.equal(dry.dry_run, true);
    assert.equal(dry.namespaces[0].memories, 3);
    const rebuilt = okJson(await cli(home, "graph", "rebuild", "-n", "demo", "--json"));
    assert.equal(rebuilt.namespaces[0].edges.causal, 1);
    const text = await cli(home, "graph", "show", c.id);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /entity\s+0\.40 manual/, "rebuild keeps manual links");

    const unlinked = okJson(await cli(home, "graph", "unlink", c.id, a.id, "--json"));
    assert.equal(unlinked.removed, 1);
    const again = await cli(home, "graph", "unlink", c.id, a.id);
    assertUserError(again, 4);
  });
});

Deno.test("cli graph: unknown ids exit 4, bad kinds and arguments exit 3, one line each", async () => {
  await withHome(async (home) => {
    const a = await storeJson(home, "-n", "demo", "First memory about the Kestrel shipper.");
    const missing = await cli(home, "graph", "show", "0190aaaa-0000-7000-8000-000000000000");
    assertUserError(missing, 4);
    assertOneLineError(missing);
    assert.match(missing.stderr, /no memory with id/);
    const badKind = await cli(home, "graph", "link", a.id, a.id, "--kind", "friendship");
    assertUserError(badKind, 3);
    assert.match(
      badKind.stderr,
      /unknown edge kind 'friendship': use temporal, entity, causal, semantic/,
    );
    const badShowKind = await cli(home, "graph", "show", a.id, "--kind", "nope");
    assertUserError(badShowKind, 3);
    const noKind = await cli(home, "graph", "link", a.id, a.id);
    assertUserError(noKind, 3);
    const self = await cli(home, "graph", "link", a.id, a.id, "--kind", "causal");
    assertUserError(self, 3);
    const badWeight = await cli(
      home,
      "graph",
      "link",
      a.id,
      a.id,
      "--kind",
      "causal",
      "--weight",
      "2",
    );
    assertUserError(badWeight, 3);
    const badAction = await cli(home, "graph", "explode");
    assertUserError(badAction, 3);
    const linkMissing = await cli(
      home,
      "graph",
      "link",
      a.id,
      "0190aaaa-0000-7000-8000-000000000000",
      "--kind",
      "causal",
    );
    assertUserError(linkMissing, 4);
  });
});
