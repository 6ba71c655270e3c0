/** Re-embed memories whose vector is missing or from another embedder (after a config change). */
import type { Runtime } from "./runtime.ts";
import { DEFAULT_NAMESPACE } from "./write.ts";
import { namespaceStats, pksNeedingEmbedding } from "../store/mod.ts";

/** `embed reembed` output. */
export interface ReembedResult {
  embedder_id: string;
  namespaces: string[];
  reembedded: number;
}

/** Re-embed one namespace, or every namespace when none is given. */
export async function reembed(
  rt: Runtime,
  opts: { namespace?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<ReembedResult> {
  const namespaces = opts.namespace
    ? [opts.namespace]
    : namespaceStats(rt.store).map((s) => s.namespace);
  const pks: number[] = [];
  for (const ns of namespaces) {
    pks.push(
      ...pksNeedingEmbedding(rt.store, { namespace: ns ?? DEFAULT_NAMESPACE }, rt.embedder.id),
    );
  }
  let done = 0;
  for (let i = 0; i < pks.length; i += 256) {
    const batch = rt.store.getMany(pks.slice(i, i + 256));
    const vectors = await rt.embedder.embed(batch.map((m) => m.record.content));
    rt.store.transaction(() => {
      batch.forEach((m, j) => rt.store.setEmbedding(m.pk, vectors[j], rt.embedder.id));
    });
    done += batch.length;
    opts.onProgress?.(done, pks.length);
  }
  rt.syncIndex();
  return { embedder_id: rt.embedder.id, namespaces, reembedded: done };
}
