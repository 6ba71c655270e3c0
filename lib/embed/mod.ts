// TEMPORARY STUB written by the lead so other modules type-check; helper-1 replaces this file.
export interface Embedder {
  readonly id: string;
  readonly dim: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}
export interface EmbedderConfig {
  provider: "builtin" | "openai";
  model?: string;
  base_url?: string;
  api_key?: string;
  dim?: number;
  timeout_ms?: number;
  batch_size?: number;
}
export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function hashVec(text: string, dim: number): Float32Array {
  const v = new Float32Array(dim);
  const t = ` ${text.toLowerCase()} `;
  for (let n = 3; n <= 4; n++) {
    for (let i = 0; i + n <= t.length; i++) {
      let h = 2166136261;
      for (let j = i; j < i + n; j++) h = Math.imul(h ^ t.charCodeAt(j), 16777619);
      v[(h >>> 1) % dim] += h & 1 ? 1 : -1;
    }
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dim; i++) v[i] /= norm;
  if (norm === 1) v[0] = 1;
  return v;
}
export function createEmbedder(_cfg: EmbedderConfig): Promise<Embedder> {
  return Promise.resolve({
    id: "stub:ngram@256",
    dim: 256,
    embed: (texts: string[]) => Promise.resolve(texts.map((t) => hashVec(t, 256))),
  });
}
