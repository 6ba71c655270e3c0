/** A scripted two-session history shared by the graph tests. */
import { type Runtime, storeMemories, validateStoreInput } from "../../lib/memory/mod.ts";

/** The history: key → content, session, time. Memories of one session are minutes apart. */
export const HISTORY = [
  {
    key: "etcd",
    session: "s1",
    at: "2026-07-02T08:40:00Z",
    content:
      "Quartermaster, the internal feature-flag service, went read-only after its etcd cluster lost quorum.",
  },
  {
    key: "canary",
    session: "s1",
    at: "2026-07-02T09:10:00Z",
    content:
      "The billing-api canary was rolled back because Quartermaster went read-only and flags could not be flipped.",
  },
  {
    key: "fix",
    session: "s1",
    at: "2026-07-02T13:55:00Z",
    content:
      "Oskar Brandt replaced the failed etcd node etcd-3.lark.internal; writes resumed at 14:20.",
  },
  {
    key: "bike",
    session: "s2",
    at: "2026-07-05T10:00:00Z",
    content: "The user's green Surly Cross-Check bike was stolen outside the Highland library.",
  },
  {
    key: "bus",
    session: "s2",
    at: "2026-07-05T18:00:00Z",
    content: "Because the bike was stolen, the user now rides the 32 bus to the climbing gym.",
  },
  {
    key: "bike-twin",
    session: "s3",
    at: "2026-07-06T09:00:00Z",
    content:
      "A green Surly Cross-Check bike like the user's stolen one was listed for sale online.",
  },
] as const;

/** Store the history in `namespace` in one batch (as an import would); key → id. */
export async function storeHistory(rt: Runtime, namespace = "g"): Promise<Map<string, string>> {
  const inputs = HISTORY.map((h) =>
    validateStoreInput(rt, {
      content: h.content,
      namespace,
      session: h.session,
      created_at: h.at,
    })
  );
  const res = await storeMemories(rt, inputs);
  return new Map(HISTORY.map((h, i) => [h.key, res[i].id]));
}

/** Edges as `kind src→dst` strings over keys, for readable assertions. */
export function edgeList(
  rt: Runtime,
  keys: Map<string, string>,
): string[] {
  const byId = new Map([...keys].map(([k, id]) => [id, k]));
  const rows = rt.store.db.prepare("SELECT src, dst, kind FROM memory_edges").all() as {
    src: string;
    dst: string;
    kind: string;
  }[];
  return rows.map((r) => `${r.kind} ${byId.get(r.src) ?? r.src}→${byId.get(r.dst) ?? r.dst}`)
    .sort();
}
