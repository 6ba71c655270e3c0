/**
 * The conversational eval's fixture files (tests/fixtures/recall-eval-conv/): `turns.jsonl` in
 * the `memoryoss import` format (one memory per turn) and `questions.jsonl`. They are written
 * by the generator and read back by the runner and the tests.
 */
import type { Question, Turn } from "./model.ts";
import { type Corpus, importLine } from "./generate.ts";

export const CONV_DIR = new URL("../../tests/fixtures/recall-eval-conv/", import.meta.url);

/** Odd conversations tune the fusion weights; even ones are held out for reporting. */
export type Split = "tuning" | "heldout";
export const splitOf = (conv: string): Split =>
  Number(conv.slice(1)) % 2 === 1 ? "tuning" : "heldout";

/** Write the corpus files (turns in import order, questions in id order). */
export async function writeCorpus(c: Corpus, dir: URL = CONV_DIR): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(new URL("turns.jsonl", dir), c.turns.map(importLine).join("\n") + "\n");
  await Deno.writeTextFile(
    new URL("questions.jsonl", dir),
    c.questions.map((q) => JSON.stringify(q)).join("\n") + "\n",
  );
}

/** The raw import file (what `memoryoss import --file` reads). */
export function turnsPath(dir: URL = CONV_DIR): string {
  return new URL("turns.jsonl", dir).pathname;
}

/** Read the corpus files back. */
export async function loadCorpus(dir: URL = CONV_DIR): Promise<Corpus> {
  const lines = async (name: string) =>
    (await Deno.readTextFile(new URL(name, dir))).split("\n").filter((l) => l.trim());
  const turns = (await lines("turns.jsonl")).map((l): Turn => {
    const m = JSON.parse(l) as {
      content: string;
      created_at: string;
      metadata: { conv_id: string; session: string; speaker: string; turn: string };
    };
    return {
      id: m.metadata.turn,
      conv: m.metadata.conv_id,
      session: Number(m.metadata.session.replace("session_", "")),
      date: m.created_at,
      speaker: m.metadata.speaker,
      text: m.content,
    };
  });
  const questions = (await lines("questions.jsonl")).map((l) => JSON.parse(l) as Question);
  return { turns, questions };
}
