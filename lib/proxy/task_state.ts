/**
 * The `<task_state>` form of the injected `<memory_context>` (memoryOSS §3.5, §4.1 step 2):
 * when the query is about a deploy, a bugfix, a review or response style, the recalled
 * memories are compiled into a small working state (goal, facts, constraints, recent actions,
 * open questions, evidence) instead of one summary per memory.
 *
 * The keyword lists, goals and questions are memoryOSS's, so the same query and memories give
 * the same block byte for byte.
 *
 * @module
 */

import { ACTION, KINDS, NORMATIVE, ORDER, type TaskKind } from "./task_kinds.ts";

export type { TaskKind };

/** The detected task context of a query (memoryOSS `task_context`). */
export interface TaskContext {
  kind: TaskKind;
  /** The query hints that matched, normalized, sorted. */
  matched_terms: string[];
}

/** Lowercase; everything but letters, digits and whitespace becomes a space. */
function normalize(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, " ");
}

function hits(text: string, hints: string[]): string[] {
  const norm = normalize(text);
  const padded = ` ${norm} `;
  const out = new Set<string>();
  for (const h of hints) {
    const hint = normalize(h).trim();
    if (!hint) continue;
    const bytes = new TextEncoder().encode(hint).length;
    if (padded.includes(` ${hint} `) || (bytes > 4 && norm.includes(hint))) out.add(hint);
  }
  return [...out].sort();
}

/**
 * The task kind of a query: the kind with the most hint words, only when it leads strictly
 * (a tie is no kind).
 *
 * @example
 * ```ts
 * detectTaskContext("how do we deploy to production?")?.kind; // "deploy"
 * detectTaskContext("what is the capital of France?"); // null
 * ```
 */
export function detectTaskContext(query: string): TaskContext | null {
  const ranked = ORDER.map((kind) => ({ kind, terms: hits(query, KINDS[kind].query) }))
    .sort((a, b) => b.terms.length - a.terms.length); // stable: ties keep ORDER
  const [top, second] = ranked;
  if (top.terms.length === 0 || second.terms.length === top.terms.length) return null;
  return { kind: top.kind, matched_terms: top.terms };
}

/** Take `max` characters; "..." when anything was cut. */
function preview(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? chars.slice(0, max).join("") + "..." : s;
}

function sentences(content: string): string[] {
  return content.split(/[.!?\n]/).map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * The summary line of a memory: its first sentence with a final period, at most 140
 * characters (then "...").
 */
export function summarySentence(content: string): string {
  const first = sentences(content)[0];
  if (first === undefined) return preview(content.trim(), 140);
  if ([...first].length > 140) return preview(first, 140);
  return first.endsWith(".") ? first : `${first}.`;
}

/** Evidence previews: sentences 2–3 (90 characters each), else the content (120). */
export function evidencePreviews(content: string): string[] {
  const out = sentences(content).slice(1, 3).map((s) => preview(s, 90)).filter((s) => s);
  return out.length ? out : [preview(content.trim(), 120)];
}

/** A memory offered to the compiler (best first). */
export interface TaskStateInput {
  id: string;
  content: string;
  tags?: string[];
  status?: string;
  score?: number;
}

/** One item of a bucket. */
export interface TaskStateItem {
  memory_id: string;
  summary: string;
  score: number;
  status: string;
  tags: string[];
}

/** The compiled state (memoryOSS `CompiledTaskState`, minus trust and provenance). */
export interface CompiledTaskState {
  kind: TaskKind;
  goal: string;
  facts: TaskStateItem[];
  constraints: TaskStateItem[];
  recent_actions: TaskStateItem[];
  open_questions: string[];
  evidence: { memory_id: string; preview: string }[];
  inputs: {
    candidate_memory_ids: string[];
    selected_memory_ids: string[];
    omitted_memory_ids: string[];
  };
  decisions: string[];
}

type Bucket = "facts" | "constraints" | "recent_actions" | "open_questions";

function bucketOf(m: TaskStateInput, kind: TaskKind): Bucket {
  if (m.status === "candidate" || m.status === "contested") return "open_questions";
  const content = m.content.toLowerCase();
  const tags = (m.tags ?? []).join(" ").toLowerCase();
  const any = (text: string, list: string[]) => list.some((h) => text.includes(h));
  const k = KINDS[kind];
  if (any(content, NORMATIVE) || any(content, k.constraint) || any(tags, k.constraint)) {
    return "constraints";
  }
  if (any(content, ACTION) || any(content, k.action) || any(tags, k.action)) {
    return "recent_actions";
  }
  return "facts";
}

function question(m: TaskStateInput, summary: string): string {
  if (m.status === "candidate") return `Confirm candidate memory before relying on it: ${summary}`;
  if (m.status === "contested") return `Resolve contested memory before relying on it: ${summary}`;
  return `Clarify whether this memory should stay active: ${summary}`;
}

/**
 * Sort `memories` into the working state of `ctx`: at most two items per bucket, four
 * evidence previews, and a "Missing … state" question when constraints, or facts and actions,
 * are missing. Null when there is no memory.
 */
export function compileTaskState(
  memories: TaskStateInput[],
  ctx: TaskContext,
): CompiledTaskState | null {
  if (memories.length === 0) return null;
  const item = (m: TaskStateInput): TaskStateItem => ({
    memory_id: m.id,
    summary: summarySentence(m.content),
    score: m.score ?? 0,
    status: m.status ?? "active",
    tags: m.tags ?? [],
  });
  const st: CompiledTaskState = {
    kind: ctx.kind,
    goal: KINDS[ctx.kind].goal,
    facts: [],
    constraints: [],
    recent_actions: [],
    open_questions: [],
    evidence: [],
    inputs: { candidate_memory_ids: [], selected_memory_ids: [], omitted_memory_ids: [] },
    decisions: [],
  };
  const selected = st.inputs.selected_memory_ids;
  for (const m of memories) {
    const b = bucketOf(m, ctx.kind);
    if (st[b].length >= 2) continue;
    if (b === "open_questions") st.open_questions.push(question(m, summarySentence(m.content)));
    else st[b].push(item(m));
    selected.push(m.id);
    if (st.evidence.length < 4) {
      st.evidence.push({ memory_id: m.id, preview: evidencePreviews(m.content)[0] });
    }
  }
  const spare = memories.find((m) => !selected.includes(m.id));
  if (st.facts.length === 0 && spare) {
    st.facts.push(item(spare));
    selected.push(spare.id);
  }
  if (st.facts.length === 0 && st.recent_actions.length === 0 && st.constraints.length > 1) {
    st.facts.push(st.constraints.pop()!);
    st.decisions.push(
      "Demoted the lowest-priority constraint into facts to keep the working state balanced.",
    );
  }
  finish(st, memories);
  return st;
}

function finish(st: CompiledTaskState, memories: TaskStateInput[]): void {
  if (st.constraints.length === 0 || (st.facts.length === 0 && st.recent_actions.length === 0)) {
    st.open_questions.push(KINDS[st.kind].missing);
  }
  st.open_questions = [...new Set(st.open_questions)].sort();
  const d = st.decisions;
  if (st.constraints.length) {
    d.push("Promoted policy-like or preference-like memories into constraints.");
  }
  if (st.recent_actions.length) {
    d.push("Promoted action-oriented memories into recent actions.");
  }
  if (st.open_questions.length) {
    d.push("Turned unresolved or low-confidence signals into explicit open questions.");
  }
  if (st.evidence.length) {
    d.push("Kept one bounded evidence preview per selected memory for drill-down.");
  }
  st.inputs.candidate_memory_ids = memories.map((m) => m.id);
  st.inputs.omitted_memory_ids = memories.map((m) => m.id)
    .filter((id) => !st.inputs.selected_memory_ids.includes(id));
}

function escAll(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/**
 * The `<task_state>` XML of a compiled state.
 *
 * @example
 * ```ts
 * renderTaskStateXml(state); // '<task_state kind="deploy">\n<goal>…</goal>\n…</task_state>\n'
 * ```
 */
export function renderTaskStateXml(st: CompiledTaskState): string {
  let out = `<task_state kind="${st.kind}">\n<goal>${escAll(st.goal)}</goal>\n`;
  const list = (tag: string, itemTag: string, texts: string[]) => {
    if (texts.length === 0) return;
    out += `<${tag}>\n${texts.map((t) => `<${itemTag}>${escAll(t)}</${itemTag}>\n`).join("")}`;
    out += `</${tag}>\n`;
  };
  list("facts", "fact", st.facts.map((i) => i.summary));
  list("constraints", "constraint", st.constraints.map((i) => i.summary));
  list("recent_actions", "recent_action", st.recent_actions.map((i) => i.summary));
  list("open_questions", "question", st.open_questions);
  list("evidence", "item", st.evidence.map((e) => e.preview));
  return out + "</task_state>\n";
}
