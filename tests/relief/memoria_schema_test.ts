/**
 * Memoria's schema 1.0 is a contract agents parse. Every output mode is validated against a
 * JSON Schema written by hand from specs/memoria.md and issue 20
 * (tests/fixtures/memoria/schema-1.0.json) with ajv, an outside validator: `--snap`,
 * `--snap --compact`, each tier, dry runs, `relief auto`, `relief state`, `relief history`,
 * through main.ts on Linux (the real backend), and the Windows-only fields through the fake
 * WinApi at the lib level. The exit code ↔ exit_status table is written here from §3.2.
 */
import assert from "node:assert/strict";
// Test-only dependency, pinned exactly; not in deno.json's runtime imports.
// deno-lint-ignore no-import-prefix
import { Ajv2020 } from "npm:ajv@8.20.0/dist/2020.js";
import {
  type ReliefOptions,
  runRelief,
  runSnapshot,
  windowsBackend,
} from "../../lib/relief/mod.ts";
import { onlyOn, skipIf } from "../_support/skip.ts";
import { FakeWin, type FakeWinOptions } from "./_fake_win.ts";
import { desktop, fakeClock } from "./_fakes.ts";

const SCHEMA = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/memoria/schema-1.0.json", import.meta.url)),
);
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(SCHEMA);
const ID = SCHEMA.$id as string;
const validators = {
  output: ajv.getSchema(ID)!,
  state: ajv.getSchema(`${ID}#/$defs/state`)!,
  history: ajv.getSchema(`${ID}#/$defs/history_entry`)!,
};

/** Assert `value` is valid for the named part of the contract, naming the first problems. */
function assertValid(kind: keyof typeof validators, value: unknown, what: string): void {
  const validate = validators[kind];
  const ok = validate(value);
  assert.ok(ok, `${what}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`);
}

// specs/memoria.md §3.2, by hand.
const EXIT_CODE: Record<string, number> = { ok: 0, partial: 1, failure: 2 };

/** §3.3 rules the schema cannot say: a stage's freed_mb is its Δavailable; totals agree. */
// deno-lint-ignore no-explicit-any
function assertReliefRules(r: any, what: string): void {
  assert.equal(r.reclaimed_mb, r.freed_mb, `${what}: reclaimed_mb is freed_mb`);
  for (const s of r.report.stages) {
    if (s.delta) assert.equal(s.freed_mb, s.delta.available_mb, `${what}: ${s.name}`);
  }
}

const ROOT = new URL("../../", import.meta.url).pathname;
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`;

/** `memoryoss relief …` as shipped: main.ts narrows its own permissions. */
async function relief(args: string[], home: string) {
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}main.ts`, "relief", ...args],
    env: { NO_COLOR: "1", DENO_DIR, MEMORYOSS_HOME: home, HOME: home, XDG_CONFIG_HOME: home },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: o.code, out: dec.decode(o.stdout), err: dec.decode(o.stderr) };
}

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "memoria-schema-" });
  try {
    await fn(`${dir}/home`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Run, parse stdout as one JSON document, validate it, and check the exit code matches. */
async function runOutput(args: string[], home: string) {
  const r = await relief(args, home);
  const what = `relief ${args.join(" ")}`;
  assert.notEqual(r.code, 3, `${what}: ${r.err}`);
  const doc = JSON.parse(r.out);
  assertValid("output", doc, what);
  assert.equal(r.code, EXIT_CODE[doc.exit_status], `${what}: exit code follows exit_status`);
  if (doc.mode === "memory_relief") assertReliefRules(doc, what);
  return { ...r, doc };
}

// Gentle real runs on a shared machine: no process is big enough to be trimmed and
// memory.reclaim asks for 1 MB; the tier's stages still run and are reported.
const GENTLE = ["--min-ws-mb", "1000000", "--reclaim-mb", "1"];
const notLinux = onlyOn("linux", "the real backend under test is Linux's");

Deno.test(skipIf(notLinux, "memoria schema: --snap and --snap --compact"), async () => {
  await withHome(async (home) => {
    const pretty = await runOutput(["--snap", "--json"], home);
    assert.equal(pretty.doc.mode, "snapshot");
    assert.equal(typeof pretty.doc.total_gb, "number", "the snapshot is the document");
    const compact = await runOutput(["--snap", "--compact"], home);
    assert.equal(compact.out.trim().split("\n").length, 1, "one line");
  });
});

Deno.test(skipIf(notLinux, "memoria schema: --tier=safe|standard|aggressive --json"), async () => {
  const child = new Deno.Command("sleep", { args: ["30"], stdout: "null" }).spawn();
  try {
    await withHome(async (home) => {
      for (const tier of ["safe", "standard"]) {
        const { doc } = await runOutput([`--tier=${tier}`, "--json", ...GENTLE], home);
        assert.equal(doc.tier_requested, tier);
        assert.ok(doc.report.stages.length >= 2, `${tier}: the tier's stages are reported`);
      }
      // Aggressive as root would drop the page cache of a shared machine: trim one child only.
      const { doc } = await runOutput(
        ["--tier=aggressive", "--json", "--pid", String(child.pid), "--min-ws-mb", "0"],
        home,
      );
      assert.equal(doc.tier_requested, "aggressive");
      const others = doc.report.stages.filter((s: { name: string }) => s.name !== "process_trim");
      assert.ok(others.length >= 4, "the aggressive stage list is reported");
      assert.ok(others.every((s: { status: string }) => s.status === "skipped"), "--pid only");
    });
  } finally {
    child.kill();
    await child.status;
  }
});

Deno.test(skipIf(notLinux, "memoria schema: dry runs of every tier"), async () => {
  await withHome(async (home) => {
    for (const tier of ["safe", "standard", "aggressive"]) {
      const { doc } = await runOutput(["--dry-run", `--tier=${tier}`, "--compact"], home);
      assert.equal(doc.exit_status, "ok");
      assert.ok(doc.report.stages.every((s: { status: string }) => s.status === "skipped"));
    }
  });
});

Deno.test(
  skipIf(notLinux, "memoria schema: relief auto, relief state, relief history"),
  async () => {
    await withHome(async (home) => {
      const auto = await relief(
        ["auto", "--threshold", "1", "--max-polls", "1", "--compact", "--min-ws-mb", "1000000"],
        home,
      );
      assert.notEqual(auto.code, 3, auto.err);
      const report = JSON.parse(auto.out);
      assertValid("output", report, "relief auto");
      assert.equal(report.mode, "memory_relief");
      assert.equal(auto.code, EXIT_CODE[report.exit_status]);

      await runOutput(["--tier=safe", "--json", "--no-exclude-foreground", ...GENTLE], home);
      const state = await relief(["state", "--json"], home);
      assert.equal(state.code, 0, state.err);
      const s = JSON.parse(state.out);
      assertValid("state", s, "relief state --json");
      assert.equal(s.exclude_foreground_enabled, false, "the toggle persisted");

      const hist = await relief(["history", "--json"], home);
      assert.equal(hist.code, 0, hist.err);
      const entries = JSON.parse(hist.out);
      assert.equal(entries.length, 2, "the auto run and the manual run");
      entries.forEach((e: unknown, i: number) => assertValid("history", e, `history[${i}]`));
    });
  },
);

/** The Windows engine over the fake WinApi: Windows-only fields (priorities, NTSTATUS). */
async function windows(fake: Partial<FakeWinOptions>, opts: ReliefOptions) {
  const api = new FakeWin({
    elevated: false,
    procs: desktop(),
    selfPid: 2000,
    foregroundPid: 1000,
    ...fake,
  });
  const backend = windowsBackend({ api, clock: fakeClock() });
  const report = await runRelief(backend, { selfPid: 2000, ...opts }, fakeClock());
  return JSON.parse(JSON.stringify(report));
}

Deno.test("memoria schema: Windows snapshot, every tier, elevated or not, dry run", async () => {
  const api = new FakeWin({
    elevated: true,
    procs: desktop(),
    selfPid: 2000,
    foregroundPid: 1000,
  });
  const snap = JSON.parse(
    JSON.stringify(await runSnapshot(windowsBackend({ api, clock: fakeClock() }), fakeClock())),
  );
  assertValid("output", snap, "windows --snap");
  assert.equal(snap.standby_by_priority.length, 8);
  assert.equal(snap.foreground_image, "chrome.exe");

  for (const tier of ["safe", "standard", "aggressive"] as const) {
    for (const elevated of [false, true]) {
      for (const dryRun of [false, true]) {
        const r = await windows({ elevated }, { tier, dryRun });
        const what = `windows ${tier} elevated=${elevated} dry=${dryRun}`;
        assertValid("output", r, what);
        assertReliefRules(r, what);
        const downgraded = tier !== "safe" && !elevated;
        assert.equal(r.exit_status, downgraded ? "partial" : "ok", what);
      }
    }
  }
  const safe = await windows({}, { tier: "safe" });
  assert.equal(safe.report.foreground_excluded, "chrome.exe", "the spared image, by name");
  const agg = await windows({ elevated: true }, { tier: "aggressive" });
  assert.ok(agg.report.stages.some((s: { ntstatus: string | null }) => s.ntstatus !== null));
  assert.equal(agg.report.foreground_excluded, null, "global_ws_empty spared nothing");
  const session0 = await windows({ foregroundPid: null }, { tier: "safe" });
  assert.equal(session0.report.foreground_excluded, null);
});

Deno.test("memoria schema: has teeth (the old shapes are refused)", async () => {
  const r = await windows({}, { tier: "safe" });
  assertValid("output", r, "baseline");
  const bad: [string, (x: typeof r) => void][] = [
    ["integer exit_status", (x) => (x.exit_status = 0)],
    ["boolean foreground_excluded", (x) => (x.report.foreground_excluded = true)],
    ["a path for foreground_excluded", (x) => (x.report.foreground_excluded = "C:\\a\\b.exe")],
    ["our old mode", (x) => (x.mode = "relief")],
    ["a stage without delta", (x) => delete x.report.stages[0].delta],
    ["a skipped stage without a reason", (x) => {
      x.report.stages[0].status = "skipped";
      x.report.stages[0].reason = null;
    }],
    ["no reclaimed_mb", (x) => delete x.reclaimed_mb],
  ];
  for (const [what, mutate] of bad) {
    const copy = structuredClone(r);
    mutate(copy);
    assert.equal(validators.output(copy), false, what);
  }
  const snap = await runSnapshot(
    windowsBackend({
      api: new FakeWin({ elevated: true, procs: desktop(), selfPid: 2000, foregroundPid: 1000 }),
      clock: fakeClock(),
    }),
    fakeClock(),
  );
  const { standby_by_priority: _, ...missing } = snap;
  assert.equal(validators.output(missing), false, "a snapshot missing a §3.4 field");
  assert.equal(validators.output({ ...snap, mode: "snap" }), false, "our old --snap mode");
  assert.equal(validators.state({ whitelist: [] }), false, "state without the toggle");
});
