/**
 * cmmd's `tmux-janitor cleanup`: kill the tmux sessions named `term-*` that no client is
 * attached to (shells a `.bashrc` auto-created and nobody closed), on the default tmux server
 * (`TMUX_TMPDIR` picks its folder, as for tmux itself). JSON as cmmd's: `{scanned, killed}`.
 * No tmux or no server: nothing scanned.
 */

/** One session as `tmux list-sessions` reports it. */
export interface TmuxSession {
  name: string;
  attached: boolean;
  windows: number;
}

/** `tmux-janitor cleanup --json` (plus `dry_run`, memoryoss's preview). */
export interface TmuxCleanup {
  scanned: number;
  killed: string[];
  dry_run: boolean;
}

async function tmux(bin: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const o = await new Deno.Command(bin, { args, stdout: "piped", stderr: "null", stdin: "null" })
      .output();
    return { ok: o.success, out: new TextDecoder().decode(o.stdout) };
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    return { ok: false, out: "" }; // tmux is not installed
  }
}

/** Parse `#{session_name} #{session_attached} #{session_windows}` lines. */
export function parseSessions(text: string): TmuxSession[] {
  return text.split("\n").flatMap((line) => {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 3) return [];
    return [{ name: parts[0], attached: parts[1] !== "0", windows: Number(parts[2]) || 0 }];
  });
}

/**
 * Kill unattached `term-*` sessions (with `dryRun`, only name them).
 *
 * @example
 * ```ts
 * await tmuxCleanup(); // { scanned: 3, killed: ["term-1"], dry_run: false }
 * ```
 */
export async function tmuxCleanup(opts: { dryRun?: boolean; bin?: string } = {}): Promise<
  TmuxCleanup
> {
  const bin = opts.bin ?? "tmux";
  const listed = await tmux(bin, [
    "list-sessions",
    "-F",
    "#{session_name} #{session_attached} #{session_windows}",
  ]);
  const sessions = listed.ok ? parseSessions(listed.out) : [];
  const killed: string[] = [];
  for (const s of sessions) {
    if (s.attached || !s.name.startsWith("term-")) continue;
    if (opts.dryRun || (await tmux(bin, ["kill-session", "-t", `=${s.name}`])).ok) {
      killed.push(s.name);
    }
  }
  return { scanned: sessions.length, killed, dry_run: opts.dryRun === true };
}

/** cmmd's text. */
export function formatTmuxCleanup(r: TmuxCleanup): string {
  const verb = r.dry_run ? "would kill" : "killed";
  return [
    `${r.dry_run ? "[dry-run] " : ""}scanned=${r.scanned} killed=${r.killed.length}`,
    ...r.killed.map((n) => `  ${verb} session ${n}`),
  ].join("\n");
}
