/**
 * `lane accounts [--switch EMAIL]` and the per-tick accounts record: authmux's `list`,
 * `current`, `status` (a fake `authmux` script on PATH speaks them) and the account folders
 * under ~/.claude-accounts — names, emails and expiry only, never a token.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseAuthmuxCurrent, parseAuthmuxList, parseAuthmuxStatus } from "../../lib/lane/mod.ts";
import { MAIN } from "../cli/_helpers.ts";
import { copyFixture, runLane, script, tempDir } from "./_support.ts";

Deno.test("authmux output: cmmd's list form and authmux's own, current, status", () => {
  assert.deepEqual(
    parseAuthmuxList(
      "[*]a@x.io type=max 5h=40% weekly=12%\n[ ]b@x.io type=pro 5h=- weekly=80%\nnoise\n",
    ),
    [
      { email: "a@x.io", kind: "max", five_h_pct: 40, weekly_pct: 12, active: true },
      { email: "b@x.io", kind: "pro", five_h_pct: null, weekly_pct: 80, active: false },
    ],
  );
  // authmux prints `* name  type=Plan (Tier)  5h=N%  weekly=N%`, a type with spaces.
  const own = parseAuthmuxList(
    "  admin@c.com  type=ChatGPT seat (Business)  5h=1%  weekly=22%\n" +
      "* me@d.hu  type=Usage based (Codex)  5h=99%  weekly=44%\n\nClaude Code accounts:\n" +
      "  ✓ work  type=max  expires=2026-01-01\n",
  );
  assert.deepEqual(own.map((a) => [a.email, a.kind, a.five_h_pct, a.active]), [
    ["admin@c.com", "ChatGPT seat (Business)", 1, false],
    ["me@d.hu", "Usage based (Codex)", 99, true],
  ]);
  assert.equal(parseAuthmuxCurrent("me@d.hu\n", own), "me@d.hu");
  assert.equal(parseAuthmuxCurrent("No active account.\n", own), "me@d.hu");
  assert.equal(parseAuthmuxCurrent("No active account.\n", []), null);
  assert.deepEqual(parseAuthmuxStatus("Auto-switch: disabled\nService: not installed\n"), {
    auto_switch: false,
    service_state: "not installed",
  });
  assert.deepEqual(parseAuthmuxStatus("nothing useful"), {
    auto_switch: null,
    service_state: null,
  });
});

const FAKE_AUTHMUX = `#!/bin/sh
dir=$(dirname "$0")
echo "$*" >> "$dir/calls.log"
cur=$(cat "$dir/current" 2>/dev/null || echo a@x.io)
case "$1" in
  list)
    for row in "a@x.io type=max 5h=40% weekly=12%" "b@x.io type=pro 5h=- weekly=80%"; do
      case "$row" in "$cur "*) printf '[*]%s\\n' "$row";; *) printf '[ ]%s\\n' "$row";; esac
    done;;
  current) echo "$cur";;
  status) printf 'Auto-switch: enabled\\nService: active (running)\\n';;
  use) [ "$2" = a@x.io ] || [ "$2" = b@x.io ] || { echo "no account $2"; exit 1; }
       echo "$2" > "$dir/current";;
  *) exit 2;;
esac
`;

const TOKEN = "sk-ant-oat01-THIS-MUST-NEVER-BE-PRINTED";

/** A home with two account folders (one expired) and a fake authmux in bin/. */
async function setup(dir: string): Promise<{ env: Record<string, string>; bin: string }> {
  const accounts = join(dir, ".claude-accounts");
  const folders: [string, string, number][] = [
    ["account1", "a@x.io", Date.UTC(2099, 0, 1)],
    ["account2", "old@x.io", Date.UTC(2020, 0, 1)],
  ];
  for (const [name, email, expiresAt] of folders) {
    await Deno.mkdir(join(accounts, name), { recursive: true });
    await Deno.writeTextFile(
      join(accounts, name, ".credentials.json"),
      JSON.stringify({
        claudeAiOauth: {
          accessToken: TOKEN,
          refreshToken: `${TOKEN}-refresh`,
          expiresAt,
          subscriptionType: "max",
        },
      }),
    );
    await Deno.writeTextFile(
      join(accounts, name, ".claude.json"),
      JSON.stringify({ oauthAccount: { emailAddress: email, accountUuid: "u" } }),
    );
  }
  const bin = join(dir, "bin");
  await Deno.mkdir(bin);
  await script(bin, "authmux", FAKE_AUTHMUX);
  const env = {
    HOME: dir,
    MEMORYOSS_HOME: join(dir, "home"),
    PATH: `${bin}:${Deno.env.get("PATH")}`,
  };
  return { env, bin };
}

Deno.test("lane accounts: authmux state and account folders; --switch; tokens never shown", async () => {
  await using dir = await tempDir();
  const { env, bin } = await setup(dir.path);

  const r = await runLane(["accounts", "--json"], env);
  assert.equal(r.code, 0, r.stderr);
  const snap = JSON.parse(r.stdout);
  assert.deepEqual(snap.authmux, {
    binary: "authmux",
    available: true,
    current: "a@x.io",
    accounts: [
      { email: "a@x.io", kind: "max", five_h_pct: 40, weekly_pct: 12, active: true },
      { email: "b@x.io", kind: "pro", five_h_pct: null, weekly_pct: 80, active: false },
    ],
    auto_switch: true,
    service_state: "active (running)",
    error: null,
  });
  assert.deepEqual(
    snap.claude_account_dirs.map((
      d: Record<string, unknown>,
    ) => [d.name, d.email, d.expires_at_unix, d.expired]),
    [
      ["account1", "a@x.io", Date.UTC(2099, 0, 1) / 1000, false],
      ["account2", "old@x.io", Date.UTC(2020, 0, 1) / 1000, true],
    ],
  );
  const text = await runLane(["accounts"], env);
  assert.match(text.stdout, /^authmux: current a@x\.io, auto-switch on, service active/);
  assert.match(text.stdout, /^ {2}account2 old@x\.io max expired 2020-01-01T00:00:00\.000Z$/m);
  for (const out of [r.stdout, text.stdout]) assert.ok(!out.includes("sk-ant"), "no token");

  const sw = await runLane(["accounts", "--switch", "b@x.io", "--json"], env);
  assert.equal(sw.code, 0, sw.stderr);
  assert.equal(JSON.parse(sw.stdout).authmux.current, "b@x.io");
  assert.match(await Deno.readTextFile(join(bin, "calls.log")), /^use b@x\.io$/m);
  const refused = await runLane(["accounts", "--switch", "nobody@x.io"], env);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /authmux use nobody@x\.io exited 1: no account nobody@x\.io/);

  const gone = { ...env, AUTHMUX_BIN: "authmux-not-installed" };
  const none = JSON.parse((await runLane(["accounts", "--json"], gone)).stdout);
  assert.deepEqual([none.authmux.available, none.authmux.error], [
    false,
    "authmux-not-installed: not on PATH",
  ]);
  assert.equal(none.claude_account_dirs.length, 2, "the folders are read without authmux");
  const cannot = await runLane(["accounts", "--switch", "b@x.io"], gone);
  assert.equal(cannot.code, 4);
  assert.match(cannot.stderr, /authmux-not-installed is not on PATH; cannot switch accounts/);
});

Deno.test("lane tend: each tick records the accounts (authmux and folders), without tokens", async () => {
  await using dir = await tempDir();
  const { env } = await setup(dir.path);
  const root = join(dir.path, "memory");
  await Deno.mkdir(root);
  await copyFixture(root);
  const r = await runLane(
    ["tend", "--once", "--agent", "none", "--no-metrics", "--min-idle", "0", "--memory-root", root],
    env,
  );
  assert.equal(r.code, 0, r.stderr);
  const text = await Deno.readTextFile(join(dir.path, "home", "lane", "history.jsonl"));
  assert.ok(!text.includes("sk-ant"), "no token in the history");
  const rec = JSON.parse(text.trim());
  assert.equal(rec.accounts.authmux.current, "a@x.io");
  assert.deepEqual(rec.accounts.claude_account_dirs.map((d: { email: string }) => d.email), [
    "a@x.io",
    "old@x.io",
  ]);
});

Deno.test("lane accounts without the run permission: one 'permission denied' line, exit 5", async () => {
  await using dir = await tempDir();
  const { env } = await setup(dir.path); // authmux is on PATH; running it is what is refused
  const flags = ["--allow-read", "--allow-write", "--allow-env", "--allow-net", "--allow-ffi"];
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...flags, MAIN, "lane", "accounts", "--json"],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 5, stderr);
  assert.equal(new TextDecoder().decode(out.stdout), "", "no snapshot claiming authmux is absent");
  assert.equal(stderr.trim().split("\n").length, 1, stderr);
  assert.match(
    JSON.parse(stderr).error.message,
    /^permission denied: memoryoss lane cannot run authmux: Deno refused run access/,
  );
});
