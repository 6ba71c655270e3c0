/**
 * The one permission table: which Deno permission categories each subcommand holds.
 * `main.ts` revokes every other category before it imports the subcommand, and a test checks
 * that the deno.json permission sets and the compile flags agree with this table.
 */

export type PermissionName = "read" | "write" | "net" | "env" | "sys" | "ffi" | "run";

export const ALL_PERMISSIONS: readonly PermissionName[] = [
  "read",
  "write",
  "net",
  "env",
  "sys",
  "ffi",
  "run",
];

/**
 * Memory commands hold `net` only because an OpenAI-compatible embedder may be configured;
 * the default builtin embedder never uses it. The servers (`serve`, `mcp-server`) hold neither
 * `ffi` nor `run`; `lane` holds `run` for git, the agent command and the janitor's signals.
 *
 * Deno 2.9 refuses every `/proc`, `/sys` and `/dev` path (bar /dev/null and friends) to a
 * process that was not started with `--allow-all` ("Requires all access"), whatever `read` it
 * holds, and narrowing drops `--allow-all`. Commands that read `/proc` (`relief`, `lane`) hold
 * `ffi` and read it through libc instead (ffi/linux).
 */
const MEMORY: PermissionName[] = ["read", "write", "env", "net"];

export const PERMISSIONS: Record<string, readonly PermissionName[]> = {
  serve: ["read", "write", "env", "net", "sys"],
  /** memoryOSS's dev mode: `serve` on loopback with relaxed auth. */
  dev: ["read", "write", "env", "net", "sys"],
  store: MEMORY,
  import: MEMORY,
  recall: MEMORY,
  update: MEMORY,
  inspect: MEMORY,
  list: MEMORY,
  forget: MEMORY,
  graph: MEMORY,
  export: MEMORY,
  status: MEMORY,
  embed: MEMORY,
  config: ["read", "write", "env"],
  passport: MEMORY,
  history: MEMORY,
  /** Export opens the home but never the embedder. */
  bundle: ["read", "write", "env"],
  /** write only for -o, env only to find <home>/trust.json; works with read alone. */
  reader: ["read", "write", "env"],
  /** Edits <home>/trust.json; never the embedder or the network. */
  trust: ["read", "write", "env"],
  conformance: ["read", "write"],
  /** run: git, for git_history. */
  adapter: ["read", "write", "env", "net", "run"],
  backup: ["read", "write", "env"],
  /** net: `--to postgres://…` (the schema steps of a SQLite home never use it). */
  migrate: ["read", "write", "env", "net"],
  encryption: MEMORY,
  restore: ["read", "write", "env"],
  /** The hot path: one INSERT, no embedder, no network. */
  remember: ["read", "write", "env"],
  drain: MEMORY,
  /** run: systemctl, launchctl or schtasks to load the drain timer; never net. */
  worker: ["read", "write", "env", "run"],
  decay: MEMORY,
  gc: MEMORY,
  review: MEMORY,
  /**
   * Switches <home>/scheduler.state; `trigger`/`drain --pending`/`serve` drain (net only for
   * an openai embedder or a model); run: systemctl, launchctl or schtasks for `interval` and
   * for `stop`/`start` (disable/enable the installed drain trigger).
   */
  scheduler: ["read", "write", "env", "net", "run"],
  replace: MEMORY,
  insights: MEMORY,
  hud: MEMORY,
  recent: MEMORY,
  /** ingest embeds the candidate (net only for an openai embedder). */
  connector: MEMORY,
  /** A server: never ffi or run; net only for an openai embedder. */
  "mcp-server": ["read", "write", "env", "net"],
  setup: ["read", "write", "env"],
  /** setup plus <home>/env; never the network. */
  install: ["read", "write", "env"],
  uninstall: ["read", "write", "env"],
  doctor: ["read", "write", "env", "net"],
  /** Minimal: reads the store, writes a flag file; recall falls back to bm25 without net. */
  hook: ["read", "write", "env"],
  keys: ["read", "write", "env"],
  /** Reads /proc through libc (Deno refuses /proc paths to narrowed processes); never net. */
  relief: ["read", "write", "env", "sys", "ffi"],
  /**
   * net: the metrics listener and control socket (Deno gates Unix sockets on net); ffi: /proc
   * through libc for the janitor and the open-file guard.
   */
  lane: ["read", "write", "env", "net", "ffi", "run"],
  help: [],
};

/** Drop every category `command` does not hold. Returns what was revoked. */
export function narrowPermissions(command: string): PermissionName[] {
  const keep = new Set(PERMISSIONS[command] ?? []);
  const revoked: PermissionName[] = [];
  for (const name of ALL_PERMISSIONS) {
    if (keep.has(name)) continue;
    if (Deno.permissions.querySync({ name }).state === "granted") {
      Deno.permissions.revokeSync({ name });
      revoked.push(name);
    }
  }
  return revoked;
}
