/**
 * The claude_memory adapter: Claude Code's markdown memory folder
 * (`~/.claude/projects/<slug>/memory/*.md` + `MEMORY.md`), read through the lane's one
 * parser. Frontmatter `type` maps to memory type and category; name, description, type and
 * file travel in `metadata.claude_memory` so an export writes the same files back.
 *
 * @module
 */
import { stringify as stringifyYaml } from "yaml";
import { entryLine, type MemoryFolder, renderMemoryIndex } from "../lib/lane/mod.ts";
import type { Category, MemoryRecord, MemoryType } from "../lib/store/mod.ts";
import type { AdapterItem } from "./records.ts";

/** Claude Code memory type → our memory type and category. */
export const TYPE_MAP: Record<string, { memory_type: MemoryType; category: Category }> = {
  user: { memory_type: "semantic", category: "context" },
  feedback: { memory_type: "procedural", category: "preference" },
  project: { memory_type: "semantic", category: "decision" },
  reference: { memory_type: "semantic", category: "fact" },
};
/** Category → Claude Code type, for records that did not come from a memory file. */
const CATEGORY_TYPE: Record<string, string> = {
  context: "user",
  preference: "feedback",
  decision: "project",
  fact: "reference",
  insight: "project",
};
const HEADINGS: Record<string, string> = {
  user: "User",
  feedback: "Feedback",
  project: "Project",
  reference: "Reference",
};

/** What `metadata.claude_memory` holds. */
export interface ClaudeMemoryMeta {
  file: string;
  name: string | null;
  description: string | null;
  type: string | null;
  /** Other frontmatter keys (e.g. originSessionId), kept for the way back. */
  extra?: Record<string, unknown>;
}

/**
 * One item per memory file (MEMORY.md is the index, not a memory): the body as content
 * (description, then name, when the body is empty), type → memory type and category.
 *
 * @example
 * ```ts
 * claudeMemoryItems(await readMemoryFolder(root)).map((i) => i.content);
 * ```
 */
export function claudeMemoryItems(folder: MemoryFolder): AdapterItem[] {
  const out: AdapterItem[] = [];
  for (const f of folder.files) {
    const content = f.body.trim() || f.description?.trim() || f.name?.trim() || "";
    if (!content) continue;
    const mapped = f.type ? TYPE_MAP[f.type] : undefined;
    const meta: ClaudeMemoryMeta = {
      file: f.file,
      name: f.name,
      description: f.description,
      type: f.type,
      ...(Object.keys(f.extra).length ? { extra: f.extra } : {}),
    };
    out.push({
      content,
      ref: f.file,
      tags: f.type ? [`claude_type:${f.type}`] : [],
      memory_type: mapped?.memory_type,
      category: mapped?.category ?? null,
      metadata: { claude_memory: meta },
    });
  }
  return out;
}

function metaOf(r: MemoryRecord): ClaudeMemoryMeta | null {
  const m = r.metadata.claude_memory as Partial<ClaudeMemoryMeta> | undefined;
  return m && typeof m === "object" && typeof m.file === "string" ? m as ClaudeMemoryMeta : null;
}

/** A safe memory file name: snake_case words, `.md`. */
function fileSlug(s: string): string {
  const base = s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "_").replace(/^_+|_+$/g, "")
    .slice(0, 60);
  return base || "memory";
}

const firstSentence = (s: string) => {
  const t = s.replace(/\s+/g, " ").trim();
  const m = /^(.{1,150}?[.!?])(\s|$)/.exec(t);
  return m ? m[1] : t.slice(0, 150);
};

/**
 * The files of a memory folder for `records`: file name → text, MEMORY.md included.
 *
 * @example
 * ```ts
 * renderClaudeMemory(records).get("MEMORY.md");
 * ```
 */
export function renderClaudeMemory(records: MemoryRecord[]): Map<string, string> {
  const files = new Map<string, string>();
  const index: Record<string, string[]> = {};
  for (const r of records) {
    const meta = metaOf(r);
    const type = meta?.type ?? CATEGORY_TYPE[r.category ?? ""] ?? "project";
    const name = meta?.name ??
      r.content.replace(/\s+/g, " ").trim().split(" ").slice(0, 6).join(" ");
    const description = meta?.description ?? firstSentence(r.content);
    let file = meta?.file && /^[^/\\]+\.md$/.test(meta.file) && meta.file !== "MEMORY.md"
      ? meta.file
      : `${type}_${fileSlug(name)}.md`;
    for (let n = 2; files.has(file); n++) file = file.replace(/(?:_\d+)?\.md$/, `_${n}.md`);
    const front = stringifyYaml({ ...(meta?.extra ?? {}), name, description, type }).trimEnd();
    files.set(file, `---\n${front}\n---\n\n${r.content.trim()}\n`);
    (index[type] ??= []).push(entryLine(file, name, description));
  }
  const groups = Object.entries(index).map(([type, lines]) => ({
    heading: HEADINGS[type] ?? type,
    lines,
  }));
  files.set("MEMORY.md", renderMemoryIndex(groups, []));
  return files;
}
