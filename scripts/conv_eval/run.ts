/**
 * The held-out protocol on the synthetic conversations: `memoryoss import --file` of the turns
 * (one memory per turn, created_at = the session's date, metadata.session / speaker / conv_id)
 * into a temp home through the real CLI, then every question through the library's `recall`
 * (the function the CLI calls) with `limit: 10` per mode, and a sample through the CLI itself
 * to show both give the same ranking.
 */
import { loadConfig } from "../../lib/config/mod.ts";
import { openRuntime, recall, type Runtime } from "../../lib/memory/mod.ts";
import type { Question } from "./model.ts";
import { EVAL_NOW, namespaceOf } from "./generate.ts";
import { type Split, splitOf } from "./corpus.ts";
import {
  average,
  type GroupScores,
  type QuestionScore,
  scoreRanking,
  separationAuc,
} from "./metrics.ts";

export const MAIN = new URL("../../main.ts", import.meta.url).pathname;
/** Recall modes compared: `mode` of `recall` (hybrid = the shipped default, graph included). */
export const MODES = ["bm25", "vector", "hybrid"] as const;
export type Mode = typeof MODES[number];

/**
 * How conversations are laid out in the home: `one` (the outside benchmark's protocol and the
 * primary one: every turn imported without a namespace, so all conversations share the
 * default namespace) or `per-conv` (each conversation in its own namespace, `conv-c01`…).
 */
export type Layout = "one" | "per-conv";
export const LAYOUTS: readonly Layout[] = ["one", "per-conv"];
/** The namespace every turn lands in under the `one` layout. */
export const SHARED_NAMESPACE = "default";

/** A temp home holding the imported corpus. */
export interface ConvHome {
  home: string;
  rt: Runtime;
  layout: Layout;
  /** The namespace a conversation's questions are asked in. */
  namespaceFor(conv: string): string;
  /** turn id → memory id (from the import's ids, in line order). */
  memoryOf: Map<string, string>;
  /** Seconds the CLI import took. */
  importSeconds: number;
  close(): Promise<void>;
}

/** Run the CLI; throws with its stderr on a non-zero exit. */
export async function memoryoss(home: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (!out.success) throw new Error(`memoryoss ${args[0]} failed: ${dec.decode(out.stderr)}`);
  return dec.decode(out.stdout);
}

/** Open a runtime on `home` with a fixed clock (the corpus' "now"), or the real one. */
export async function runtimeOn(home: string, clock: "eval" | "real" = "eval"): Promise<Runtime> {
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  return await openRuntime(loaded, clock === "eval" ? { now: () => new Date(EVAL_NOW) } : {});
}

/** Import `turnsFile` into a fresh temp home with `memoryoss import --file`. */
export async function importConvHome(
  turnsFile: string,
  turnIds: string[],
  config = "",
  layout: Layout = "one",
): Promise<ConvHome> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-conv-eval-" });
  if (config) await Deno.writeTextFile(`${home}/memoryoss.toml`, config);
  let file = turnsFile;
  if (layout === "one") {
    // The fixture names a namespace per conversation; the shared layout imports the same
    // lines without it (the default namespace), as `import --file` of a plain export would.
    file = `${home}/turns-one-namespace.jsonl`;
    const lines = (await Deno.readTextFile(turnsFile)).split("\n").filter((l) => l.trim());
    await Deno.writeTextFile(
      file,
      lines.map((l) => {
        const { namespace: _, ...rest } = JSON.parse(l);
        return JSON.stringify(rest);
      }).join("\n") + "\n",
    );
  }
  const t0 = performance.now();
  const res = JSON.parse(
    await memoryoss(home, "import", "--file", file, "--json"),
  ) as { failed: unknown[]; ids: string[] };
  const importSeconds = (performance.now() - t0) / 1000;
  if (res.failed.length || res.ids.length !== turnIds.length) {
    throw new Error(`import: ${res.failed.length} failed, ${res.ids.length}/${turnIds.length} ids`);
  }
  const rt = await runtimeOn(home);
  return {
    home,
    rt,
    layout,
    namespaceFor: (conv) => layout === "one" ? SHARED_NAMESPACE : namespaceOf(conv),
    memoryOf: new Map(turnIds.map((t, i) => [t, res.ids[i]])),
    importSeconds,
    async close() {
      rt.close();
      await Deno.remove(home, { recursive: true });
    },
  };
}

/** What one question returned. */
export interface Answer {
  q: Question;
  ids: string[];
  top: number;
  /** Milliseconds the ranker took (in-process, warm). */
  ms: number;
}

/** Something that ranks memories for a query: the library `recall` in a mode, or a variant. */
export type Ranker = (q: Question) => Promise<{ ids: string[]; top: number }>;

/**
 * The library's `recall` in `mode`, top 10 in the namespace the layout puts the question's
 * conversation in (as `memoryoss recall [--namespace conv-c01] --limit 10 --json`).
 */
export function libRanker(
  rt: Runtime,
  mode: Mode,
  namespaceFor: (conv: string) => string = namespaceOf,
): Ranker {
  return async (q) => {
    const res = await recall(rt, {
      query: q.question,
      namespace: namespaceFor(q.conv),
      limit: 10,
      mode,
    });
    return { ids: res.memories.map((m) => m.id), top: res.memories[0]?.score ?? 0 };
  };
}

/** Ask every question. */
export async function ask(questions: Question[], rank: Ranker): Promise<Answer[]> {
  const out: Answer[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    const r = await rank(q);
    out.push({ q, ...r, ms: performance.now() - t0 });
  }
  return out;
}

/** Per split and kind: answerable metrics, and separation for adversarial questions. */
export interface Scores {
  by: Record<Split | "all", Record<string, GroupScores>>;
  adversarial: Record<Split | "all", { n: number; auc: number; mean_top: number }>;
}

/** Score answers; evidence turn ids are mapped to memory ids first. */
export function scoreAnswers(answers: Answer[], memoryOf: Map<string, string>): Scores {
  const groups = new Map<string, QuestionScore[]>();
  const tops = new Map<string, { ok: number[]; adv: number[] }>();
  const add = (key: string, s: QuestionScore) => groups.set(key, [...(groups.get(key) ?? []), s]);
  for (const a of answers) {
    const split = splitOf(a.q.conv);
    for (const sp of [split, "all"]) {
      const t = tops.get(sp) ?? { ok: [], adv: [] };
      tops.set(sp, t);
      (a.q.kind === "adversarial" ? t.adv : t.ok).push(a.top);
    }
    if (a.q.kind === "adversarial") continue;
    const evidence = [...new Set(a.q.evidence.map((t) => memoryOf.get(t)!))];
    const s = scoreRanking(a.ids, evidence);
    for (const sp of [split, "all"]) {
      add(`${sp}|${a.q.kind}`, s);
      add(`${sp}|overall`, s);
    }
  }
  const by = { tuning: {}, heldout: {}, all: {} } as Scores["by"];
  for (const [key, list] of groups) {
    const [sp, kind] = key.split("|") as [Split | "all", string];
    by[sp][kind] = average(list);
  }
  const adversarial = {} as Scores["adversarial"];
  for (const sp of ["tuning", "heldout", "all"] as const) {
    const t = tops.get(sp) ?? { ok: [], adv: [] };
    const mean = t.adv.reduce((x, y) => x + y, 0) / Math.max(1, t.adv.length);
    adversarial[sp] = {
      n: t.adv.length,
      auc: separationAuc(t.ok, t.adv),
      mean_top: Math.round(mean * 1000) / 1000,
    };
  }
  return { by, adversarial };
}

/**
 * Run a sample of questions through `memoryoss recall --limit 10 --json` and through the
 * library with the real clock (as the CLI has): the rankings must be identical.
 */
export async function cliSample(
  home: string,
  questions: Question[],
  n: number,
  namespaceFor: (conv: string) => string = namespaceOf,
): Promise<{ checked: number; same: number; mismatches: string[]; p50_ms: number }> {
  const step = Math.max(1, Math.floor(questions.length / n));
  const sample = questions.filter((_, i) => i % step === 0).slice(0, n);
  const rt = await runtimeOn(home, "real");
  const mismatches: string[] = [];
  const times: number[] = [];
  try {
    const lib = libRanker(rt, "hybrid", namespaceFor);
    for (const q of sample) {
      const t0 = performance.now();
      const out = JSON.parse(
        await memoryoss(
          home,
          ...["recall", "--namespace", namespaceFor(q.conv), "--limit", "10", "--json", q.question],
        ),
      ) as { memories: { id: string }[] };
      times.push(performance.now() - t0);
      const viaCli = out.memories.map((m) => m.id).join(",");
      if (viaCli !== (await lib(q)).ids.join(",")) mismatches.push(q.id);
    }
  } finally {
    rt.close();
  }
  times.sort((a, b) => a - b);
  return {
    checked: sample.length,
    same: sample.length - mismatches.length,
    mismatches,
    p50_ms: Math.round(times[Math.floor(times.length / 2)] ?? 0),
  };
}

/** p50 and p95 of the answers' times, in ms (one decimal). */
export function latency(answers: Answer[]): { p50: number; p95: number } {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] * 10) / 10;
  return { p50: at(0.5), p95: at(0.95) };
}
