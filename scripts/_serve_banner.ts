/**
 * What the bench scripts read from a `memoryoss serve` they started: its stdout up to the
 * "listening on" line, and the admin key printed before it on a new home.
 *
 * @module
 */

/** Read serve's stdout until the listening line; the admin key comes first on a new home. */
export async function readBanner(
  stdout: ReadableStream<Uint8Array>,
): Promise<{ url: string; key?: string }> {
  const reader = stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`serve exited before listening:\n${text}`);
    text += value;
    const url = /listening on (\S+)/.exec(text)?.[1];
    const key = /created the admin API key[^\n]*\n\s+(\S+)/.exec(text)?.[1];
    if (url) {
      reader.releaseLock();
      stdout.pipeTo(new WritableStream()).catch(() => {}); // keep draining
      return { url, key };
    }
  }
}

/** Poll `/health` every `stepMs` until the index is no longer warming. */
export async function waitReady(url: string, stepMs: number): Promise<void> {
  while ((await (await fetch(`${url}/health`)).json()).index?.state === "warming") {
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
