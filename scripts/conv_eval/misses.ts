/**
 * Error analysis for the conversational eval: for one half (held-out by default), the questions
 * whose evidence is not all in the top 10, grouped by kind. For each evidence turn: its rank in
 * a deep list (the first {@link DEEP} of `recallHybrid` with the shipped weights; "—" when no
 * channel found it; with that limit each channel reads 1,000 deep, so a turn can rank within
 * 10 there and still miss the real top 10), its channels and provenance, its speaker, the turn
 * before it and that turn's rank; and the first three hits (turn, score, speaker, text) to see
 * what crowded it out.
 *
 *   deno run -A scripts/conv_eval/misses.ts [--split heldout|tuning] [--layout one|per-conv]
 *                                           [--kind multi_hop] [--max 40] [--json FILE]
 */
import { parseArgs } from "node:util";
import type { RecallHit } from "../../lib/recall/mod.ts";
import type { Runtime } from "../../lib/memory/mod.ts";
import { loadCorpus, splitOf, turnsPath } from "./corpus.ts";
import { importConvHome, type Layout } from "./run.ts";
import { libraryRecall } from "./tune.ts";
import type { Question, Turn } from "./model.ts";

/** How deep the list an evidence turn's rank is read from. */
const DEEP = 200;

/** One evidence turn of a missed question. */
export interface EvidenceRow {
  turn: string;
  speaker: string;
  text: string;
  before: string;
  /** Rank of the turn before it in the deep list (null: not there). */
  beforeRank: number | null;
  rank: number | null;
  score: number | null;
  channels: Record<string, number> | null;
  provenance: string[];
}

/** One question with evidence outside the top 10. */
export interface Miss {
  id: string;
  kind: string;
  question: string;
  recall10: number;
  speakers: string[];
  entities: string[];
  time: string[];
  evidence: EvidenceRow[];
  top: { turn: string; score: number; text: string; provenance: string[] }[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The misses of `questions` (evidence not all in the top 10 of the shipped recall). */
export async function findMisses(
  rt: Runtime,
  questions: Question[],
  turns: Map<string, Turn>,
  memoryOf: Map<string, string>,
  namespaceFor: (conv: string) => string,
): Promise<Miss[]> {
  const turnOf = new Map([...memoryOf].map(([t, m]) => [m, t]));
  const prevOf = new Map<string, string>();
  const ordered = [...turns.values()];
  ordered.forEach((t, i) => {
    const p = ordered[i - 1];
    if (p && p.conv === t.conv && p.session === t.session) prevOf.set(t.id, p.id);
  });
  const out: Miss[] = [];
  for (const q of questions) {
    if (q.kind === "adversarial") continue;
    const ns = namespaceFor(q.conv);
    const top10 = (await libraryRecall(rt, q.question, ns, 10)).hits.map((h) => h.record.id);
    const want = q.evidence.map((t) => memoryOf.get(t)!);
    const got = want.filter((id) => top10.includes(id)).length;
    if (got === want.length) continue;
    const deep = await libraryRecall(rt, q.question, ns, DEEP);
    const rankOf = new Map(deep.hits.map((h, i) => [h.record.id, [i + 1, h] as const]));
    const evidence = q.evidence.map((t): EvidenceRow => {
      const at = rankOf.get(memoryOf.get(t)!);
      const hit: RecallHit | undefined = at?.[1];
      const turn = turns.get(t)!;
      return {
        turn: t,
        speaker: turn.speaker,
        text: turn.text,
        before: turns.get(prevOf.get(t) ?? "")?.text ?? "",
        beforeRank: rankOf.get(memoryOf.get(prevOf.get(t) ?? "") ?? "")?.[0] ?? null,
        rank: at?.[0] ?? null,
        score: hit ? round(hit.score) : null,
        channels: hit
          ? Object.fromEntries(Object.entries(hit.channels).map(([k, v]) => [k, round(v ?? 0)]))
          : null,
        provenance: hit?.provenance.filter((p) => !p.startsWith("episode:")) ?? [],
      };
    });
    out.push({
      id: q.id,
      kind: q.kind,
      question: q.question,
      recall10: round(got / want.length),
      speakers: deep.speakers ?? [],
      entities: deep.entities ?? [],
      time: (deep.time ?? []).map((t) => `${t.text} → ${t.window}`),
      evidence,
      top: deep.hits.slice(0, 3).map((h) => ({
        turn: turnOf.get(h.record.id) ?? h.record.id,
        score: round(h.score),
        text: h.record.content,
        provenance: h.provenance.filter((p) => !p.startsWith("episode:")),
      })),
    });
  }
  return out;
}

/** Plain-text listing, grouped by kind. */
export function printMisses(misses: Miss[], turns: Map<string, Turn>, max: number): void {
  const kinds = [...new Set(misses.map((m) => m.kind))].sort();
  for (const kind of kinds) {
    const list = misses.filter((m) => m.kind === kind);
    const none = list.filter((m) => m.recall10 === 0).length;
    console.log(`\n## ${kind}: ${list.length} questions miss evidence (${none} miss all)\n`);
    for (const m of list.slice(0, max)) {
      const extra = [
        m.speakers.length ? `speakers ${m.speakers.join(",")}` : "",
        m.entities.length ? `names ${m.entities.join(",")}` : "",
        m.time.length ? `time ${m.time.join("; ")}` : "",
      ].filter(Boolean).join(" · ");
      console.log(`- ${m.id} (R@10 ${m.recall10}) ${m.question}${extra ? `  [${extra}]` : ""}`);
      for (const e of m.evidence) {
        const ch = e.channels
          ? Object.entries(e.channels).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`)
            .join(", ")
          : "";
        console.log(
          `    ev ${e.turn} rank ${e.rank ?? "—"} score ${e.score ?? "—"} ${e.speaker}: ` +
            `"${e.text}"${ch ? ` {${ch}}` : ""}${
              e.provenance.length ? ` <${e.provenance.join(",")}>` : ""
            }`,
        );
        if (e.before) console.log(`       after (rank ${e.beforeRank ?? "—"}): "${e.before}"`);
      }
      for (const t of m.top) {
        const who = turns.get(t.turn)?.speaker ?? "?";
        console.log(`    top ${t.turn} ${t.score} ${who}: "${t.text}"`);
      }
    }
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      split: { type: "string", default: "heldout" },
      layout: { type: "string", default: "one" },
      kind: { type: "string" },
      max: { type: "string", default: "40" },
      json: { type: "string" },
    },
  });
  const corpus = await loadCorpus();
  const turns = new Map(corpus.turns.map((t) => [t.id, t]));
  const questions = corpus.questions.filter((q) =>
    splitOf(q.conv) === values.split && (!values.kind || q.kind === values.kind)
  );
  const h = await importConvHome(
    turnsPath(),
    corpus.turns.map((t) => t.id),
    "",
    values.layout as Layout,
  );
  try {
    const misses = await findMisses(h.rt, questions, turns, h.memoryOf, h.namespaceFor);
    printMisses(misses, turns, Number(values.max));
    const none = misses.map((m) => m.evidence.filter((e) => e.rank === null).length);
    const all = misses.reduce((n, m) => n + m.evidence.length, 0);
    console.log(
      `\n${misses.length} of ${
        questions.filter((q) => q.kind !== "adversarial").length
      } questions miss evidence; ` +
        `${none.reduce((a, b) => a + b, 0)} of their ${all} evidence turns are not in the ` +
        `first ${DEEP}.`,
    );
    if (values.json) await Deno.writeTextFile(values.json, JSON.stringify(misses, null, 2));
  } finally {
    await h.close();
  }
}
