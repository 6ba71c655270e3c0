/**
 * Adapter import and export against an open runtime. An import normalises the artifact into
 * records, wraps them in a passport (scope all) and runs the passport import plan, so dry
 * runs, merges and conflicts behave exactly as for `passport import`.
 *
 * @module
 */
import { basename, dirname, resolve } from "node:path";
import { MemoryossError } from "../lib/errors/mod.ts";
import { readMemoryFolder } from "../lib/lane/mod.ts";
import {
  contractExportMetadata,
  DEFAULT_NAMESPACE,
  namespaceRecords,
  NamespaceSchema,
  parseInput,
  type Runtime,
} from "../lib/memory/mod.ts";
import {
  buildPassport,
  importPassport,
  type ImportPreview,
  RUNTIME_CONTRACT_ID,
} from "../lib/portable/mod.ts";
import { uuidv7 } from "../lib/store/mod.ts";
import { claudeMemoryItems, renderClaudeMemory } from "./claude_memory.ts";
import { type GitRunner, gitSummary, readGitHistory } from "./git.ts";
import { normalizeMarkdown, renderClaudeProject, renderCursorRules } from "./markdown.ts";
import {
  type AdapterItem,
  type AdapterKind,
  adapterRecords,
  exportableRecords,
  type ExportKind,
} from "./records.ts";

/** `adapter import` output (memoryOSS shape plus `merged_ids` and `renamed_ids`). */
export interface AdapterImportResult {
  dry_run: boolean;
  imported: boolean;
  preview: {
    adapter_kind: AdapterKind;
    source_label: string;
    runtime_contract_id: string;
    normalized_count: number;
    preview: ImportPreview;
  };
  imported_ids: string[];
  merged_ids: string[];
  renamed_ids: Record<string, string>;
}

/** Options for {@link importAdapter}. */
export interface AdapterImportOptions {
  kind: AdapterKind;
  /** File (claude_project, cursor_rules) or folder (git_history, claude_memory). */
  path: string;
  namespace?: string;
  dryRun?: boolean;
  /** Source label (default: the file or folder name). */
  label?: string;
  /** The artifact's text instead of reading `path` (claude_project, cursor_rules; HTTP). */
  content?: string;
  git?: GitRunner;
}

/**
 * The default source label: the file or folder name; for a Claude memory folder named
 * `memory`, its project folder too (`-home-me-app/memory`).
 *
 * @example
 * ```ts
 * defaultLabel("/x/-home-me-app/memory"); // "-home-me-app/memory"
 * ```
 */
export function defaultLabel(path: string): string {
  const abs = resolve(path);
  const base = basename(abs) || abs;
  return base === "memory" ? `${basename(dirname(abs))}/memory` : base;
}

async function readText(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new MemoryossError("NOT_FOUND", `no such file: ${path}`);
    }
    if (e instanceof Deno.errors.IsADirectory) {
      throw new MemoryossError("INVALID_INPUT", `${path} is a folder; this adapter reads a file`);
    }
    throw new MemoryossError("IO", `cannot read ${path}: ${(e as Error).message.split(":")[0]}`);
  }
}

/**
 * The normalised items of an artifact, before they become records.
 *
 * @example
 * ```ts
 * (await adapterItems({ kind: "claude_project", path: "CLAUDE.md" })).length;
 * ```
 */
export async function adapterItems(o: AdapterImportOptions): Promise<AdapterItem[]> {
  const text = async () => o.content ?? await readText(o.path);
  if (o.content !== undefined && (o.kind === "git_history" || o.kind === "claude_memory")) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `kind ${o.kind} reads a folder on this machine; give claude_project or cursor_rules content`,
      ["kind"],
    );
  }
  switch (o.kind) {
    case "claude_project":
      return normalizeMarkdown(await text()).map((content) => ({ content }));
    case "cursor_rules":
      return normalizeMarkdown(await text(), { ruleBias: true })
        .map((content) => ({ content }));
    case "git_history":
      return (await readGitHistory(o.path, o.git)).map((c) => ({
        content: gitSummary(c.subject, c.body),
        created_at: c.date ?? undefined,
        tags: [`git_commit:${c.sha.slice(0, 12)}`],
        metadata: { git: { sha: c.sha } },
      }));
    case "claude_memory": {
      const folder = await readMemoryFolder(o.path);
      if (!folder.exists) throw new MemoryossError("NOT_FOUND", `no such folder: ${o.path}`);
      return claudeMemoryItems(folder);
    }
  }
}

/**
 * Plans (and unless `dryRun`, applies) an adapter import.
 *
 * @example
 * ```ts
 * const r = await importAdapter(rt, { kind: "cursor_rules", path: "rules.mdc", namespace: "ns" });
 * r.imported_ids.length;
 * ```
 */
export async function importAdapter(
  rt: Runtime,
  o: AdapterImportOptions,
): Promise<AdapterImportResult> {
  const namespace = parseInput(NamespaceSchema, o.namespace ?? DEFAULT_NAMESPACE);
  const label = o.label ?? defaultLabel(o.path);
  const items = await adapterItems(o);
  const now = rt.now();
  const records = await adapterRecords(o.kind, label, items, namespace, now);
  const passport = buildPassport(records, {
    namespace,
    scope: "all",
    passportId: uuidv7(now.getTime()),
    exportedAt: now,
    contract: contractExportMetadata(),
  });
  const r = await importPassport(rt, passport, { namespace, dryRun: o.dryRun });
  return {
    dry_run: r.dry_run,
    imported: r.imported,
    preview: {
      adapter_kind: o.kind,
      source_label: label,
      runtime_contract_id: RUNTIME_CONTRACT_ID,
      normalized_count: records.length,
      preview: r.preview,
    },
    imported_ids: r.imported_ids,
    merged_ids: r.merged_ids,
    renamed_ids: r.renamed_ids,
  };
}

/** `adapter export` output: text for the markdown kinds, files for claude_memory. */
export interface AdapterArtifact {
  adapter_kind: ExportKind;
  namespace: string;
  exported_count: number;
  content_type: string;
  /** claude_project and cursor_rules. */
  content?: string;
  /** claude_memory: file name → text, MEMORY.md included. */
  files?: Record<string, string>;
}

/**
 * Renders a namespace back into a foreign artifact. NOT_FOUND when nothing is exportable.
 *
 * @example
 * ```ts
 * (await exportAdapter(rt, { kind: "cursor_rules", namespace: "ns" })).content;
 * ```
 */
export function exportAdapter(
  rt: Runtime,
  o: { kind: ExportKind; namespace?: string },
): AdapterArtifact {
  const namespace = parseInput(NamespaceSchema, o.namespace ?? DEFAULT_NAMESPACE);
  const records = exportableRecords(
    namespaceRecords(rt, namespace, false).map((m) => m.record),
    namespace,
  );
  const contents = records.map((r) => r.content);
  const base = { adapter_kind: o.kind, namespace, exported_count: records.length };
  switch (o.kind) {
    case "claude_project":
      return {
        ...base,
        content_type: "text/markdown",
        content: renderClaudeProject(namespace, contents, rt.now().toISOString()),
      };
    case "cursor_rules":
      return {
        ...base,
        content_type: "text/markdown",
        content: renderCursorRules(namespace, contents),
      };
    case "claude_memory":
      return {
        ...base,
        content_type: "text/markdown",
        files: Object.fromEntries(renderClaudeMemory(records)),
      };
  }
}

/**
 * Writes an exported memory folder. Refuses (CONFLICT, before writing anything) to replace
 * existing files unless `force`.
 *
 * @example
 * ```ts
 * await writeFolder("out/memory", artifact.files!, false);
 * ```
 */
export async function writeFolder(
  dir: string,
  files: Record<string, string>,
  force: boolean,
): Promise<string[]> {
  const names = Object.keys(files);
  if (!force) {
    const taken: string[] = [];
    for (const name of names) {
      try {
        await Deno.lstat(`${dir}/${name}`);
        taken.push(name);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    if (taken.length) {
      throw new MemoryossError(
        "CONFLICT",
        `${dir} already has ${taken.join(", ")}; use --force to overwrite`,
      );
    }
  }
  await Deno.mkdir(dir, { recursive: true });
  for (const name of names) await Deno.writeTextFile(`${dir}/${name}`, files[name]);
  return names.map((n) => `${dir}/${n}`);
}
