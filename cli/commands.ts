/**
 * The command table: names, one-line summaries and lazy loaders. Kept free of heavy imports so
 * `--help` and permission narrowing happen before any subcommand module loads.
 *
 * The loaders import their module through a specifier built at run time, on purpose: before
 * `main` runs, `deno run` builds the module graph of every string-literal `import()` it can
 * see, so literal specifiers here made `--help` (and every command) read and resolve the whole
 * program, the MCP SDK and hono included. Only `import type` names the modules statically (for
 * the type checker; erased at run time); `deno compile` embeds them through `--include`
 * (scripts/compile.ts lists every `module` of this table).
 */
import type { Globals } from "./_io.ts";
import type * as Adapter from "./adapter.ts";
import type * as Backup from "./backup.ts";
import type * as Bundle from "./bundle.ts";
import type * as Config from "./config.ts";
import type * as Connector from "./connector.ts";
import type * as Conformance from "./conformance.ts";
import type * as Dev from "./dev.ts";
import type * as Doctor from "./doctor.ts";
import type * as Drain from "./drain.ts";
import type * as Encryption from "./encryption.ts";
import type * as Graph from "./graph.ts";
import type * as History from "./history.ts";
import type * as Hud from "./hud.ts";
import type * as Hook from "./hook.ts";
import type * as Insights from "./insights.ts";
import type * as Install from "./install.ts";
import type * as Keys from "./keys.ts";
import type * as Lane from "./lane.ts";
import type * as Lifecycle from "./lifecycle.ts";
import type * as McpServer from "./mcp_server.ts";
import type * as MemoryRead from "./memory_read.ts";
import type * as MemoryWrite from "./memory_write.ts";
import type * as Migrate from "./migrate.ts";
import type * as Passport from "./passport.ts";
import type * as Recall from "./recall.ts";
import type * as Reader from "./reader.ts";
import type * as Recent from "./recent.ts";
import type * as Relief from "./relief.ts";
import type * as Remember from "./remember.ts";
import type * as Review from "./review.ts";
import type * as Scheduler from "./scheduler.ts";
import type * as Serve from "./serve.ts";
import type * as Setup from "./setup.ts";
import type * as Store from "./store.ts";
import type * as Trust from "./trust.ts";
import type * as Worker from "./worker.ts";

/** A command entry point. */
export type CommandMain = (args: string[], g: Globals) => Promise<number>;

/** One top-level command. */
export interface CommandEntry {
  summary: string;
  group: "memory" | "server" | "portable" | "admin";
  /** The cli/ module that implements it (without `.ts`). */
  module: keyof CommandModules;
  load: () => Promise<CommandMain>;
}

/** The command modules by file name. */
export interface CommandModules {
  adapter: typeof Adapter;
  backup: typeof Backup;
  bundle: typeof Bundle;
  config: typeof Config;
  connector: typeof Connector;
  conformance: typeof Conformance;
  dev: typeof Dev;
  doctor: typeof Doctor;
  drain: typeof Drain;
  encryption: typeof Encryption;
  graph: typeof Graph;
  history: typeof History;
  hud: typeof Hud;
  hook: typeof Hook;
  insights: typeof Insights;
  install: typeof Install;
  keys: typeof Keys;
  lane: typeof Lane;
  lifecycle: typeof Lifecycle;
  mcp_server: typeof McpServer;
  memory_read: typeof MemoryRead;
  memory_write: typeof MemoryWrite;
  migrate: typeof Migrate;
  passport: typeof Passport;
  recall: typeof Recall;
  reader: typeof Reader;
  recent: typeof Recent;
  relief: typeof Relief;
  remember: typeof Remember;
  review: typeof Review;
  scheduler: typeof Scheduler;
  serve: typeof Serve;
  setup: typeof Setup;
  store: typeof Store;
  trust: typeof Trust;
  worker: typeof Worker;
}

/** Modules handed over already loaded (the single-file bundle's entry, `bundle_entry.ts`). */
const preloaded: Partial<CommandModules> = {};

/**
 * Registers command modules imported statically: a `deno bundle` holds only what literal
 * imports name, so `bundle_entry.ts` imports every command module and hands them over here.
 *
 * @example
 * ```ts
 * preloadCommandModules({ serve: await import("./serve.ts") });
 * ```
 */
export function preloadCommandModules(modules: Partial<CommandModules>): void {
  Object.assign(preloaded, modules);
}

/** `module` and a loader that imports `cli/<module>.ts` on first use and picks the entry point. */
function from<K extends keyof CommandModules>(
  module: K,
  pick: (m: CommandModules[K]) => CommandMain,
): Pick<CommandEntry, "module" | "load"> {
  return {
    module,
    load: async () => {
      const ready = preloaded[module] as CommandModules[K] | undefined;
      if (ready) return pick(ready);
      const specifier = `./${module}.ts`;
      return pick(await import(specifier) as CommandModules[K]);
    },
  };
}

export const COMMANDS: Record<string, CommandEntry> = {
  serve: {
    summary: "run the memory server on 127.0.0.1:8000",
    group: "server",
    ...from("serve", (m) => m.main),
  },
  dev: {
    summary: "dev server: builtin embedder, no TLS, no key needed (loopback only)",
    group: "server",
    ...from("dev", (m) => m.main),
  },
  "mcp-server": {
    summary: "serve the memory tools to an MCP client over stdio",
    group: "server",
    ...from("mcp_server", (m) => m.main),
  },
  remember: {
    summary: "queue a fact for the next drain (fast, no network)",
    group: "memory",
    ...from("remember", (m) => m.commands.remember),
  },
  drain: {
    summary: "apply remembered facts with reconciliation",
    group: "memory",
    ...from("drain", (m) => m.commands.drain),
  },
  worker: {
    summary: "install, remove or check the periodic drain (systemd, launchd, schtasks)",
    group: "memory",
    ...from("worker", (m) => m.main),
  },
  scheduler: {
    summary: "start/stop writes and the drain (stopped: recall only); drain, serve, queue",
    group: "memory",
    ...from("scheduler", (m) => m.main),
  },
  review: {
    summary: "review queue: confirm, reject or supersede",
    group: "memory",
    ...from("review", (m) => m.commands.review),
  },
  decay: {
    summary: "lifecycle: idle, unproven memories turn stale; idle stale ones are archived",
    group: "memory",
    ...from("lifecycle", (m) => m.commands.decay),
  },
  gc: {
    summary: "archive idle stale and contested memories (never deletes)",
    group: "memory",
    ...from("lifecycle", (m) => m.commands.gc),
  },
  store: {
    summary: "store one memory",
    group: "memory",
    ...from("store", (m) => m.commands.store),
  },
  import: {
    summary: "bulk-import JSONL or an export file",
    group: "memory",
    ...from("memory_write", (m) => m.commands.import),
  },
  recall: {
    summary: "hybrid search for memories that answer a query",
    group: "memory",
    ...from("recall", (m) => m.commands.recall),
  },
  update: {
    summary: "change a memory",
    group: "memory",
    ...from("memory_write", (m) => m.commands.update),
  },
  replace: {
    summary: "replace a memory's text by a new memory (the old one archived as superseded)",
    group: "memory",
    ...from("insights", (m) => m.commands.replace),
  },
  inspect: {
    summary: "show one memory in full",
    group: "memory",
    ...from("memory_read", (m) => m.commands.inspect),
  },
  list: {
    summary: "browse a namespace",
    group: "memory",
    ...from("memory_read", (m) => m.commands.list),
  },
  forget: {
    summary: "delete memories by id or filter",
    group: "memory",
    ...from("memory_write", (m) => m.commands.forget),
  },
  graph: {
    summary: "memory graph: show, link, unlink, rebuild",
    group: "memory",
    ...from("graph", (m) => m.main),
  },
  insights: {
    summary: "protect a memory from decay; list decay's first candidates",
    group: "memory",
    ...from("insights", (m) => m.commands.insights),
  },
  hud: {
    summary: "one namespace at a glance: lifecycle, recent activity, review queue",
    group: "memory",
    ...from("hud", (m) => m.main),
  },
  recent: {
    summary: "recent activity of a namespace: feedback, reviews, consolidations, forgets",
    group: "memory",
    ...from("recent", (m) => m.main),
  },
  connector: {
    summary: "ambient connector signals (tickets, editor, …) into the review queue",
    group: "memory",
    ...from("connector", (m) => m.main),
  },
  export: {
    summary: "dump a namespace as JSON",
    group: "memory",
    ...from("memory_read", (m) => m.commands.export),
  },
  passport: {
    summary: "export/import memoryOSS passports (dry-run create/merge/conflict)",
    group: "portable",
    ...from("passport", (m) => m.main),
  },
  history: {
    summary: "a memory's lineage: show, export, replay, branch",
    group: "portable",
    ...from("history", (m) => m.main),
  },
  bundle: {
    summary: "signed bundle envelopes: export, preview, validate (trust), diff",
    group: "portable",
    ...from("bundle", (m) => m.main),
  },
  reader: {
    summary: "offline viewer for memoryOSS artifacts (text, json, html)",
    group: "portable",
    ...from("reader", (m) => m.main),
  },
  trust: {
    summary: "trust catalog: list, add, pin, revoke, replace, remove; this home's identity",
    group: "portable",
    ...from("trust", (m) => m.main),
  },
  conformance: {
    summary: "memoryOSS conformance kit: normalize, verify",
    group: "portable",
    ...from("conformance", (m) => m.main),
  },
  adapter: {
    summary: "import/export Claude project, Cursor rules, git history, Claude memory",
    group: "portable",
    ...from("adapter", (m) => m.main),
  },
  migrate: {
    summary: "list or apply pending database schema migrations",
    group: "admin",
    ...from("migrate", (m) => m.main),
  },
  backup: {
    summary: "write the home to one verified .tar.gz",
    group: "admin",
    ...from("backup", (m) => m.main),
  },
  encryption: {
    summary: "encryption at rest: status, key rotation, encrypt/decrypt existing rows",
    group: "admin",
    ...from("encryption", (m) => m.main),
  },
  restore: {
    summary: "restore a backup (verified before anything is written)",
    group: "admin",
    ...from("backup", (m) => m.restoreMain),
  },
  status: {
    summary: "namespaces, counts, embedder, index health",
    group: "admin",
    ...from("memory_read", (m) => m.commands.status),
  },
  embed: {
    summary: "re-embed after an embedder change, swap the embedder online, show it (embed status)",
    group: "admin",
    ...from("memory_write", (m) => m.commands.embed),
  },
  install: {
    summary: "memman's install: connect Claude Code or OpenClaw, keep model keys in <home>/env",
    group: "admin",
    ...from("install", (m) => m.main),
  },
  setup: {
    summary: "connect Claude Code, Codex, Cursor or OpenClaw (MCP server, hooks, rules)",
    group: "admin",
    ...from("setup", (m) => m.main),
  },
  uninstall: {
    summary: "remove what setup wrote to client configs",
    group: "admin",
    ...from("setup", (m) => m.uninstall),
  },
  doctor: {
    summary: "check config, database, indexes, keys and client integration",
    group: "admin",
    ...from("doctor", (m) => m.main),
  },
  hook: {
    summary: "answer a Claude Code hook event (used by setup's hooks)",
    group: "admin",
    ...from("hook", (m) => m.main),
  },
  keys: {
    summary: "manage HTTP API keys",
    group: "admin",
    ...from("keys", (m) => m.main),
  },
  lane: {
    summary: "tend Claude Code's file memory: audit, fix, undo, tick loop, janitor, plugins",
    group: "admin",
    ...from("lane", (m) => m.main),
  },
  relief: {
    summary: "RAM relief: snapshot and tiered cleanup (Memoria-style)",
    group: "admin",
    ...from("relief", (m) => m.main),
  },
  config: {
    summary: "show the effective configuration",
    group: "admin",
    ...from("config", (m) => m.main),
  },
};

/** Top-level help. */
export function globalHelp(version: string): string {
  const lines = [
    `memoryoss ${version} — persistent local memory for AI agents`,
    "",
    "Usage: memoryoss [-c FILE] COMMAND [options]",
    "",
  ];
  const groups: [CommandEntry["group"], string][] = [
    ["server", "Server"],
    ["memory", "Memory"],
    ["portable", "Portability"],
    ["admin", "Admin"],
  ];
  for (const [g, title] of groups) {
    lines.push(`${title}:`);
    for (const [name, c] of Object.entries(COMMANDS)) {
      if (c.group === g) lines.push(`  ${name.padEnd(12)}${c.summary}`);
    }
    lines.push("");
  }
  lines.push(
    "Global options:",
    "  -c, --config FILE  config file (default $MEMORYOSS_HOME/memoryoss.toml, home ~/.memoryoss)",
    "  -h, --help         help (also after any command)",
    "  -V, --version      print the version",
    "",
    "Run 'memoryoss COMMAND --help' for a command's options.",
  );
  return lines.join("\n");
}
