/**
 * Server-sent events: an incremental parser (`eventsource-parser` underneath) that accepts the
 * stream in arbitrary network chunks (events and even UTF-8 characters may be split anywhere),
 * and a tap that forwards every upstream chunk to the client untouched while the parser
 * watches a copy.
 */
import { createParser, type EventSourceParser } from "eventsource-parser";

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
  #out: SseEvent[] = [];
  #parser: EventSourceParser = createParser({
    onEvent: (e) => this.#out.push({ event: e.event || "message", data: e.data }),
  });

  /** Feed bytes; returns the events completed by them. */
  feed(chunk: Uint8Array): SseEvent[] {
    return this.#take(this.#decoder.decode(chunk, { stream: true }));
  }

  /** Flush at end of stream (a final event without its blank line is dispatched). */
  end(): SseEvent[] {
    return this.#take(this.#decoder.decode() + "\n\n");
  }

  #take(text: string): SseEvent[] {
    this.#parser.feed(text);
    const out = this.#out;
    this.#out = [];
    return out;
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
