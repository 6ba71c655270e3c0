/**
 * `config set KEY VALUE` / `config get KEY` through main.ts (memman's `config set`): one key
 * changed in place, every other byte of the file (comments included) kept, mode 0600; a value
 * the schema refuses is exit 3 naming the key path, and the file is left byte for byte as it was.
 * Expected files are written by hand here, not produced by the code under test.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertUserError, cli, cliWith, okJson, show, withHome } from "./_helpers.ts";

const ORIGINAL = `# my settings, keep this line
[server]
# where it listens
port = 8000 # default port

[auth]
jwt_secret = ""
`;

Deno.test("config set/get: round trip keeps comments and the rest of the file; mode 0600", async () => {
  await withHome(async (home) => {
    const file = join(home, "memoryoss.toml");
    await Deno.writeTextFile(file, ORIGINAL, { mode: 0o644 });
    await Deno.chmod(file, 0o644);

    const set = await cli(home, "config", "set", "server.port", "9100");
    assert.equal(set.code, 0, show(set));
    const got = await cli(home, "config", "get", "server.port");
    assert.equal(got.stdout, "9100\n", show(got));
    // A key the file does not have yet goes under its own (new) table.
    assert.equal((await cli(home, "config", "set", "logging.level", "debug")).code, 0);
    assert.equal((await cli(home, "config", "get", "logging.level")).stdout, "debug\n");

    assert.equal(
      await Deno.readTextFile(file),
      `# my settings, keep this line
[server]
# where it listens
port = 9100 # default port

[auth]
jwt_secret = ""

[logging]
level = "debug"
`,
    );
    if (Deno.build.os !== "windows") assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
    const json = okJson(await cli(home, "config", "get", "server.port", "--json"));
    assert.deepEqual(json, { key: "server.port", value: 9100 });
  });
});

Deno.test("config set: a bad value is exit 3 naming the key path; the file is unchanged", async () => {
  await withHome(async (home) => {
    const file = join(home, "memoryoss.toml");
    await Deno.writeTextFile(file, ORIGINAL);
    const cases: [string[], RegExp][] = [
      [["server.port", "70000"], /server\.port: .*65535/],
      [["server.port", "eighty"], /server\.port: expected a number, got 'eighty'/],
      [["logging.level", "loud"], /logging\.level: /],
      [["server.colour", "blue"], /server\.colour: unknown key/],
      [["auth.jwt_secret", "too-short"], /auth\.jwt_secret: must be at least 32 characters/],
      [["graph.link_on_write", "maybe"], /graph\.link_on_write: expected true or false/],
    ];
    for (const [args, why] of cases) {
      const r = await cli(home, "config", "set", ...args);
      assertUserError(r, 3);
      assert.match(r.stderr, why, show(r));
      assert.equal(await Deno.readTextFile(file), ORIGINAL, `after ${args.join(" ")}`);
    }
    // No temporary file is left beside it.
    const names = [];
    for await (const e of Deno.readDir(home)) names.push(e.name);
    assert.deepEqual(names.filter((n) => n.startsWith("memoryoss.toml")), ["memoryoss.toml"]);
  });
});

Deno.test("config get: secrets are masked unless --show-secrets; set from stdin", async () => {
  await withHome(async (home) => {
    const secret = "0123456789abcdef0123456789abcdef-secret";
    const set = await cliWith(
      home,
      { stdin: `${secret}\n` },
      "config",
      "set",
      "auth.jwt_secret",
      "-",
    );
    assert.equal(set.code, 0, show(set));
    assert.ok(!set.stdout.includes(secret), show(set));
    assert.equal((await cli(home, "config", "get", "auth.jwt_secret")).stdout, "***\n");
    const clear = await cli(home, "config", "get", "auth.jwt_secret", "--show-secrets");
    assert.equal(clear.stdout, `${secret}\n`);
    // A fresh home: set wrote the commented template with the one key changed.
    const text = await Deno.readTextFile(join(home, "memoryoss.toml"));
    assert.match(text, /^# memoryoss configuration\./);
    assert.ok(text.includes(`jwt_secret = "${secret}"`), text);
    assertUserError(await cli(home, "config", "get", "server.colour"), 3);
  });
});
