// Relief (Memoria's tray, read-only): the state `relief` keeps (foreground exclusion toggle,
// whitelist, last run, auto pacing) and its run history with a chart of MB freed per run.
// Data comes from GET /v1/dashboard/relief (admin keys); every string goes in as text.
import { get } from "./api.js";
import { bars, figure } from "./charts.js";
import { dl, fmtTime, h } from "./dom.js";
import { can } from "./state.js";

const gb = (x) => (typeof x === "number" ? `${x.toFixed(2)} GB` : "—");

function stateBox(v) {
  const s = v.state;
  const last = s.last_run;
  return h(
    "section",
    { class: "relief-state" },
    h("h3", null, "State"),
    v.has_state ? null : h("p", { class: "note" }, "relief has not run on this home yet."),
    dl([
      ["Exclude foreground", s.exclude_foreground_enabled ? "on" : "off"],
      ["Whitelist", s.whitelist.length ? s.whitelist.join(", ") : "none"],
      [
        "Last run",
        last
          ? `${fmtTime(last.when)} · ${last.trigger ?? "manual"} · tier ${last.tier ?? "—"} · ` +
            `${last.exit_status} (exit ${last.exit_code}) · ${last.freed_mb} MB freed`
          : "never",
      ],
      ["Auto: last clean", fmtTime(s.auto?.last_clean_at)],
      ["Auto: low-yield streak", String(s.auto?.low_yield_streak ?? 0)],
    ]),
  );
}

function historyRow(e) {
  const avail = e.after
    ? `${gb(e.before?.available_gb)} → ${gb(e.after.available_gb)}`
    : gb(e.before?.available_gb);
  return h(
    "tr",
    { class: "relief-run" },
    h("td", null, fmtTime(e.when)),
    h("td", null, e.trigger ?? "manual"),
    h("td", null, e.tier_effective ?? "—"),
    h("td", null, `${e.exit_status}${e.dry_run ? " (dry run)" : ""}`),
    h("td", { class: "num" }, String(e.freed_mb)),
    h("td", null, avail),
    h("td", { class: "num" }, String(e.trimmed ?? 0)),
  );
}

function historyBox(history) {
  if (history.length === 0) {
    return h("section", null, h("h3", null, "History"), h("p", { class: "note" }, "No runs yet."));
  }
  const newest = [...history].reverse();
  return h(
    "section",
    { class: "relief-history" },
    h("h3", null, `History (${history.length} runs)`),
    figure(
      "MB freed per run, oldest first",
      bars(
        history.map((e) => ({ label: fmtTime(e.when), value: Math.max(0, e.freed_mb) })),
        { label: "MB freed per run" },
      ),
    ),
    h(
      "table",
      { class: "table" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ["When", "Trigger", "Tier", "Status", "Freed MB", "Available", "Trimmed"].map((t) =>
            h("th", { scope: "col" }, t)
          ),
        ),
      ),
      h("tbody", null, newest.map(historyRow)),
    ),
  );
}

/** Render the relief page into `el`. */
export async function reliefView(el) {
  el.append(h("h2", null, "RAM relief"));
  if (!can("admin")) {
    el.append(h("p", { class: "note" }, "Relief is host-wide: sign in with an admin key."));
    return;
  }
  const v = await get("/v1/dashboard/relief?limit=100");
  el.append(
    h(
      "p",
      { class: "note" },
      "Read-only. Run relief from the command line (memoryoss relief --tier=safe) or its schedule.",
    ),
    stateBox(v),
    historyBox(v.history),
  );
}
