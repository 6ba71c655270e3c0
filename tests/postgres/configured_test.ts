/**
 * `[storage] backend = "postgres"` through main.ts (narrowed to each command's permissions):
 * `migrate --to-configured` copies the home to the configured URL, and `doctor` prints one
 * engine line for it (server, vector mode, schema version) or one failing line when the server
 * cannot be reached. The URL carries a password (trust auth ignores it): it never shows.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  assertOneLineError,
  assertUserError,
  cli,
  cliWith,
  okJson,
  show,
  withHome,
} from "../cli/_helpers.ts";
import { postgresMissing, startPostgres } from "../_support/postgres.ts";
import { skipIf } from "../_support/skip.ts";

const VECTORS = String.raw`(real\[\] \(no pgvector\)|pgvector \d+\.\d+\.\d+)`;

async function usePostgres(home: string, url: string): Promise<void> {
  await Deno.writeTextFile(
    join(home, "memoryoss.toml"),
    `[storage]\nbackend = "postgres"\nurl = "${url}"\n`,
    { mode: 0o600 },
  );
}

function engineLine(stdout: string): string {
  return stdout.split("\n").find((l) => /^\[\w+\] engine: /.test(l)) ?? "(no engine line)";
}

Deno.test({
  ...skipIf(postgresMissing(), "migrate --to-configured and doctor's engine line, real server"),
  async fn() {
    const pg = await startPostgres();
    try {
      const url = (await pg.createDatabase()).replace("://postgres@", "://postgres:s3cret-pw@");
      const shown = `postgres://postgres@127.0.0.1:${pg.port}/`;
      await withHome(async (home) => {
        for (const text of ["Deploys need two approvals", "Backups run nightly"]) {
          assert.equal((await cli(home, "store", "-n", "team", text)).code, 0);
        }
        await usePostgres(home, `${url}?schema=conf`);
        const before = await cli(home, "doctor");
        assert.equal(before.code, 1, show(before)); // the config is still refused for serving
        assert.match(
          engineLine(before.stdout),
          new RegExp(
            String.raw`^\[warn\] engine: postgres \d+\.\d+\S* at ` +
              `${shown.replace(/[.]/g, "\\.")}\\w+\\?schema=conf, vectors ${VECTORS}, ` +
              "no memoryoss schema yet$",
          ),
          show(before),
        );
        assert.match(before.stdout, /migrate --to-configured/);

        const dry = okJson(await cli(home, "migrate", "--to-configured", "--dry-run", "--json"));
        const mem = (r: Record<string, unknown>) =>
          (r.tables as { table: string }[]).find((t) => t.table === "memories");
        assert.deepEqual([dry.dry_run, mem(dry)], [true, {
          table: "memories",
          source: 2,
          inserted: 2,
          updated: 0,
          unchanged: 0,
        }]);
        const run = await cli(home, "migrate", "--to-configured");
        assert.equal(run.code, 0, show(run));
        assert.match(
          run.stdout,
          /^copied .* → postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+\?schema=conf$/m,
        );
        assert.match(run.stdout, /^ {2}memories +2 rows {2}2 new, 0 changed, 0 unchanged$/m);
        const again = okJson(await cli(home, "migrate", "--to-configured", "--json"));
        assert.equal(again.new_rows, 0, "a re-run copies nothing new");

        const after = await cli(home, "doctor");
        assert.match(
          engineLine(after.stdout),
          new RegExp(
            String.raw`^\[ok\] engine: postgres \d+\.\d+\S* at .*, vectors ${VECTORS}, schema v1$`,
          ),
          show(after),
        );
        const json = okJsonLoose(await cli(home, "doctor", "--json"));
        const f = (json.findings as { check: string; level: string }[]).find((x) =>
          x.check === "engine"
        );
        assert.equal(f?.level, "ok");
        for (const r of [before, dry, run, again, after, json]) {
          assert.doesNotMatch(JSON.stringify(r), /s3cret/);
        }
      });
    } finally {
      await pg.stop();
    }
  },
});

/** doctor exits 1 (the config finding) but prints JSON. */
function okJsonLoose(r: { code: number; stdout: string }): Record<string, unknown> {
  return JSON.parse(r.stdout);
}

Deno.test("doctor: an unreachable configured Postgres is one failing engine line", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  await withHome(async (home) => {
    await usePostgres(home, `postgres://me:s3cret-pw@127.0.0.1:${port}/memory`);
    const r = await cli(home, "doctor");
    assert.equal(r.code, 1, show(r));
    assert.equal(
      engineLine(r.stdout),
      `[error] engine: cannot reach postgres://me@127.0.0.1:${port}/memory: connection refused`,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /s3cret/);
  });
});

Deno.test("migrate --to-configured: a sqlite backend or an extra --to is exit 3", async () => {
  await withHome(async (home) => {
    const r = await cli(home, "migrate", "--to-configured");
    assertUserError(r, 3);
    assertOneLineError(r);
    assert.match(r.stderr, /backend is "sqlite"/);
    await usePostgres(home, "postgres://me:s3cret-pw@127.0.0.1:1/memory");
    const both = await cliWith(
      home,
      {},
      "migrate",
      "--to-configured",
      "--to",
      "postgres://me@db/x",
    );
    assertUserError(both, 3);
    assert.match(both.stderr, /leave out --to and --from/);
    assert.doesNotMatch(both.stderr, /s3cret/);
  });
});
