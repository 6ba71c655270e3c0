/**
 * Every command, through main.ts as shipped, answers bad input with exit 3 and ONE line on
 * stderr (no usage dump, no stack trace), and loses nothing it already held.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { COMMANDS } from "../../cli/commands.ts";
import { cli, cliWith } from "./_helpers.ts";

const ONE_LINE = /^memoryoss: error: [^\n]+\n?$/;

function assertOneLine(stderr: string, what: string): void {
  assert.match(stderr, ONE_LINE, `${what}: expected one error line, got:\n${stderr}`);
  assert.ok(!/\n\s+at /.test(stderr), `${what}: stack trace\n${stderr}`);
}

async function inBatches<T>(items: T[], size: number, fn: (t: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

Deno.test("bad input: an unknown flag on every command is exit 3 and one line", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-badflag-" });
  // `hook` runs inside Claude Code's hooks and must never block the client: it exits 0 and
  // says what was wrong only under MEMORYOSS_DEBUG (checked below).
  const names = Object.keys(COMMANDS).filter((n) => n !== "hook");
  await inBatches(names, 4, async (name) => {
    const r = await cli(home, name, "--definitely-bogus-flag");
    assert.equal(r.code, 3, `${name}: exit ${r.code}\n${r.stderr}`);
    assertOneLine(r.stderr, name);
    assert.match(r.stderr, /definitely-bogus-flag/, name);
  });
  const hook = await cliWith(home, { env: { MEMORYOSS_DEBUG: "1" } }, "hook", "--bogus-flag");
  assert.equal(hook.code, 0, "a hook never fails its client");
  assert.match(hook.stderr, /^memoryoss hook: unknown option '--bogus-flag'/);
  await Deno.remove(home, { recursive: true });
});

interface Row {
  what: string;
  args: string[];
  stdin?: string;
  code: number;
  says: RegExp;
}

const BIG = "a".repeat(5 * 1024 * 1024);

const ROWS: Row[] = [
  { what: "5 MB memory on stdin", args: ["store", "-"], stdin: BIG, code: 3, says: /limit/ },
  { what: "negative limit", args: ["recall", "--limit", "-1", "q"], code: 3, says: /--limit/ },
  {
    what: "negative limit (=)",
    args: ["recall", "--limit=-1", "q"],
    code: 3,
    says: /whole number/,
  },
  { what: "zero limit", args: ["list", "--limit", "0"], code: 3, says: /--limit/ },
  {
    what: "embed swap to an unknown provider",
    args: ["embed", "swap", "--provider", "cohere", "--to", "x"],
    code: 3,
    says: /--provider must be one of/,
  },
  {
    what: "embed status with a stray argument",
    args: ["embed", "status", "extra"],
    code: 3,
    says: /unexpected argument 'extra'/,
  },
  { what: "empty content", args: ["store", ""], code: 3, says: /content/ },
  { what: "hud limit over 25", args: ["hud", "--limit", "26"], code: 3, says: /--limit/ },
  { what: "hud stray argument", args: ["hud", "x"], code: 3, says: /no arguments/ },
  { what: "recent limit over 100", args: ["recent", "--limit", "101"], code: 3, says: /--limit/ },
  { what: "recent stray argument", args: ["recent", "x"], code: 3, says: /no arguments/ },
  { what: "dev off loopback", args: ["dev", "--host", "0.0.0.0"], code: 3, says: /loopback/ },
  {
    what: "connector of no known kind",
    args: ["connector", "ingest", "fax", "x"],
    code: 3,
    says: /connector/,
  },
  {
    what: "connector ingest without a summary",
    args: ["connector", "ingest", "tickets"],
    code: 3,
    says: /missing argument/,
  },
  {
    what: "trust catalog with an unknown verb",
    args: ["trust", "catalog", "frob", "x"],
    code: 3,
    says: /'export' or 'import'/,
  },
  {
    what: "unknown id",
    args: ["inspect", "00000000-0000-0000-0000-000000000000"],
    code: 4,
    says: /no memory|not found/i,
  },
  { what: "bad namespace", args: ["store", "--namespace", "a b", "x"], code: 3, says: /namespace/ },
  { what: "unknown config verb", args: ["config", "frob"], code: 3, says: /config/ },
  { what: "unknown subcommand", args: ["passport", "frob"], code: 3, says: /subcommand/ },
];

Deno.test("bad input: a table of mistakes, each with its exit code and one line", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-badinput-" });
  const kept = await cli(home, "store", "--namespace", "keep", "This memory must survive.");
  assert.equal(kept.code, 0, kept.stderr);
  await inBatches(ROWS, 3, async (row) => {
    const r = await cliWith(home, row.stdin === undefined ? {} : { stdin: row.stdin }, ...row.args);
    assert.equal(r.code, row.code, `${row.what}: exit ${r.code}\n${r.stderr}`);
    assertOneLine(r.stderr, row.what);
    assert.match(r.stderr, row.says, row.what);
  });
  const list = await cli(home, "list", "--namespace", "keep", "--json");
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /This memory must survive\./);
  await Deno.remove(join(home), { recursive: true });
});
