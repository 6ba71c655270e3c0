/** Markdown tables for the conversational eval (pasted into docs/benchmarks.md). */
import { KINDS } from "./model.ts";
import type { Scores } from "./run.ts";

const SPLITS = [["heldout", "held-out half (even conversations)"], [
  "tuning",
  "tuning half (odd conversations)",
]] as const;

/** One table per split: rows per mode and kind, adversarial separation last. */
export function markdownTables(results: { mode: string; scores: Scores }[]): string {
  const out: string[] = [];
  for (const [split, title] of SPLITS) {
    out.push(`### ${title}\n`);
    out.push("| mode | kind | n | R@1 | R@5 | R@10 | MRR | nDCG@10 |");
    out.push("|---|---|---:|---:|---:|---:|---:|---:|");
    for (const { mode, scores } of results) {
      for (const kind of ["overall", ...KINDS.filter((k) => k !== "adversarial")]) {
        const g = scores.by[split][kind];
        if (!g) continue;
        const k = kind === "overall" ? "**overall**" : kind;
        out.push(
          `| ${mode} | ${k} | ${g.n} | ${g.recall_at_1} | ${g.recall_at_5} | ${g.recall_at_10} | ${g.mrr} | ${g.ndcg_at_10} |`,
        );
      }
    }
    out.push("");
    out.push("| mode | adversarial n | separation AUC | mean top score |");
    out.push("|---|---:|---:|---:|");
    for (const { mode, scores } of results) {
      const a = scores.adversarial[split];
      out.push(`| ${mode} | ${a.n} | ${a.auc} | ${a.mean_top} |`);
    }
    out.push("");
  }
  return out.join("\n");
}
