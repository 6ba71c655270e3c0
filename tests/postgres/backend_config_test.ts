/**
 * `[storage] backend` and `url` through main.ts: "postgres" is refused in one line (exit 3)
 * by commands that open the store, since only `migrate` reads Postgres so far (issue 22; no
 * silent fallback to the SQLite file); `config show` and `doctor` still run; the URL's
 * password never appears; bad values name their key.
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
import { pathExists } from "../../lib/errors/mod.ts";

const URL_WITH_PASSWORD = "postgres://me:s3cret-pw@db.example:5432/memory";

async function config(home: string, storage: string): Promise<void> {
  await Deno.writeTextFile(join(home, "memoryoss.toml"), `[storage]\n${storage}\n`, {
    mode: 0o600,
  });
}

Deno.test("storage.backend = postgres: store, recall, status refuse in one line, no fallback", async () => {
  await withHome(async (home) => {
    await config(home, `backend = "postgres"\nurl = "${URL_WITH_PASSWORD}"`);
    for (const args of [["store", "hello"], ["recall", "hello"], ["status"]]) {
      const r = await cli(home, ...args);
      assertUserError(r, 3);
      assertOneLineError(r);
      assert.match(r.stderr, /storage\.backend = "postgres".*only `memoryoss migrate`.*issue 22/);
      assert.doesNotMatch(r.stderr + r.stdout, /s3cret/);
    }
    assert.equal(await pathExists(join(home, "memoryoss.db")), false, "no SQLite file made");
    const shown = okJson(await cli(home, "config", "show", "--json"));
    assert.equal(shown.config.storage.backend, "postgres");
    assert.equal(shown.config.storage.url, "postgres://me:***@db.example:5432/memory");
    const doc = await cli(home, "doctor", "--json");
    assert.match(doc.stdout, /issue 22/, show(doc));
    assert.doesNotMatch(doc.stdout + doc.stderr, /s3cret/);
  });
});

Deno.test("storage.url from MEMORYOSS_DATABASE_URL; missing or malformed values name their key", async () => {
  await withHome(async (home) => {
    await config(home, `backend = "postgres"`);
    const missing = await cli(home, "store", "x");
    assertUserError(missing, 3);
    assert.match(missing.stderr, /storage\.url/);
    const env = { MEMORYOSS_DATABASE_URL: URL_WITH_PASSWORD };
    const fromEnv = await cliWith(home, { env }, "store", "x");
    assertUserError(fromEnv, 3);
    assert.match(fromEnv.stderr, /issue 22/);
    assert.doesNotMatch(fromEnv.stderr, /s3cret/);
    const shown = okJson(await cliWith(home, { env }, "config", "show", "--json"));
    assert.equal(shown.config.storage.url, "postgres://me:***@db.example:5432/memory");

    await config(home, `backend = "mysql"`);
    const bad = await cli(home, "store", "x");
    assertUserError(bad, 3);
    assert.match(bad.stderr, /storage\.backend/);
    assert.match(bad.stderr, /"sqlite" or "postgres"/);

    await config(home, `backend = "postgres"\nurl = "mysql://me:s3cret-pw@db/x"`);
    const badUrl = await cli(home, "store", "x");
    assertUserError(badUrl, 3);
    assert.match(badUrl.stderr, /storage\.url/);
    assert.doesNotMatch(badUrl.stderr, /s3cret/);
  });
});

Deno.test("storage.backend = sqlite (the default) works as before", async () => {
  await withHome(async (home) => {
    await config(home, `backend = "sqlite"`);
    okJson(await cli(home, "store", "--json", "plain sqlite still works"));
    assert.ok(await pathExists(join(home, "memoryoss.db")));
  });
});
