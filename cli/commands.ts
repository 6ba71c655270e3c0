/**
 * The command table: names, one-line summaries and lazy loaders. Kept free of heavy imports so
 * `--help` and permission narrowing happen before any subcommand module loads.
 */
import type { Globals } from "./_io.ts";

/** A command entry point. */
export type CommandMain = (args: string[], g: Globals) => Promise<number>;

/** One top-level command. */
export interface CommandEntry {
  summary: string;
  group: "memory" | "server" | "portable" | "admin";
  load: () => Promise<CommandMain>;
}

const write = (name: string) => async () => (await import("./memory_write.ts")).commands[name];
const read = (name: string) => async () => (await import("./memory_read.ts")).commands[name];
const remember = (name: string) => async () => (await import("./remember.ts")).commands[name];

export const COMMANDS: Record<string, CommandEntry> = {
  serve: {
    summary: "run the memory server on 127.0.0.1:8000",
    group: "server",
    load: async () => (await import("./serve.ts")).main,
  },
  "mcp-server": {
    summary: "serve the memory tools to an MCP client over stdio",
    group: "server",
    load: async () => (await import("./mcp_server.ts")).main,
  },
  remember: {
    summary: "queue a fact for the next drain (fast, no network)",
    group: "memory",
    load: remember("remember"),
  },
  drain: {
    summary: "apply remembered facts with reconciliation",
    group: "memory",
    load: remember("drain"),
  },
  worker: {
    summary: "install, remove or check the periodic drain (systemd, launchd, schtasks)",
    group: "memory",
    load: async () => (await import("./worker.ts")).main,
  },
  review: {
    summary: "review queue: confirm, reject or supersede",
    group: "memory",
    load: async () => (await import("./review.ts")).commands.review,
  },
  decay: {
    summary: "lifecycle: idle, unproven memories turn stale; idle stale ones are archived",
    group: "memory",
    load: async () => (await import("./lifecycle.ts")).commands.decay,
  },
  gc: {
    summary: "archive idle stale and contested memories (never deletes)",
    group: "memory",
    load: async () => (await import("./lifecycle.ts")).commands.gc,
  },
  store: { summary: "store one memory", group: "memory", load: write("store") },
  import: {
    summary: "bulk-import JSONL or an export file",
    group: "memory",
    load: write("import"),
  },
  recall: {
    summary: "hybrid search for memories that answer a query",
    group: "memory",
    load: read("recall"),
  },
  update: { summary: "change a memory", group: "memory", load: write("update") },
  inspect: { summary: "show one memory in full", group: "memory", load: read("inspect") },
  list: { summary: "browse a namespace", group: "memory", load: read("list") },
  forget: { summary: "delete memories by id or filter", group: "memory", load: write("forget") },
  graph: {
    summary: "memory graph: show, link, unlink, rebuild",
    group: "memory",
    load: async () => (await import("./graph.ts")).main,
  },
  export: { summary: "dump a namespace as JSON", group: "memory", load: read("export") },
  passport: {
    summary: "export/import memoryOSS passports (dry-run create/merge/conflict)",
    group: "portable",
    load: async () => (await import("./passport.ts")).main,
  },
  history: {
    summary: "a memory's lineage: show, export, replay, branch",
    group: "portable",
    load: async () => (await import("./history.ts")).main,
  },
  bundle: {
    summary: "signed bundle envelopes: export, preview, validate (trust), diff",
    group: "portable",
    load: async () => (await import("./bundle.ts")).main,
  },
  reader: {
    summary: "offline viewer for memoryOSS artifacts (text, json, html)",
    group: "portable",
    load: async () => (await import("./reader.ts")).main,
  },
  trust: {
    summary: "trust catalog: list, add, pin, revoke, replace, remove; this home's identity",
    group: "portable",
    load: async () => (await import("./trust.ts")).main,
  },
  conformance: {
    summary: "memoryOSS conformance kit: normalize, verify",
    group: "portable",
    load: async () => (await import("./conformance.ts")).main,
  },
  adapter: {
    summary: "import/export Claude project, Cursor rules, git history, Claude memory",
    group: "portable",
    load: async () => (await import("./adapter.ts")).main,
  },
  migrate: {
    summary: "list or apply pending database schema migrations",
    group: "admin",
    load: async () => (await import("./migrate.ts")).main,
  },
  backup: {
    summary: "write the home to one verified .tar.gz",
    group: "admin",
    load: async () => (await import("./backup.ts")).main,
  },
  encryption: {
    summary: "encryption at rest: status, key rotation, encrypt/decrypt existing rows",
    group: "admin",
    load: async () => (await import("./encryption.ts")).main,
  },
  restore: {
    summary: "restore a backup (verified before anything is written)",
    group: "admin",
    load: async () => (await import("./backup.ts")).restoreMain,
  },
  status: {
    summary: "namespaces, counts, embedder, index health",
    group: "admin",
    load: read("status"),
  },
  embed: { summary: "re-embed after an embedder change", group: "admin", load: write("embed") },
  setup: {
    summary: "connect Claude Code, Codex or Cursor (MCP server, hooks, rules)",
    group: "admin",
    load: async () => (await import("./setup.ts")).main,
  },
  uninstall: {
    summary: "remove what setup wrote to client configs",
    group: "admin",
    load: async () => (await import("./setup.ts")).uninstall,
  },
  doctor: {
    summary: "check config, database, indexes, keys and client integration",
    group: "admin",
    load: async () => (await import("./doctor.ts")).main,
  },
  hook: {
    summary: "answer a Claude Code hook event (used by setup's hooks)",
    group: "admin",
    load: async () => (await import("./hook.ts")).main,
  },
  keys: {
    summary: "manage HTTP API keys",
    group: "admin",
    load: async () => (await import("./keys.ts")).main,
  },
  lane: {
    summary: "tend Claude Code's file memory: audit, fix, undo, tick loop, janitor, plugins",
    group: "admin",
    load: async () => (await import("./lane.ts")).main,
  },
  relief: {
    summary: "RAM relief: snapshot and tiered cleanup (Memoria-style)",
    group: "admin",
    load: async () => (await import("./relief.ts")).main,
  },
  config: {
    summary: "show the effective configuration",
    group: "admin",
    load: async () => (await import("./config.ts")).main,
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
