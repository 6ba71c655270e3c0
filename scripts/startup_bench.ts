/**
 * Whole-process start-up times of the CLI, measured from outside beside an empty `deno run`,
 * plus the warm start of `serve` (first recall after start vs later ones).
 *
 *   deno run -A scripts/startup_bench.ts [--runs 10] [--seed 1000] [--serve-seed 20000]
 *                                         [--skip-cli] [--skip-serve] [--baseline DIR]
 *                                         [--only recall,store,…] [--help]
 *
 * Each command runs once untimed (so Deno's transpile cache is warm, as a compiled binary would
 * be), then `--runs` rounds over all commands; the table shows the median, p90 and minimum of
 * the wall time and, where GNU time exists, the median CPU time (user + sys: on a shared
 * machine it moves far less with the load than wall time does). The home is a
 * temp dir seeded with `--seed` synthetic memories (so `recall` and `list` have work to do).
 * Prints markdown; record results in docs/benchmarks.md ("Start-up").
 */
import { parseArgs } from "node:util";
import { syntheticMemories, syntheticQueries } from "./synthetic.ts";
import { readBanner, waitReady } from "./_serve_banner.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "10" },
    seed: { type: "string", default: "1000" },
    "serve-seed": { type: "string", default: "20000" },
    "skip-serve": { type: "boolean" },
    "skip-cli": { type: "boolean" },
    baseline: { type: "string" },
    only: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`Whole-process start-up times of the CLI (docs/benchmarks.md "Start-up").

  --runs N          timed rounds after one warm-up (default 10)
  --seed N          synthetic memories in the CLI commands' home (default 1000; issue 18: 6000)
  --serve-seed N    memories in serve's home (default 20000)
  --skip-cli        only serve's warm start
  --skip-serve      only the CLI commands
  --baseline DIR    also run every command from the checkout DIR, on its own home seeded the
                    same way, in the same rounds
  --only a,b        time only these commands (empty, help, remember, store, recall, list);
                    the empty run is always timed

Example:
  deno run -A --lock=deno.dev.lock scripts/startup_bench.ts --skip-serve --seed 6000 \\
    --runs 12 --only recall --baseline /tmp/base`);
  Deno.exit(0);
}

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const DENO = Deno.execPath();

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/**
 * The mean: GNU time reports CPU in 10 ms steps, so over the rounds the mean resolves
 * differences the median cannot.
 */
function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** GNU time, when present: adds the child's CPU time (user + sys), steadier than wall time. */
const GNU_TIME = (() => {
  try {
    return Deno.statSync("/usr/bin/time").isFile ? "/usr/bin/time" : null;
  } catch {
    return null;
  }
})();

/** Wall time of one whole process, and its CPU time (NaN without GNU time). */
async function timed(args: string[], home: string): Promise<{ wall: number; cpu: number }> {
  const [cmd, argv] = GNU_TIME ? [GNU_TIME, ["-f", "@@cpu %U %S", DENO, ...args]] : [DENO, args];
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, {
    args: argv,
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wall = performance.now() - t0;
  const err = new TextDecoder().decode(out.stderr);
  if (out.code !== 0) throw new Error(`${args.join(" ")} exited ${out.code}: ${err}`);
  const m = /@@cpu ([\d.]+) ([\d.]+)/.exec(err);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
}

async function run(args: string[], home: string): Promise<number> {
  return (await timed(args, home)).wall;
}

/** Seed `n` synthetic memories into namespace `bench` through `memoryoss import`. */
async function seed(home: string, n: number, main = MAIN): Promise<void> {
  if (n <= 0) return;
  const file = `${home}/seed.jsonl`;
  // Each synthetic memory is already one JSONL line (content, tags, created_at, agent, …).
  await Deno.writeTextFile(file, syntheticMemories(n).join("\n") + "\n");
  await run(["run", "-A", "--quiet", main, "import", "--namespace", "bench", "--file", file], home);
}

/** The CLI commands timed, as `deno run` arguments for the entry `main`. */
function cliCases(main: string, empty: string): [string, string[]][] {
  const m = (...a: string[]) => ["run", "-A", "--quiet", main, ...a];
  const all: [string, string[]][] = [
    ["empty `deno run`", ["run", "-A", "--quiet", empty]],
    ["`--help`", m("--help")],
    ["`remember X`", m("remember", "--namespace", "bench", "startup bench fact")],
    ["`store X`", m("store", "--namespace", "bench", "startup bench memory")],
    ["`recall X`", m("recall", "--namespace", "bench", "why did the deploy pipeline change")],
    ["`list`", m("list", "--namespace", "bench")],
  ];
  return all.filter(([label]) => label.startsWith("empty") || wanted(label));
}

/** `--only`: the commands to time (all when not given). */
function wanted(label: string): boolean {
  if (!values.only) return true;
  const name = /[a-z]+/.exec(label)?.[0] ?? "";
  return values.only.split(",").map((s) => s.trim()).includes(name);
}

/**
 * The CLI table. With `baseline` (another checkout's directory), every command also runs from
 * that checkout, on its own home seeded the same way, in the same rounds: before → after on
 * one machine state.
 */
async function cliTable(runs: number, n: number, baseline?: string): Promise<string[]> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-startup-" });
  const baseHome = `${home}/baseline-home`;
  const empty = `${home}/empty.ts`;
  await Deno.writeTextFile(empty, "\n");
  try {
    await seed(home, n, MAIN);
    const cases = cliCases(MAIN, empty).map(([l, a]) => ({ label: l, args: a, home }));
    if (baseline) {
      const baseMain = `${baseline.replace(/\/$/, "")}/main.ts`;
      await Deno.mkdir(baseHome);
      await seed(baseHome, n, baseMain);
      const base = cliCases(baseMain, empty).slice(1);
      cases.push(...base.map(([l, a]) => ({ label: `${l}, baseline`, args: a, home: baseHome })));
    }
    const rows = [
      `Whole-process times, ms (${runs} rounds after one warm-up; home seeded with ${n} memories;` +
      ` CPU time from ${GNU_TIME ?? "(no GNU time: NaN)"}${
        baseline ? `; baseline ${baseline}` : ""
      })`,
      "",
      "| command | median | p90 | min | CPU median (mean), user+sys |",
      "|---|---|---|---|---|",
    ];
    // Rounds over all commands (not one command's runs back to back), so a burst of load on
    // the shared machine lands on every row alike.
    for (const c of cases) await run(c.args, c.home); // warm the transpile cache
    const wall = cases.map(() => [] as number[]);
    const cpu = cases.map(() => [] as number[]);
    for (let i = 0; i < runs; i++) {
      for (const [k, c] of cases.entries()) {
        const t = await timed(c.args, c.home);
        wall[k].push(t.wall);
        cpu[k].push(t.cpu);
      }
    }
    for (const [k, c] of cases.entries()) {
      const w = wall[k];
      rows.push(
        `| ${c.label} | ${percentile(w, 50).toFixed(0)} | ${percentile(w, 90).toFixed(0)} | ` +
          `${Math.min(...w).toFixed(0)} | ${percentile(cpu[k], 50).toFixed(0)} (${
            mean(cpu[k]).toFixed(1)
          }) |`,
      );
    }
    return rows;
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

/**
 * Start `serve` twice on one home: once recalling as soon as the port is open, once after
 * /health says the index is ready. The first query is timed against the same query repeated
 * after the others (so a slow query is not mistaken for a cold start).
 */
async function serveWarmStart(n: number, runs: number): Promise<string[]> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-startup-serve-" });
  try {
    await seed(home, n);
    const queries = syntheticQueries(runs + 1);
    const rows = [
      `serve warm start, ms (home seeded with ${n} memories; ${runs} later queries)`,
      "",
      "| start | spawn → listening | spawn → /health ready | first recall | same query again | later recalls, median |",
      "|---|---|---|---|---|---|",
    ];
    let key: string | undefined;
    for (const wait of [false, true]) {
      const t0 = performance.now();
      const child = new Deno.Command(DENO, {
        args: ["run", "-A", "--quiet", MAIN, "serve", "--port", "0"],
        env: { MEMORYOSS_HOME: home, NO_COLOR: "1", MEMORYOSS_RATE_LIMIT_PER_SEC: "0" },
        stdin: "null",
        stdout: "piped",
        stderr: "null",
      }).spawn();
      try {
        const banner = await readBanner(child.stdout);
        key ??= banner.key;
        const listening = performance.now() - t0;
        let ready = NaN;
        if (wait) {
          await waitReady(banner.url, 5);
          ready = performance.now() - t0;
        }
        const recall = async (q: string) => {
          const s = performance.now();
          const res = await fetch(`${banner.url}/v1/recall`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({ query: q, namespace: "bench", limit: 10 }),
          });
          await res.body?.cancel();
          if (!res.ok) throw new Error(`recall: HTTP ${res.status}`);
          return performance.now() - s;
        };
        const first = await recall(queries[0]);
        const later: number[] = [];
        for (const q of queries.slice(1)) later.push(await recall(q));
        const again = await recall(queries[0]);
        rows.push(
          `| ${wait ? "after /health ready" : "right after listening"} | ${
            listening.toFixed(0)
          } | ` +
            `${wait ? ready.toFixed(0) : "–"} | ${first.toFixed(0)} | ${again.toFixed(0)} | ` +
            `${percentile(later, 50).toFixed(0)} |`,
        );
      } finally {
        child.kill("SIGTERM");
        await child.status;
      }
    }
    return rows;
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

const runs = Number(values.runs);
console.log(
  `Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores, load ` +
    Deno.loadavg().map((x) => x.toFixed(2)).join(" "),
);
if (!values["skip-cli"]) {
  console.log("");
  console.log((await cliTable(runs, Number(values.seed), values.baseline)).join("\n"));
}
if (!values["skip-serve"]) {
  console.log("");
  console.log((await serveWarmStart(Number(values["serve-seed"]), runs)).join("\n"));
}
