/**
 * scripts/bench_engines.ts runs end to end on a real throwaway Postgres cluster (it starts and
 * stops its own, tests/_support/postgres.ts): the table has a floors row and one row per engine
 * with numbers in every cell. No timing is asserted (figures live in docs/scaling.md).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { postgresMissing } from "../_support/postgres.ts";
import { skipIf } from "../_support/skip.ts";

const SCRIPT = fileURLToPath(new URL("../../scripts/bench_engines.ts", import.meta.url));

async function runScript(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const td = new TextDecoder();
  return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
}

Deno.test({
  ...skipIf(postgresMissing(), "bench_engines: both engines' rows beside the floors"),
  async fn() {
    const r = await runScript(["--sizes", "50", "--queries", "5"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split("\n").filter((l) => l.startsWith("| 50 |"));
    const cells = rows.map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
    assert.deepEqual(cells.slice(0, 2).map((c) => c[1]), ["floors", "sqlite"]);
    assert.match(cells[2]?.[1] ?? "", /^postgres \((real\[\]|vector)\)$/);
    assert.equal(cells.length, 3);
    const num = /^\d+(\.\d+)?( \/ \d+(\.\d+)?)?×?$/;
    for (const c of cells.slice(1)) {
      assert.equal(c.length, 9, c.join("|"));
      for (const v of c.slice(2)) assert.match(v, num, `${c[1]}: ${v}`);
      assert.ok(Number(c[2]) > 0, `${c[1]} imported`);
      assert.ok(Number(c[8]) > 0, `${c[1]} takes disk`);
    }
  },
});

Deno.test("bench_engines: --help has an example; an unknown --scale is exit 3", async () => {
  const help = await runScript(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Example:\n\s+deno run -A scripts\/bench_engines\.ts --sizes/);
  const bad = await runScript(["--scale", "2m"]);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /--scale: only "1m"/);
});
