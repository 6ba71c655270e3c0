// Session state shared by the views: the role and namespaces of the signed-in key.

/** `{role, scope, namespaces: [name], defaultNamespace, counts}`. */
export const session = { role: null, scope: null, namespaces: [], defaultNamespace: null };

const RANK = { reader: 1, writer: 2, admin: 3 };

/** True when the key's role is at least `role`. */
export function can(role) {
  return (RANK[session.role] || 0) >= RANK[role];
}

/** Go to a view by hash (`#memory/<id>`); re-renders when already there. */
export function go(hash) {
  if (location.hash === hash) dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

/** Namespace options for a select: [[value, label]], with "all" first when asked. */
export function namespaceOptions(withAll) {
  const opts = session.namespaces.map((n) => [n, n]);
  return withAll ? [["", "All my namespaces"], ...opts] : opts;
}

/** The namespace to show first: the default one, or the fullest when the default is empty. */
export function primaryNamespace() {
  const counts = session.counts || [];
  const def = counts.find((c) => c.namespace === session.defaultNamespace);
  if (def && def.total > 0) return session.defaultNamespace;
  const best = [...counts].sort((a, b) => b.total - a.total)[0];
  return best && best.total > 0 ? best.namespace : session.defaultNamespace;
}
