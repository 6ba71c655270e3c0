// The dashboard shell: sign in, hash routing between views, and the session (role and
// namespaces the key may see). Views live in their own modules.
import { api, clearKey, getKey, setKey } from "./api.js";
import { announce, clear, h, navStatus, showError } from "./dom.js";
import { searchView } from "./search.js";
import { browseView } from "./browse.js";
import { memoryView } from "./memory.js";
import { reviewView } from "./review.js";
import { healthView, stopHealth } from "./health.js";
import { activityView } from "./injections.js";
import { portableView } from "./portable.js";
import { reliefView } from "./relief.js";
import { session } from "./state.js";

const VIEWS = {
  search: searchView,
  browse: browseView,
  review: reviewView,
  activity: activityView,
  health: healthView,
  portable: portableView,
  relief: reliefView,
};

const $ = (id) => document.getElementById(id);

async function loadSession() {
  const ns = await api("GET", "/v1/namespaces");
  session.role = ns.role;
  session.scope = ns.scope;
  session.defaultNamespace = ns.default_namespace;
  session.counts = ns.namespaces;
  const names = ns.namespaces.map((n) => n.namespace);
  if (!names.includes(ns.default_namespace)) names.unshift(ns.default_namespace);
  session.namespaces = names;
}

function showSignedIn(on) {
  $("signin").hidden = on;
  $("view").hidden = !on;
  $("nav").hidden = !on;
  $("who").hidden = !on;
  if (on) {
    const scope = session.scope === "*" ? "all namespaces" : session.namespaces.join(", ");
    $("who-text").textContent = `${session.role} · ${scope}`;
  }
}

async function signIn(key) {
  setKey(key);
  try {
    await loadSession();
  } catch (e) {
    clearKey();
    throw e;
  }
  showSignedIn(true);
  announce(`Signed in as ${session.role}.`, "info", { keep: true });
  if (!location.hash || location.hash === "#") location.hash = "#search";
  else await route();
}

function signOut() {
  clearKey();
  stopHealth();
  session.role = null;
  showSignedIn(false);
  clear($("view"));
  history.replaceState(null, "", location.pathname);
  announce("Signed out.");
  $("key").value = "";
  $("key").focus();
}

let routing = 0;

/** Render the view named by the URL hash (`#search`, `#memory/<id>`, …). */
async function route() {
  if (!getKey() || !session.role) return;
  const token = ++routing;
  stopHealth();
  navStatus();
  const [name, ...rest] = location.hash.replace(/^#/, "").split("/");
  const arg = rest.map(decodeURIComponent).join("/");
  const view = $("view");
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.view === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const container = h("div", { class: "view" });
  clear(view, container);
  try {
    await loadSession(); // namespaces come and go while the page is open
    if (token !== routing) return;
    if (name === "memory" && arg) await memoryView(container, arg);
    else await (VIEWS[name] || searchView)(container);
  } catch (e) {
    if (token === routing) showError(e);
  }
  if (token !== routing) return;
  const heading = container.querySelector("h2");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  }
}

function init() {
  $("signin-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const key = $("key").value.trim();
    $("signin-error").textContent = "";
    if (!key) return;
    try {
      await signIn(key);
      $("key").value = "";
    } catch (e) {
      $("signin-error").textContent = e.status === 401
        ? "That key was not accepted (unknown, expired or revoked)."
        : `Could not sign in: ${e.message}`;
      $("key").focus();
    }
  });
  $("signout").addEventListener("click", signOut);
  // The skip link must not change the hash (that would route to another view): move focus.
  document.querySelector(".skip").addEventListener("click", (ev) => {
    ev.preventDefault();
    const target = (!$("view").hidden && $("view").querySelector("h2")) || $("main");
    target.tabIndex = -1;
    target.focus();
  });
  addEventListener("hashchange", () => route());
  const key = getKey();
  if (key) {
    signIn(key).catch(() => {
      showSignedIn(false);
      $("key").focus();
    });
  } else {
    showSignedIn(false);
    $("key").focus();
  }
}

init();
