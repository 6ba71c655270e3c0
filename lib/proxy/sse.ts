/**
 * Server-sent events: an incremental parser that accepts the stream in arbitrary network
 * chunks (events and even UTF-8 characters may be split anywhere), and a tap that forwards
 * every upstream chunk to the client untouched while the parser watches a copy.
 */

/** One dispatched SSE event. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Incremental SSE parser (WHATWG rules: `\n`, `\r\n` or `\r` line ends, multi-line `data:`
 * joined with `\n`, comments ignored, an event dispatched on a blank line).
 *
 * @example
 * ```ts
 * const p = new SseParser();
 * p.feed(new TextEncoder().encode("data: {\"a\"")); // []
 * p.feed(new TextEncoder().encode(":1}\n\n")); // [{ event: "message", data: '{"a":1}' }]
 * ```
 */
export class SseParser {
  #decoder = new TextDecoder();
  #buf = "";
  #data: string[] = [];
  #event = "";
  #sawCr = false;

  /** Feed bytes; returns the events completed by them. */
  feed(chunk: Uint8Array): SseEvent[] {
    return this.#lines(this.#decoder.decode(chunk, { stream: true }));
  }

  /** Flush at end of stream (a final event without its blank line is dispatched). */
  end(): SseEvent[] {
    const out = this.#lines(this.#decoder.decode() + "\n\n");
    return out;
  }

  #lines(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let s = text;
    // A "\r\n" split across chunks: the "\n" belongs to the line the "\r" already ended.
    if (this.#sawCr && s.startsWith("\n")) s = s.slice(1);
    this.#sawCr = false;
    this.#buf += s;
    let start = 0;
    for (let i = 0; i < this.#buf.length; i++) {
      const ch = this.#buf[i];
      if (ch !== "\n" && ch !== "\r") continue;
      const line = this.#buf.slice(start, i);
      if (ch === "\r") {
        if (i + 1 < this.#buf.length) {
          if (this.#buf[i + 1] === "\n") i++;
        } else {
          this.#sawCr = true;
        }
      }
      start = i + 1;
      const ev = this.#line(line);
      if (ev) out.push(ev);
    }
    this.#buf = this.#buf.slice(start);
    return out;
  }

  #line(line: string): SseEvent | null {
    if (line === "") {
      if (this.#data.length === 0) {
        this.#event = "";
        return null;
      }
      const ev = { event: this.#event || "message", data: this.#data.join("\n") };
      this.#data = [];
      this.#event = "";
      return ev;
    }
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.#data.push(value);
    else if (field === "event") this.#event = value;
    return null;
  }
}

/** Callbacks of {@link tapStream}. */
export interface TapHooks {
  /** Each parsed event (errors thrown here are swallowed: the client stream never breaks). */
  onEvent(ev: SseEvent): void;
  /** Once: `ended` is true when upstream finished normally, false on abort or error. */
  onFinish(ended: boolean): void;
}

/**
 * Forward `upstream` chunk by chunk (no re-framing, no added buffering) while a parser reads
 * a copy. Cancelling the returned stream cancels the upstream body.
 *
 * @example
 * ```ts
 * const body = tapStream(res.body!, { onEvent: (e) => log(e.data), onFinish: () => {} });
 * ```
 */
export function tapStream(
  upstream: ReadableStream<Uint8Array>,
  hooks: TapHooks,
): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  const parser = new SseParser();
  let finished = false;
  const finish = (ended: boolean) => {
    if (finished) return;
    finished = true;
    try {
      hooks.onFinish(ended);
    } catch { /* never break the client stream */ }
  };
  const emit = (events: SseEvent[]) => {
    for (const ev of events) {
      try {
        hooks.onEvent(ev);
      } catch { /* ignore */ }
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        finish(false);
        controller.error(e);
        return;
      }
      if (r.done) {
        emit(parser.end());
        controller.close();
        finish(true);
        return;
      }
      controller.enqueue(r.value);
      emit(parser.feed(r.value));
    },
    async cancel(reason) {
      finish(false);
      await reader.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
}
