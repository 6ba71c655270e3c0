/**
 * End to end: every command with subcommands dispatches them one way (cli/_subcommands.ts):
 * a missing or unknown subcommand is exit 3 with one line naming the valid ones, `help SUB`
 * and `SUB --help` print the subcommand's help, and help creates nothing. The expected names
 * are written out here from each command's documented usage.
 */
import assert from "node:assert/strict";
import { assertExit, assertOneLineError, assertUserError, cli, withHome } from "./_helpers.ts";

/** Each command and its subcommands, in the order its help lists them. */
const GROUPS: [string, string[]][] = [
  ["passport", ["export", "import"]],
  ["keys", ["list", "create", "revoke", "rotate"]],
  ["scheduler", ["status", "start", "stop", "trigger", "drain", "serve", "queue", "interval"]],
  ["config", ["show", "path", "migrate", "get", "set"]],
  ["graph", ["show", "link", "unlink", "rebuild"]],
  ["insights", ["protect", "candidates"]],
  ["worker", ["install", "remove", "status"]],
  ["review", ["queue", "confirm", "reject", "supersede"]],
  ["embed", ["reembed", "swap", "status"]],
];

const LANE = [
  "audit",
  "fix",
  "history",
  "git-log",
  "diff",
  "restore",
  "tend",
  "ctl",
  "doctor",
  "accounts",
  "logs",
  "tick-log",
  "janitor",
  "orphan-node",
  "tmux-janitor",
  "pressure",
  "vacuum",
  "last-tick-summary",
  "plugins",
  "service",
];

Deno.test("subcommands: an unknown one is exit 3, one line naming the valid ones", async () => {
  await withHome(async (home) => {
    for (const [group, subs] of [...GROUPS, ["lane", LANE] as [string, string[]]]) {
      const r = await cli(home, group, "frobnicate");
      assertUserError(r, 3);
      assertOneLineError(r);
      assert.equal(
        r.stderr.trim(),
        `memoryoss: error: unknown ${group} subcommand 'frobnicate' (one of: ${subs.join(", ")})`,
      );
    }
    assert.deepEqual([...Deno.readDirSync(home)], [], "a wrong subcommand creates nothing");
  });
});

Deno.test("subcommands: lane's action words fail the same way", async () => {
  const ACTIONS: [string, string[]][] = [
    ["janitor", ["list", "apply"]],
    ["plugins", ["list", "install", "enable", "disable", "remove"]],
    ["service", ["install", "remove", "status"]],
    ["ctl", ["status", "ping", "tick", "dry-run", "last-tick", "memory", "logs"]],
    ["orphan-node", ["list", "reap"]],
  ];
  await withHome(async (home) => {
    for (const [sub, actions] of ACTIONS) {
      const r = await cli(home, "lane", sub, "frobnicate");
      assertUserError(r, 3);
      assert.equal(
        r.stderr.trim(),
        `memoryoss: error: unknown lane ${sub} subcommand 'frobnicate' (one of: ${
          actions.join(", ")
        })`,
      );
    }
  });
});

Deno.test("subcommands: a missing one names the valid ones (where there is no default)", async () => {
  await withHome(async (home) => {
    for (const group of ["keys", "graph", "worker", "review", "insights"]) {
      const subs = GROUPS.find(([g]) => g === group)![1];
      const r = await cli(home, group);
      assertUserError(r, 3);
      assert.equal(
        r.stderr.trim(),
        `memoryoss: error: ${group} needs a subcommand (one of: ${subs.join(", ")})`,
      );
    }
  });
});

Deno.test("subcommands: `help SUB` and `SUB --help` print the subcommand's help", async () => {
  await withHome(async (home) => {
    const [helpWord, flag, passport, unknown] = await Promise.all([
      cli(home, "lane", "help", "orphan-node"),
      cli(home, "lane", "orphan-node", "--help"),
      cli(home, "passport", "help", "import"),
      cli(home, "lane", "help", "nope"),
    ]);
    for (const r of [helpWord, flag]) {
      assertExit(r, 0);
      assert.match(r.stdout, /^memoryoss lane orphan-node — /);
      assert.match(r.stdout, /^ {2}memoryoss lane orphan-node/m);
      assert.match(r.stdout, /cmmd's spelling: /);
    }
    assertExit(passport, 0);
    assert.match(passport.stdout, /^memoryoss passport import — /);
    assert.match(passport.stdout, /--dry-run/);
    assertUserError(unknown, 3);
    assert.match(unknown.stderr, /unknown lane subcommand 'nope' \(one of: audit, fix, /);
    assert.deepEqual([...Deno.readDirSync(home)], [], "help creates nothing");
  });
});

Deno.test("subcommands: a group's help lists each subcommand apart from its summary", async () => {
  await withHome(async (home) => {
    const r = await cli(home, "lane", "--help");
    assertExit(r, 0);
    assert.match(r.stdout, /^memoryoss lane — /);
    assert.match(r.stdout, /^ {2}memoryoss lane SUBCOMMAND \[options\]$/m);
    for (const name of LANE) {
      // Long names such as last-tick-summary keep a gap before their summary.
      assert.match(r.stdout, new RegExp(`^  ${name}  +\\S`, "m"), name);
    }
    assert.match(r.stdout, /Settings use cmmd's names/);
    assert.match(r.stdout.trimEnd(), /Run 'memoryoss lane SUBCOMMAND --help' for its options\.$/);
  });
});

Deno.test("subcommands: verbs sharing one help page print it for `help` and `VERB --help`", async () => {
  await withHome(async (home) => {
    const [helpWord, afterVerb] = await Promise.all([
      cli(home, "keys", "help"),
      cli(home, "keys", "rotate", "--help"),
    ]);
    for (const r of [helpWord, afterVerb]) {
      assertExit(r, 0);
      assert.match(r.stdout, /^memoryoss keys — /);
      assert.match(r.stdout, /^ {2}memoryoss keys rotate KEY_ID/m);
    }
    assert.deepEqual([...Deno.readDirSync(home)], [], "help creates nothing");
  });
});
