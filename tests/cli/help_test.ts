/** End to end: version, help for every command, unknown commands and flags. */
import assert from "node:assert/strict";
import { COMMANDS } from "../../cli/commands.ts";
import { VERSION } from "../../lib/version.ts";
import { assertExit, assertNoStack, assertUserError, cli, show, withHome } from "./_helpers.ts";

Deno.test("cli help: --version, -V, no args, --help, -h and `help` print usage and exit 0", async () => {
  await withHome(async (home) => {
    const [version, v, none, help, h, helpWord] = await Promise.all([
      cli(home, "--version"),
      cli(home, "-V"),
      cli(home),
      cli(home, "--help"),
      cli(home, "-h"),
      cli(home, "help"),
    ]);
    for (const r of [version, v]) {
      assertExit(r, 0);
      assert.equal(r.stdout.trim(), `memoryoss ${VERSION}`);
      assert.match(r.stdout, /^memoryoss \d+\.\d+\.\d+/);
    }
    for (const r of [none, help, h, helpWord]) {
      assertExit(r, 0);
      assert.match(r.stdout, /Usage: memoryoss \[-c FILE\] COMMAND/);
      for (const name of Object.keys(COMMANDS)) {
        assert.match(r.stdout, new RegExp(`^  ${name}\\s`, "m"), `global help lists ${name}`);
      }
      assert.equal(r.stderr, "");
    }
    // Help never creates the home (no config, key or database written).
    assert.deepEqual([...Deno.readDirSync(home)], []);
  });
});

Deno.test("cli help: `COMMAND --help`, `COMMAND -h` and `help COMMAND` work for every command", async () => {
  await withHome(async (home) => {
    const names = Object.keys(COMMANDS);
    assert.ok(names.length >= 12, `commands: ${names}`);
    const runs = await Promise.all(
      names.flatMap((name) => [
        cli(home, name, "--help"),
        cli(home, name, "-h"),
        cli(home, "help", name),
      ]),
    );
    names.forEach((name, i) => {
      for (const r of runs.slice(i * 3, i * 3 + 3)) {
        assertExit(r, 0);
        assert.ok(r.stdout.startsWith(`memoryoss ${name} — `), `${name} help title\n${show(r)}`);
        assert.match(r.stdout, /\nUsage:\n {2}memoryoss /, `${name} usage\n${show(r)}`);
        assert.match(r.stdout, /\nOptions:\n/, `${name} options\n${show(r)}`);
        assert.match(r.stdout, /-h, --help/, `${name} lists --help`);
        assert.equal(r.stderr, "", `${name} help writes nothing to stderr`);
        // Every option row, the global -c included, keeps its description apart from the flag.
        const options = r.stdout.split("\nOptions:\n")[1].split("\n\n")[0].split("\n")
          .filter((row) => row !== "");
        for (const row of options) {
          assert.match(row, /^ {2}( {4})?-\S.*\S {2,}\S/, `${name}: option row '${row}'`);
        }
      }
    });
    assert.deepEqual([...Deno.readDirSync(home)], [], "help never creates the home");
  });
});

Deno.test("cli help: unknown command exits 3 with a suggestion; unknown flags exit 3 without a stack", async () => {
  await withHome(async (home) => {
    const [stor, recal, nonsense, bogusFlag, bogusJson, bogusGlobal, cNoFile] = await Promise.all([
      cli(home, "stor", "x"),
      cli(home, "recal", "x"),
      cli(home, "frobnicate"),
      cli(home, "store", "--bogus", "x"),
      cli(home, "store", "--json", "--bogus", "x"),
      cli(home, "--bogus", "status"),
      cli(home, "-c"),
    ]);
    assertUserError(stor, 3);
    assert.match(stor.stderr, /unknown command 'stor'/);
    assert.match(stor.stderr, /did you mean 'store'\?/);
    assert.match(stor.stderr, /memoryoss --help/);
    assertUserError(recal, 3);
    assert.match(recal.stderr, /did you mean 'recall'\?/);
    assertUserError(nonsense, 3);
    assert.match(nonsense.stderr, /unknown command 'frobnicate'/);

    assertUserError(bogusFlag, 3);
    // One line: what is wrong and where to look, not the whole usage.
    assert.equal(
      bogusFlag.stderr.trimEnd(),
      "memoryoss: error: unknown option '--bogus' (see 'memoryoss store --help')",
    );
    assert.equal(bogusFlag.stdout, "");

    // With --json the error is one JSON object on stderr.
    assertExit(bogusJson, 3);
    assertNoStack(bogusJson);
    const err = JSON.parse(bogusJson.stderr).error;
    assert.equal(err.code, "INVALID_INPUT");
    assert.match(err.message, /--bogus/);

    assertUserError(bogusGlobal, 3);
    assert.match(bogusGlobal.stderr, /unknown global option '--bogus'/);
    assertUserError(cNoFile, 3);
    assert.match(cNoFile.stderr, /-c needs a file path/);
    assert.deepEqual([...Deno.readDirSync(home)], [], "errors before dispatch create nothing");
  });
});

Deno.test({
  name: "cli help: names of Object.prototype members are unknown commands (exit 3)",
  // BUG: main.ts looks commands up with `COMMANDS[name]` on a plain object, so
  // `memoryoss constructor`, `memoryoss toString`, `memoryoss hasOwnProperty` (and
  // `memoryoss help constructor`) reach dispatch() and fail with "memoryoss: internal error:
  // function is not iterable …", exit 2, instead of "unknown command", exit 3.
  fn: async () => {
    await withHome(async (home) => {
      const runs = await Promise.all([
        cli(home, "constructor"),
        cli(home, "toString"),
        cli(home, "hasOwnProperty"),
        cli(home, "help", "constructor"),
      ]);
      for (const r of runs.slice(0, 3)) {
        assertUserError(r, 3);
        assert.match(r.stderr, /unknown command/);
      }
      // `help UNKNOWN` falls back to the global help.
      assertExit(runs[3], 0);
      assert.match(runs[3].stdout, /Usage: memoryoss/);
    });
  },
});

Deno.test({
  name: "cli help: `-c FILE`, listed under every command's Options, works after the command",
  // BUG: helpText() prints "-c, --config FILE  config file (global; …)" in the Options of every
  // command's --help, but parseCommand() does not accept it: `memoryoss store -c FILE "x"` and
  // `memoryoss list --config FILE` fail with "Unknown option '-c'" / "'--config'", exit 3.
  // Only `memoryoss -c FILE store "x"` (before the command) works.
  fn: async () => {
    await withHome(async (home) => {
      const cfg = `${home}/custom.toml`;
      await Deno.writeTextFile(cfg, "[limits]\nmax_content_bytes = 1000\n");
      const help = await cli(home, "store", "--help");
      assert.match(help.stdout, /-c, --config FILE/);
      const stored = await cli(home, "store", "-c", cfg, "--namespace", "c", "hello via -c");
      assertExit(stored, 0);
      const listed = await cli(home, "list", "--config", cfg, "--namespace", "c", "--json");
      assertExit(listed, 0);
      assert.equal(listed.json().total, 1);
    });
  },
});
