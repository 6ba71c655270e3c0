/**
 * `serve`'s peak memory (issue 21): copy a home, start `serve --port 0` on the copy, wait
 * until /health says the index is ready, run recalls over HTTP, read VmHWM (peak RSS) from
 * /proc/<pid>/status at both points, and the recalls' latency. Linux only (/proc).
 *
 *   deno run -A --lock=deno.dev.lock scripts/bench_rss.ts --home DIR [--recalls 300]
 *     [--runs 1] [--main PATH/main.ts] [--v8-flags FLAGS] [--namespace bench] [--json]
 *
 * DIR is never written: every run works on a fresh copy (a bench home:
 * `scripts/import_bench.ts --n 100000 --keep DIR`). `--main` runs another tree's main.ts
 * (before/after on the same home); `--v8-flags` is passed to the child's `deno run` (default:
 * the flags the binary and `deno task start` run with, scripts/compile.ts; `--v8-flags=` for
 * none).
 * Queries are scripts/synthetic.ts's, the same in every run.
 */
import { parseArgs } from "node:util";
import { syntheticQueries } from "./synthetic.ts";
import { V8_FLAGS } from "./compile.ts";
import { readBanner, waitReady } from "./_serve_banner.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    home: { type: "string" },
    recalls: { type: "string", default: "300" },
    runs: { type: "string", default: "1" },
    main: { type: "string", default: new URL("../main.ts", import.meta.url).pathname },
    // What ships (the binary, `deno task start`); `--v8-flags=` runs V8's defaults.
    "v8-flags": { type: "string", default: V8_FLAGS.slice("--v8-flags=".length) },
    namespace: { type: "string", default: "bench" },
    json: { type: "boolean" },
  },
});

/** One run's figures: MB of peak RSS, ms of recall latency. */
export interface RssRun {
  ready_hwm_mb: number;
  ready_rss_mb: number;
  after_hwm_mb: number;
  after_rss_mb: number;
  p50_ms: number;
  p95_ms: number;
}

const DENO = Deno.execPath();

/** VmHWM and VmRSS of a process, MB. */
async function memOf(pid: number): Promise<{ hwm: number; rss: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return { hwm: kb("VmHWM") / 1024, rss: kb("VmRSS") / 1024 };
}

async function cli(main: string, home: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(DENO, {
    args: ["run", "-A", "--quiet", main, ...args],
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return text;
}

/** The copy's key: its admin.key, else a reader key made for the run. */
async function keyFor(main: string, home: string, namespace: string): Promise<string> {
  try {
    return (await Deno.readTextFile(`${home}/admin.key`)).trim();
  } catch {
    const made = JSON.parse(
      await cli(main, home, [
        "keys",
        "create",
        "--role",
        "reader",
        "--namespaces",
        namespace,
        "--json",
      ]),
    );
    return made.key ?? made.secret;
  }
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/** One run on a fresh copy of `src`. */
export async function rssRun(src: string, opts: {
  main: string;
  recalls: number;
  namespace: string;
  v8Flags?: string;
}): Promise<RssRun> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-rss-" });
  try {
    await new Deno.Command("cp", { args: ["-a", `${src}/.`, home] }).output();
    const key = await keyFor(opts.main, home, opts.namespace);
    const child = new Deno.Command(DENO, {
      args: [
        "run",
        "-P=serve",
        "--quiet",
        ...(opts.v8Flags ? [`--v8-flags=${opts.v8Flags}`] : []),
        opts.main,
        "serve",
        "--port",
        "0",
      ],
      cwd: new URL(".", `file://${opts.main}`).pathname,
      env: { MEMORYOSS_HOME: home, NO_COLOR: "1", MEMORYOSS_RATE_LIMIT_PER_SEC: "0" },
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    try {
      const { url } = await readBanner(child.stdout);
      await waitReady(url, 20);
      const ready = await memOf(child.pid);
      const ms: number[] = [];
      for (const q of syntheticQueries(opts.recalls)) {
        const t = performance.now();
        const res = await fetch(`${url}/v1/recall`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ query: q, namespace: opts.namespace, limit: 10 }),
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`recall: HTTP ${res.status}`);
        ms.push(performance.now() - t);
      }
      const after = await memOf(child.pid);
      return {
        ready_hwm_mb: ready.hwm,
        ready_rss_mb: ready.rss,
        after_hwm_mb: after.hwm,
        after_rss_mb: after.rss,
        p50_ms: pct(ms, 50),
        p95_ms: pct(ms, 95),
      };
    } finally {
      child.kill("SIGTERM");
      await child.status;
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

if (import.meta.main) {
  if (!values.home) {
    console.error("bench_rss: --home DIR is required (a bench home; it is copied, never written)");
    Deno.exit(3);
  }
  const runs: RssRun[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    runs.push(
      await rssRun(values.home, {
        main: values.main,
        recalls: Number(values.recalls),
        namespace: values.namespace,
        v8Flags: values["v8-flags"],
      }),
    );
  }
  if (values.json) console.log(JSON.stringify(runs));
  else {
    const f = (x: number) => x.toFixed(0);
    console.log(
      `serve on a copy of ${values.home}, ${values.recalls} recalls over HTTP, ` +
        `--v8-flags=${values["v8-flags"]}`,
    );
    console.log("| VmHWM ready | VmHWM after | VmRSS after | recall p50 / p95 ms |");
    console.log("|---|---|---|---|");
    for (const r of runs) {
      console.log(
        `| ${f(r.ready_hwm_mb)} MB | ${f(r.after_hwm_mb)} MB | ${f(r.after_rss_mb)} MB | ` +
          `${r.p50_ms.toFixed(1)} / ${r.p95_ms.toFixed(1)} |`,
      );
    }
  }
}
