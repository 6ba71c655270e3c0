/**
 * Modules a hot command loads only when it needs them (`recall` and `store` without zod and
 * the whole lib/memory barrel, `--expand`'s lib/llm, `store create|use|…`'s named-store
 * commands): imported through specifiers built at run time, because a literal `import()`
 * puts its module graph into every start (see cli/commands.ts). The single-file bundle holds
 * only what literal imports name, so `bundle_entry.ts` hands them over with
 * {@link provideLazyModules}; `deno compile` embeds {@link LAZY_MODULES} (scripts/compile.ts).
 *
 * @module
 */
import type * as Memory from "../lib/memory/mod.ts";
import type * as Llm from "../lib/llm/mod.ts";
import type * as Stores from "./stores.ts";

/** The modules by short name. */
export interface LazyModules {
  memory: typeof Memory;
  llm: typeof Llm;
  stores: typeof Stores;
}

/** Where each lives, relative to this file. */
const SPECIFIERS: Record<keyof LazyModules, string> = {
  memory: "../lib/memory/mod.ts",
  llm: "../lib/llm/mod.ts",
  stores: "./stores.ts",
};

/** The same files relative to the repository (what `deno compile --include` takes). */
export const LAZY_MODULES: string[] = Object.values(SPECIFIERS).map((s) =>
  new URL(s, "file:///repo/cli/").pathname.slice("/repo/".length)
);

const provided: Partial<LazyModules> = {};

/** Hands modules over already loaded (the single-file bundle's entry). */
export function provideLazyModules(modules: Partial<LazyModules>): void {
  Object.assign(provided, modules);
}

/** The module, loaded on first use. */
export async function lazyModule<K extends keyof LazyModules>(name: K): Promise<LazyModules[K]> {
  return (provided[name] ??= await import(SPECIFIERS[name]));
}
