/**
 * Claude accounts as cmmd sees them each tick (spec §4.1): authmux's state (`authmux current`,
 * `list`, `status`) when the binary runs, and the account folders under `CLAUDE_ACCOUNTS_DIR`
 * (`<dir>/<name>/.credentials.json`). Tokens are never read into the result: only names,
 * emails, the subscription type and the expiry.
 */
import { join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
import { deniedError, unlessDenied } from "./denied.ts";

/** One `authmux list` row (cmmd's `accounts[]` entry). */
export interface AuthmuxAccount {
  email: string;
  kind: string | null;
  five_h_pct: number | null;
  weekly_pct: number | null;
  active: boolean;
}

/** cmmd's `authmux` block of DaemonStatus. */
export interface AuthmuxState {
  binary: string;
  /** The binary ran (it is on PATH and `list` exited 0). */
  available: boolean;
  current: string | null;
  accounts: AuthmuxAccount[];
  auto_switch: boolean | null;
  service_state: string | null;
  /** Why it is not available, when it is not. */
  error: string | null;
}

/** One folder under CLAUDE_ACCOUNTS_DIR. */
export interface AccountDir {
  name: string;
  path: string;
  /** `oauthAccount.emailAddress` of the folder's `.claude.json`, when there is one. */
  email: string | null;
  subscription_type: string | null;
  expires_at_unix: number | null;
  /** null when the expiry is unknown. */
  expired: boolean | null;
  /** `.credentials.json` exists and is JSON. */
  has_credentials: boolean;
}

/** Everything `lane accounts` shows and each tick records. */
export interface AccountsSnapshot {
  authmux: AuthmuxState;
  claude_account_dirs: AccountDir[];
}

const pct = (s: string): number | null => {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(s.trim());
  return m ? Number(m[1]) : null;
};

/**
 * Rows of `authmux list`: `[*]email type=K 5h=N% weekly=N%` (cmmd's form) or authmux's own
 * `* name  type=Plan (Tier)  5h=N%  weekly=N%`; `-` is an unknown percentage. Other lines
 * (headers, the Claude section) are skipped.
 *
 * @example
 * ```ts
 * parseAuthmuxList("[*]a@x.io type=max 5h=40% weekly=12%")[0].five_h_pct; // 40
 * ```
 */
export function parseAuthmuxList(text: string): AuthmuxAccount[] {
  const out: AuthmuxAccount[] = [];
  const row = /^\s*(\[\*\]|\[ ?\]|\*)?\s*(\S+)\s+type=(.*?)\s+5h=(\S+)\s+weekly=(\S+)\s*$/;
  for (const line of text.split(/\r?\n/)) {
    const m = row.exec(line);
    if (!m) continue;
    out.push({
      email: m[2],
      kind: m[3].trim() || null,
      five_h_pct: pct(m[4]),
      weekly_pct: pct(m[5]),
      active: m[1] === "*" || m[1] === "[*]",
    });
  }
  return out;
}

/**
 * The current account from `authmux current`: its one word, or (for a sentence such as "No
 * active account") the row `list` marked active, else null.
 *
 * @example
 * ```ts
 * parseAuthmuxCurrent("a@x.io\n", []); // "a@x.io"
 * ```
 */
export function parseAuthmuxCurrent(text: string, accounts: AuthmuxAccount[]): string | null {
  const first = text.split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? "";
  if (first && !/\s/.test(first)) return first;
  return accounts.find((a) => a.active)?.email ?? null;
}

/**
 * Auto-switch and service state from `authmux status` (`Key: value` or `key=value` lines).
 *
 * @example
 * ```ts
 * parseAuthmuxStatus("Auto-switch: enabled\nService: active\n");
 * // { auto_switch: true, service_state: "active" }
 * ```
 */
export function parseAuthmuxStatus(
  text: string,
): { auto_switch: boolean | null; service_state: string | null } {
  let auto_switch: boolean | null = null;
  let service_state: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z][\w -]*?)\s*[:=]\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const value = m[2];
    if (/auto[- _]?switch/.test(key) && auto_switch === null) {
      const v = value.toLowerCase();
      if (/^(enabled|on|true|yes|active)\b/.test(v)) auto_switch = true;
      else if (/^(disabled|off|false|no|inactive)\b/.test(v)) auto_switch = false;
    } else if (/service/.test(key) && service_state === null) service_state = value;
  }
  return { auto_switch, service_state };
}

/** Runs a program; throws Deno.errors.NotFound when it does not exist. */
export type AccountRunner = (argv: string[]) => Promise<{ code: number; stdout: string }>;

/** The real runner: no stdin, 10 s at most. */
export const runProgram: AccountRunner = async (argv) => {
  try {
    const out = await new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(10_000),
    }).output();
    return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw deniedError(e, `run ${argv[0]}`);
    throw e;
  }
};

/**
 * authmux's state; `available: false` (with the reason) when the binary is missing or fails.
 *
 * @example
 * ```ts
 * (await authmuxState("authmux")).accounts.map((a) => a.email);
 * ```
 */
export async function authmuxState(bin: string, run = runProgram): Promise<AuthmuxState> {
  const state: AuthmuxState = {
    binary: bin,
    available: false,
    current: null,
    accounts: [],
    auto_switch: null,
    service_state: null,
    error: null,
  };
  const call = async (sub: string) => {
    try {
      return await run([bin, sub]);
    } catch (e) {
      if (e instanceof MemoryossError) throw e;
      return {
        code: -1,
        stdout: "",
        error: e instanceof Deno.errors.NotFound ? "not on PATH" : String(e),
      };
    }
  };
  const list = await call("list");
  if (list.code !== 0) {
    state.error = "error" in list ? `${bin}: ${list.error}` : `${bin} list exited ${list.code}`;
    return state;
  }
  state.available = true;
  state.accounts = parseAuthmuxList(list.stdout);
  const current = await call("current");
  state.current = current.code === 0
    ? parseAuthmuxCurrent(current.stdout, state.accounts)
    : state.accounts.find((a) => a.active)?.email ?? null;
  const status = await call("status");
  if (status.code === 0) Object.assign(state, parseAuthmuxStatus(status.stdout));
  return state;
}

/**
 * Switch the active account (`authmux use <query>`); NOT_FOUND when authmux is missing,
 * UNAVAILABLE when it refuses.
 *
 * @example
 * ```ts
 * await switchAccount("authmux", "work@example.com");
 * ```
 */
export async function switchAccount(bin: string, query: string, run = runProgram): Promise<void> {
  if (!query.trim() || query.startsWith("-")) {
    throw new MemoryossError("INVALID_INPUT", `--switch needs an account (email or name)`);
  }
  let r: { code: number; stdout: string };
  try {
    r = await run([bin, "use", query]);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new MemoryossError("NOT_FOUND", `${bin} is not on PATH; cannot switch accounts`);
    }
    throw e;
  }
  if (r.code !== 0) {
    const said = r.stdout.trim().split("\n")[0];
    throw new MemoryossError(
      "UNAVAILABLE",
      `${bin} use ${query} exited ${r.code}${said ? `: ${said}` : ""}`,
    );
  }
}

async function readJson(path: string): Promise<Record<string, unknown> | null> {
  const text = await Deno.readTextFile(path).catch(unlessDenied(null, `read ${path}`));
  if (text === null) return null;
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" ? v : null;
  } catch {
    return null;
  }
}

/**
 * The account folders under `dir`, sorted by name. A missing `dir` is an empty list.
 *
 * @example
 * ```ts
 * (await scanAccountDirs("/home/me/.claude-accounts", Date.now())).map((a) => a.email);
 * ```
 */
export async function scanAccountDirs(dir: string, nowMs: number): Promise<AccountDir[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) if (e.isDirectory) names.push(e.name);
  } catch (e) {
    unlessDenied(null, `read ${dir}`)(e);
    return [];
  }
  const out: AccountDir[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    const cred = await readJson(join(path, ".credentials.json"));
    const oauth = (cred?.claudeAiOauth ?? {}) as Record<string, unknown>;
    const profile = (await readJson(join(path, ".claude.json")))?.oauthAccount as
      | Record<string, unknown>
      | undefined;
    const expiresMs = typeof oauth.expiresAt === "number" ? oauth.expiresAt : null;
    out.push({
      name,
      path,
      email: typeof profile?.emailAddress === "string" ? profile.emailAddress : null,
      subscription_type: typeof oauth.subscriptionType === "string" ? oauth.subscriptionType : null,
      expires_at_unix: expiresMs === null ? null : Math.floor(expiresMs / 1000),
      expired: expiresMs === null ? null : expiresMs <= nowMs,
      has_credentials: cred !== null,
    });
  }
  return out;
}

/**
 * Both halves at once.
 *
 * @example
 * ```ts
 * await accountsSnapshot({ authmuxBin: "authmux", accountsDir: "/home/me/.claude-accounts" });
 * ```
 */
export async function accountsSnapshot(o: {
  authmuxBin: string;
  accountsDir: string;
  nowMs?: number;
  run?: AccountRunner;
}): Promise<AccountsSnapshot> {
  return {
    authmux: await authmuxState(o.authmuxBin, o.run),
    claude_account_dirs: await scanAccountDirs(o.accountsDir, o.nowMs ?? Date.now()),
  };
}

/**
 * Text for `lane accounts`.
 *
 * @example
 * ```ts
 * formatAccounts(snapshot).split("\n")[0]; // "authmux: not available (authmux: not on PATH)"
 * ```
 */
export function formatAccounts(s: AccountsSnapshot): string {
  const a = s.authmux;
  const lines = [
    a.available
      ? `authmux: current ${a.current ?? "none"}, auto-switch ${
        a.auto_switch === null ? "unknown" : a.auto_switch ? "on" : "off"
      }, service ${a.service_state ?? "unknown"}`
      : `authmux: not available (${a.error})`,
  ];
  const p = (n: number | null) => (n === null ? "-" : `${n}%`);
  for (const x of a.accounts) {
    lines.push(
      `  ${x.active ? "*" : " "} ${x.email} type=${x.kind ?? "-"} 5h=${p(x.five_h_pct)} weekly=${
        p(x.weekly_pct)
      }`,
    );
  }
  lines.push(`account folders: ${s.claude_account_dirs.length}`);
  for (const d of s.claude_account_dirs) {
    const exp = d.expires_at_unix === null
      ? "no expiry"
      : `${d.expired ? "expired" : "expires"} ${new Date(d.expires_at_unix * 1000).toISOString()}`;
    const cred = d.has_credentials ? exp : "no credentials";
    lines.push(`  ${d.name} ${d.email ?? "-"} ${d.subscription_type ?? "-"} ${cred}`);
  }
  return lines.join("\n");
}
