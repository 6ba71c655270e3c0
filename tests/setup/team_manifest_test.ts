/**
 * `setup --team-manifest FILE` through main.ts (memoryOSS §8): the manifest's team_id becomes
 * the team-node namespace, its trust catalog is imported into <home>/trust.json, and the
 * bootstrap receipt {team_id, team_label, catalog_id, manifest_path, applied_at, profile,
 * configured_clients} is written to <home>/team-bootstrap.json.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cliWith } from "../cli/_helpers.ts";
import { setupHome } from "./_support.ts";

const MANIFEST = {
  team_id: "platform",
  team_label: "Platform team",
  catalog: {
    catalog_id: "team-platform",
    label: "Platform",
    exported_at: "2026-03-01T10:00:00Z",
    identities: [
      {
        id: "device:ci",
        kind: "device",
        label: "CI runner",
        registered_at: "2026-03-01T09:00:00Z",
      },
    ],
    revocations: [],
  },
};

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

Deno.test("setup --team-manifest: team namespace, catalog imported, receipt written", async () => {
  await using h = await setupHome();
  await Deno.mkdir(join(h.home, ".cursor"));
  const env = {
    HOME: h.home,
    MEMORYOSS_HOME: h.mh,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
  };
  const file = join(h.home, "team.json");
  await Deno.writeTextFile(file, JSON.stringify(MANIFEST));
  const run = (...args: string[]) => cliWith(h.home, { env }, ...args);

  const dry = await run("setup", "--team-manifest", file, "--bin", "/opt/m", "--dry-run");
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(
    dry.stdout,
    /team platform \(Platform team\): would import trust catalog team-platform/,
  );
  assert.equal(await exists(join(h.mh, "trust.json")), false);
  assert.equal(await exists(join(h.mh, "team-bootstrap.json")), false);

  const r = await run("setup", "--team-manifest", file, "--bin", "/opt/m", "--json");
  assert.equal(r.code, 0, r.stderr);
  const out = r.json();
  assert.equal(out.profile, "team-node");
  const receipt = out.team_bootstrap;
  assert.deepEqual(
    { ...receipt, applied_at: "T" },
    {
      team_id: "platform",
      team_label: "Platform team",
      catalog_id: "team-platform",
      manifest_path: file,
      applied_at: "T",
      profile: "team-node",
      configured_clients: ["cursor"],
    },
  );
  assert.ok(!Number.isNaN(Date.parse(receipt.applied_at)));
  const saved = JSON.parse(await Deno.readTextFile(join(h.mh, "team-bootstrap.json")));
  assert.deepEqual(saved, receipt);
  // The team id is the namespace the client's MCP server uses.
  const reg = JSON.parse((await h.read(".cursor/mcp.json"))!).mcpServers.memoryoss;
  assert.deepEqual(reg.args.slice(-2), ["--namespace", "platform"]);
  // The catalog's identity is known now, from that catalog.
  const trust = JSON.parse(await Deno.readTextFile(join(h.mh, "trust.json")));
  const ci = trust.identities.find((i: { id: string }) => i.id === "device:ci");
  assert.equal(ci.source, "catalog");
  assert.equal(ci.source_catalog, "team-platform");
  assert.equal(ci.label, "CI runner");
  const list = await run("trust", "list", "--json");
  assert.match(list.stdout, /device:ci/);
});

Deno.test("setup --team-manifest: a bad manifest or a clashing --team is exit 3, nothing written", async () => {
  await using h = await setupHome();
  await Deno.mkdir(join(h.home, ".cursor"));
  const env = {
    HOME: h.home,
    MEMORYOSS_HOME: h.mh,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
  };
  const run = (...args: string[]) => cliWith(h.home, { env }, ...args);
  const bad = join(h.home, "bad.json");
  await Deno.writeTextFile(bad, JSON.stringify({ team_id: "platform" }));
  const good = join(h.home, "team.json");
  await Deno.writeTextFile(good, JSON.stringify(MANIFEST));
  const cases: [string[], RegExp][] = [
    [["setup", "--team-manifest", bad], /--team-manifest .*bad\.json: catalog/],
    [["setup", "--team-manifest", join(h.home, "nope.json")], /no such file/],
    [["setup", "--team-manifest", good, "--team", "other"], /differs from the manifest's team_id/],
  ];
  for (const [args, says] of cases) {
    const r = await run(...args);
    assert.equal(r.code, 3, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^memoryoss: error: /);
    assert.match(r.stderr, says);
  }
  assert.deepEqual(await h.snapshot(), {
    "bad.json": JSON.stringify({ team_id: "platform" }),
    "team.json": JSON.stringify(MANIFEST),
  });
  const help = await run("setup", "--help");
  assert.match(help.stdout, /memoryoss setup --profile team-node --team-manifest team\.json/);
});
