/**
 * The dashboard's relief page (Memoria's tray, read-only): `GET /v1/dashboard/relief` reads
 * the state and history files `relief` writes under the home (planted here by hand, in the
 * formats docs/relief.md gives, one line in the pre-1.0 form), admin keys only; and the page
 * in real headless Chromium shows them with planted markup as inert text.
 */
import assert from "node:assert/strict";
// Test-only: a full npm: specifier keeps playwright-core out of the runtime import map.
// deno-lint-ignore no-import-prefix
import { chromium } from "npm:playwright-core@1.65.1";
import { assertError, type TestServer, withServer } from "../server/_api_support.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

const XSS = `<img src=x onerror="window.__pwned='img'">`;

const run = (when: string, freed: number, extra: Record<string, unknown> = {}) => ({
  when,
  mode: "memory_relief",
  trigger: "manual",
  platform: "linux",
  tier_requested: "safe",
  tier_effective: "safe",
  dry_run: false,
  exit_status: "ok",
  exit_code: 0,
  freed_mb: freed,
  elapsed_ms: 420,
  before: { used_pct: 81.5, available_gb: 2.9 },
  after: { used_pct: 78.1, available_gb: 3.4 },
  stages: [{ name: "drop_caches", status: "ok", reason: null, freed_mb: freed }],
  trimmed: 2,
  ...extra,
});

async function plant(home: string): Promise<void> {
  const dir = `${home}/relief`;
  await Deno.mkdir(dir, { recursive: true });
  const lines = [
    // Written before schema 1.0: integer exit_status, mode "auto".
    JSON.stringify({ ...run("2026-12-01T08:00:00.000Z", 120), mode: "auto", exit_status: 0 }),
    JSON.stringify(run("2026-12-02T08:00:00.000Z", 512, { tier_effective: XSS })),
    JSON.stringify(
      run("2026-12-03T08:00:00.000Z", 64, { trigger: "auto", exit_status: "partial" }),
    ),
    '{"when": "2026-12-04T', // torn last line
  ];
  await Deno.writeTextFile(`${dir}/history.jsonl`, lines.join("\n"));
  await Deno.writeTextFile(
    `${dir}/state.json`,
    JSON.stringify({
      version: 1,
      exclude_foreground_enabled: false,
      whitelist: ["code.exe", XSS],
      last_run: {
        when: "2026-12-03T08:00:00.000Z",
        mode: "memory_relief",
        trigger: "auto",
        tier: "safe",
        exit_status: "partial",
        exit_code: 1,
        freed_mb: 64,
      },
      auto: { last_clean_at: "2026-12-03T08:00:00.000Z", cooldown_ms: 60000, low_yield_streak: 1 },
    }),
  );
}

Deno.test("GET /v1/dashboard/relief: state and history as relief wrote them, admin only", async () => {
  await withServer(async (s) => {
    const empty = await s.req("GET", "/v1/dashboard/relief", { key: s.admin });
    assert.equal(empty.status, 200, empty.text);
    assert.equal(empty.json.has_state, false);
    assert.deepEqual(empty.json.history, []);
    assert.equal(empty.json.state.exclude_foreground_enabled, true, "Memoria's default");

    await plant(s.home);
    const r = await s.req("GET", "/v1/dashboard/relief", { key: s.admin });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.has_state, true);
    assert.equal(r.json.state.exclude_foreground_enabled, false);
    assert.deepEqual(r.json.state.whitelist, ["code.exe", XSS]);
    assert.equal(r.json.state.last_run.exit_status, "partial");
    assert.deepEqual(r.json.history.map((e: { freed_mb: number }) => e.freed_mb), [120, 512, 64]);
    const old = r.json.history[0];
    assert.equal(old.exit_status, "ok", "pre-1.0 integer 0 reads back as Memoria's ok");
    assert.equal(old.trigger, "auto");
    assert.equal(old.mode, "memory_relief");

    const last = await s.req("GET", "/v1/dashboard/relief?limit=1", { key: s.admin });
    assert.deepEqual(last.json.history.map((e: { freed_mb: number }) => e.freed_mb), [64]);
    assertError(
      await s.req("GET", "/v1/dashboard/relief?limit=0", { key: s.admin }),
      400,
      "INVALID_INPUT",
    );
    assertError(
      await s.req("GET", "/v1/dashboard/relief?tier=safe", { key: s.admin }),
      400,
      "INVALID_INPUT",
      /tier/,
    );
    const reader = await s.key("reader", ["demo"]);
    assertError(await s.req("GET", "/v1/dashboard/relief", { key: reader }), 403, "FORBIDDEN");
    assertError(await s.req("GET", "/v1/dashboard/relief"), 401, "UNAUTHORIZED");
    // Read-only: nothing was written under relief/.
    const names = [...Deno.readDirSync(`${s.home}/relief`)].map((e) => e.name).sort();
    assert.deepEqual(names, ["history.jsonl", "state.json"]);
  });
});

async function page(s: TestServer): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"],
  });
  try {
    const p = await browser.newPage();
    p.setDefaultTimeout(30_000);
    const errors: string[] = [];
    p.on("pageerror", (e) => errors.push(String(e)));
    p.on("dialog", (d) => {
      errors.push(`dialog: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    await p.goto(`${s.url}/ui`);
    await p.getByLabel("API key").fill(s.admin);
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.getByRole("navigation", { name: "Dashboard sections" }).waitFor();
    await p.getByRole("link", { name: "Relief" }).click();
    await p.getByRole("heading", { name: "RAM relief" }).waitFor();
    await p.locator("tr.relief-run").first().waitFor();
    const rows = await p.locator("tr.relief-run").allInnerTexts();
    assert.equal(rows.length, 3);
    assert.match(rows[0], /auto/, "newest first");
    assert.match(rows[0], /partial/);
    assert.ok(rows[1].includes(XSS), `markup shown as text: ${rows[1]}`);
    const state = await p.locator("section.relief-state").innerText();
    assert.match(state, /Exclude foreground\s+off/);
    assert.ok(state.includes(`code.exe, ${XSS}`), state);
    const chart = p.locator("section.relief-history svg[role=img]");
    assert.match((await chart.getAttribute("aria-label"))!, /MB freed per run: total 696, max 512/);
    assert.equal(await p.locator("section.relief-history img").count(), 0);
    assert.equal(await p.evaluate("window.__pwned"), undefined);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
}

Deno.test({
  name: "ui e2e: the relief page shows state and history, planted markup stays text",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withServer(async (s) => {
      await plant(s.home);
      await page(s);
    });
  },
});
