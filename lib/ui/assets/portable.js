// Export a passport or bundle (downloaded as a file), and open a bundle file in the reader
// view (the server verifies and previews it; the file never leaves this machine's server).
import { apiRaw, isMissingRoute, post } from "./api.js";
import { readerDoc } from "./reader.js";
import {
  announce,
  clear,
  dl,
  field,
  fmtTime,
  h,
  select,
  short,
  showError,
  textRow,
} from "./dom.js";
import { namespaceOptions, primaryNamespace } from "./state.js";

function download(name, value) {
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Arrays of records in a preview/bundle, wherever they sit (a few known places). */
function recordsOf(v) {
  if (!v || typeof v !== "object") return [];
  for (const k of ["memories", "records", "entries", "items"]) {
    if (Array.isArray(v[k])) return v[k];
  }
  for (const k of ["passport", "bundle", "payload", "preview", "artifact"]) {
    const inner = recordsOf(v[k]);
    if (inner.length) return inner;
  }
  return [];
}

function scalars(v) {
  if (!v || typeof v !== "object") return [];
  return Object.entries(v)
    .filter(([, x]) => x === null || ["string", "number", "boolean"].includes(typeof x))
    .slice(0, 16)
    .map(([k, x]) => [k, String(x)]);
}

function readerView(res, note) {
  const recs = recordsOf(res);
  const raw = h("pre", { class: "json" });
  raw.textContent = JSON.stringify(res, null, 2);
  return h(
    "div",
    { class: "reader" },
    note ? h("p", { class: "note" }, note) : null,
    dl(scalars(res)),
    h("h4", null, `${recs.length} record${recs.length === 1 ? "" : "s"}`),
    h(
      "ol",
      { class: "rows" },
      recs.slice(0, 500).map((r) =>
        textRow(String(r.content ?? r.text ?? r.preview ?? short(JSON.stringify(r), 200)), [
          r.namespace,
          r.status,
          r.created_at ? fmtTime(r.created_at) : null,
          Array.isArray(r.tags) && r.tags.length ? `tags: ${r.tags.join(", ")}` : null,
        ])
      ),
    ),
    h("details", null, h("summary", null, "Raw JSON"), raw),
  );
}

/** The export and reader view. */
export function portableView(root) {
  const ns = select(namespaceOptions(false), primaryNamespace(), { name: "namespace" });
  const kind = select([["passport", "Passport"], ["bundle", "Bundle"]], "passport", {
    name: "kind",
  });
  const exportForm = h(
    "form",
    { class: "filters", "aria-label": "Export" },
    field("Namespace", ns),
    field("Artifact", kind),
    h("div", { class: "field" }, h("button", { type: "submit" }, "Export")),
  );
  exportForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const path = kind.value === "passport" ? "/v1/passport/export" : "/v1/bundle/export";
    try {
      // The body as sent: re-serializing would change bytes that the integrity hash covers.
      const res = await apiRaw("POST", path, { namespace: ns.value });
      const stamp = new Date().toISOString().slice(0, 10);
      download(
        `${ns.value}-${stamp}.${kind.value === "passport" ? "passport" : "membundle"}.json`,
        res.text,
      );
      announce(`Exported the ${kind.value} of ${ns.value}.`);
    } catch (e) {
      if (isMissingRoute(e)) {
        announce(
          `This server has no ${kind.value} export endpoint; use \`memoryoss ${kind.value} export\`.`,
          "error",
        );
      } else showError(e);
    }
  });

  const file = h("input", { type: "file", name: "bundle", accept: ".json,application/json" });
  const out = h("div", { class: "results", "aria-live": "polite" });
  file.addEventListener("change", async () => {
    const f = file.files && file.files[0];
    if (!f) return;
    const text = await f.text();
    try {
      // Sent as a string so the server checks the file's exact bytes (integrity hashes).
      const doc = await post("/v1/bundle/preview", { bundle: text });
      clear(out, h("h3", null, f.name), readerDoc(doc));
      announce(`Opened ${f.name}: ${doc.ok ? "verified" : "has problems"}.`);
    } catch (e) {
      let parsed = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      if (isMissingRoute(e) && parsed) {
        clear(
          out,
          h("h3", null, f.name),
          readerView(parsed, "Shown as read from the file: this server cannot verify bundles."),
        );
        announce(`Opened ${f.name} (not verified).`);
      } else {
        clear(out);
        showError(e);
      }
    }
  });
  clear(
    root,
    h("h2", null, "Export & reader"),
    h(
      "section",
      { class: "card", "aria-labelledby": "exp-h" },
      h("h3", { id: "exp-h" }, "Export"),
      exportForm,
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "rd-h" },
      h("h3", { id: "rd-h" }, "Open a bundle"),
      field(
        "Bundle or passport file",
        file,
        "The file is checked by this server and shown read-only.",
      ),
      out,
    ),
  );
}
