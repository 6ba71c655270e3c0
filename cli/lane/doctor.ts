/** `lane doctor|accounts`: the settings, accounts and memory at a glance; switching accounts. */
import * as lane from "../../lib/lane/mod.ts";
import { strValue } from "../_args.ts";
import { JSON_, out, ROOT, settings, SOCKET, STATE, str, type Sub } from "./_shared.ts";

export const doctor: Sub = {
  summary: "settings (with their source), accounts, memory roots and checks — no LLM call",
  usage: "doctor [--memory-root DIR]... [--json]",
  cmmd: "cmmd doctor",
  options: {
    ...ROOT,
    "memory-root": { ...ROOT["memory-root"], multiple: true },
    ...SOCKET,
    ...STATE,
    ...JSON_,
  },
  notes: [
    "Each setting shows where it came from: flag, env, .env (the working directory's),",
    "config (<state-dir>/lane.toml) or default. The agent binary is looked up, never run.",
    "Exit 0 when every check passes, 1 when one fails.",
  ],
  examples: ["memoryoss lane doctor", "memoryoss lane doctor --json | jq .settings.DRY_RUN"],
  async run(p) {
    const s = await settings(p);
    const sock = s.values.STATUS_SOCK;
    const r = await lane.doctorReport(s, {
      path: Deno.env.get("PATH") ?? "",
      ping: async () => (await lane.sendControl(sock, "ping", 2000)) === "pong\n",
    });
    out(p, r, () => lane.formatDoctor(r));
    return r.checks.every((c) => c.ok) ? 0 : 1;
  },
};

export const accounts: Sub = {
  summary: "Claude accounts: authmux's state and ~/.claude-accounts/*; --switch EMAIL",
  usage: "accounts [--switch EMAIL] [--json]",
  cmmd: "mmctl accounts [--switch q]",
  options: {
    switch: str("make this account current (runs '$AUTHMUX_BIN use EMAIL')", "EMAIL"),
    ...STATE,
    ...JSON_,
  },
  notes: [
    "authmux ($AUTHMUX_BIN) is asked with 'list', 'current' and 'status' when it is on PATH;",
    "the folders under $CLAUDE_ACCOUNTS_DIR (default ~/.claude-accounts) are read for their",
    ".credentials.json expiry and .claude.json email. Tokens are never printed.",
  ],
  examples: ["memoryoss lane accounts", "memoryoss lane accounts --switch work@example.com"],
  async run(p) {
    const v = (await settings(p)).values;
    const target = strValue(p.values.switch);
    if (target !== undefined) await lane.switchAccount(v.AUTHMUX_BIN, target);
    const snap = await lane.accountsSnapshot({
      authmuxBin: v.AUTHMUX_BIN,
      accountsDir: v.CLAUDE_ACCOUNTS_DIR,
    });
    out(p, snap, () => lane.formatAccounts(snap));
    return 0;
  },
};
