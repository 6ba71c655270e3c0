/**
 * The dashboard end to end in real headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) against a real server: sign in, search, open a memory, confirm a review
 * item with the keyboard, forget with confirmation, and planted markup stays inert text.
 * Skipped only when Chromium is not installed; CI installs it (.ci/run).
 *
 * `UPDATE_SCREENSHOTS=1 deno test -A tests/ui/` also refreshes docs/screenshots/*.png.
 */
import assert from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";
import { request, withServer } from "../server/_api_support.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();
const SHOTS = Deno.env.get("UPDATE_SCREENSHOTS") === "1"
  ? new URL("../../docs/screenshots/", import.meta.url).pathname
  : null;

const XSS =
  `<script>window.__pwned = "script"</script><img src=x onerror="window.__pwned='img';alert(1)">`;

async function launch(): Promise<Browser> {
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await Deno.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: false });
}

/** The page's text status line (the polite live region). */
async function statusText(page: Page, re: RegExp): Promise<void> {
  await page.locator("#status").filter({ hasText: re }).waitFor();
}

Deno.test({
  name: "ui e2e: sign in, search, open, review, forget, and planted markup stays text",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withServer(async (s) => {
      const api = (method: string, path: string, body?: unknown) =>
        request(`${s.url}${path}`, method, { key: s.admin, body });
      const store = async (body: Record<string, unknown>) => {
        const r = await api("POST", "/v1/store", body);
        assert.equal(r.status, 200, r.text);
        return r.json.id as string;
      };
      const deployId = await store({
        namespace: "demo",
        content: "Deploy only after staging signoff from the release captain.",
        tags: ["deploy", "policy"],
        category: "decision",
      });
      await store({ namespace: "demo", content: "The staging database is pg-stage-01." });
      await store({ namespace: "ops", content: "Rotate the deploy keys every 90 days." });
      const candidateId = await store({
        namespace: "demo",
        content: "The user prefers dark mode in every editor.",
        status: "candidate",
        category: "preference",
      });
      const xssId = await store({ namespace: "demo", content: `deploy note ${XSS}` });
      const doomedId = await store({ namespace: "ops", content: "Old pager rotation: Bob." });
      // As the proxy's injection bookkeeping records it.
      const m = s.rt.store.getById(deployId)!;
      s.rt.store.update(m.pk, {
        ...m.record,
        injection_count: 3,
        last_injected_at: new Date().toISOString(),
      });

      const browser = await launch();
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        const dialogs: string[] = [];
        const errors: string[] = [];
        page.on("dialog", (d) => {
          dialogs.push(d.message());
          d.dismiss().catch(() => {});
        });
        page.on("pageerror", (e) => errors.push(String(e)));
        page.on("console", (msg) => {
          if (msg.type() === "error") errors.push(msg.text());
        });

        // Sign in: the key goes into a password field and session storage, never the URL.
        await page.goto(`${s.url}/ui`);
        await page.getByLabel("API key").fill(s.admin);
        await shot(page, "signin");
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("navigation", { name: "Dashboard sections" }).waitFor();
        await page.getByRole("heading", { name: "Search", exact: true }).waitFor();
        assert.ok(!page.url().includes(s.admin));
        assert.equal(await page.evaluate("document.cookie"), "");
        assert.equal(
          await page.evaluate(() => sessionStorage.getItem("memoryoss.key")),
          s.admin,
        );
        assert.match(await page.locator("#who-text").innerText(), /admin · all namespaces/);

        // Search across namespaces, with the per-channel breakdown.
        await page.getByLabel("Query").fill("deploy");
        await page.getByRole("button", { name: "Search" }).click();
        const hits = page.locator("ol.hits > li");
        await hits.first().waitFor();
        const texts = await hits.allInnerTexts();
        assert.ok(texts.some((t) => t.includes("Deploy only after staging signoff")), texts.join());
        assert.ok(texts.some((t) => t.includes("Rotate the deploy keys")), "ops namespace too");
        const chart = hits.first().locator("svg[role=img]");
        assert.match((await chart.getAttribute("aria-label"))!, /vector .*bm25 .*exact .*recency/);
        // The planted markup shows up as literal text in the results.
        assert.ok(texts.some((t) => t.includes(`<script>window.__pwned = "script"</script>`)));
        await shot(page, "search");

        // Open a memory.
        await page.getByRole("link", { name: /Deploy only after staging signoff/ }).click();
        await page.getByRole("heading", { name: "Memory", exact: true }).waitFor();
        assert.equal(
          await page.locator("#memory-content").innerText(),
          "Deploy only after staging signoff from the release captain.",
        );
        await page.getByRole("heading", { name: "Provenance", exact: true }).waitFor();
        await page.getByRole("heading", { name: "Graph neighbours", exact: true }).waitFor();
        assert.match(await page.locator("main").innerText(), /injected\s+3×/);
        await shot(page, "memory");

        // Planted <script> and <img onerror> stay inert text.
        await page.goto(`${s.url}/ui#memory/${xssId}`);
        await page.locator("#memory-content").waitFor();
        assert.equal(await page.locator("#memory-content").innerText(), `deploy note ${XSS}`);
        assert.equal(await page.locator("#memory-content img, #memory-content script").count(), 0);
        await page.waitForTimeout(300);
        assert.equal(
          await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned),
          undefined,
        );
        assert.deepEqual(dialogs, []);

        // Review queue: confirm the candidate with the keyboard.
        await page.getByRole("link", { name: "Review" }).click();
        const item = page.locator("li.q-item", { hasText: "prefers dark mode" });
        await item.waitFor();
        await shot(page, "review");
        await item.focus();
        await page.keyboard.press("c");
        await statusText(page, /Confirmed: now active/);
        const confirmed = await api("GET", `/v1/inspect/${candidateId}`);
        assert.equal(confirmed.json.status, "active");
        await page.locator("li.q-item", { hasText: "prefers dark mode" }).waitFor({
          state: "detached",
        });

        // Forget asks first: cancel keeps the memory, confirm deletes it.
        await page.goto(`${s.url}/ui#memory/${doomedId}`);
        // Edit and archive / restore, as a writer would.
        await page.getByRole("button", { name: "Edit" }).click();
        await page.getByLabel("Tags").fill("pager, oncall");
        await page.getByRole("button", { name: "Save" }).click();
        await statusText(page, /Saved: version 2/);
        assert.deepEqual((await api("GET", `/v1/inspect/${doomedId}`)).json.tags, [
          "pager",
          "oncall",
        ]);
        await page.getByRole("button", { name: "Archive" }).click();
        await statusText(page, /Archived\./);
        await page.getByRole("button", { name: "Restore" }).waitFor();
        assert.equal((await api("GET", `/v1/inspect/${doomedId}`)).json.archived, true);
        await page.getByRole("button", { name: "Restore" }).click();
        await page.getByRole("button", { name: "Archive" }).waitFor();
        assert.equal((await api("GET", `/v1/inspect/${doomedId}`)).json.archived, false);

        await page.getByRole("button", { name: "Forget…" }).click();
        const dlg = page.getByRole("dialog", { name: "Forget this memory?" });
        await dlg.waitFor();
        assert.match(await dlg.innerText(), /Old pager rotation: Bob\./);
        await shot(page, "forget-confirm");
        await dlg.getByRole("button", { name: "Cancel" }).click();
        await statusText(page, /Nothing was forgotten/);
        assert.equal((await api("GET", `/v1/inspect/${doomedId}`)).status, 200);
        await page.getByRole("button", { name: "Forget…" }).click();
        await dlg.getByRole("button", { name: "Forget" }).click();
        await statusText(page, /Forgotten\./);
        assert.equal((await api("GET", `/v1/inspect/${doomedId}`)).status, 404);
        await page.getByRole("heading", { name: "Browse", exact: true }).waitFor();

        // Health: charts, not tables of numbers.
        await page.getByRole("link", { name: "Health" }).click();
        await page.getByRole("heading", { name: /Memories: 5/ }).waitFor();
        assert.ok(await page.locator("svg.chart[role=img]").count() >= 6);
        await page.getByText(/Index lag: 0/).waitFor();
        await page.waitForTimeout(3500); // one live sample for the rate lines
        await shot(page, "health");

        await page.getByRole("link", { name: "Injections" }).click();
        await page.getByRole("heading", { name: "Injections", exact: true }).waitFor();
        await page.locator("ol.rows li", { hasText: "Deploy only after staging" }).waitFor();
        await page.getByLabel("Prompt", { exact: true }).fill("when can we deploy?");
        await page.getByLabel("Namespace", { exact: true }).selectOption("demo");
        await page.getByRole("button", { name: "Explain" }).click();
        await page.locator("ol.hits li").first().waitFor();
        await shot(page, "injections");

        // Export a passport (the exact bytes the API sent), then open it in the reader.
        await page.getByRole("link", { name: "Export & reader" }).click();
        await page.getByLabel("Namespace", { exact: true }).selectOption("demo");
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("button", { name: "Export" }).click(),
        ]);
        const file = await download.path();
        const exported = await Deno.readTextFile(file);
        const direct = await api("POST", "/v1/passport/export", { namespace: "demo" });
        assert.match(exported, /memoryoss\.passport/);
        assert.equal(exported.length, direct.text.length);
        await page.getByLabel("Bundle or passport file").setInputFiles(file);
        await page.locator(".verdict", { hasText: "Verified" }).waitFor();
        assert.match(
          await page.locator(".reader").innerText(),
          /Deploy only after staging signoff/,
        );
        await shot(page, "reader");

        await page.getByRole("link", { name: "Browse" }).click();
        await page.locator("ul.rows li").first().waitFor();
        await shot(page, "browse");

        // A narrow window: everything reflows, nothing scrolls sideways.
        await page.setViewportSize({ width: 390, height: 844 });
        await page.getByRole("link", { name: "Search" }).click();
        await page.getByLabel("Query").fill("staging");
        await page.getByRole("button", { name: "Search" }).click();
        await page.locator("ol.hits > li").first().waitFor();
        const overflow = await page.evaluate(
          "document.documentElement.scrollWidth - document.documentElement.clientWidth",
        ) as number;
        assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
        await shot(page, "search-narrow");

        // Sign out forgets the key.
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByLabel("API key").waitFor();
        assert.equal(await page.evaluate(() => sessionStorage.getItem("memoryoss.key")), null);

        assert.deepEqual(dialogs, []);
        assert.deepEqual(errors.filter((e) => !/404|Not Found/i.test(e)), []);
      } finally {
        await browser.close();
      }
    });
  },
});
