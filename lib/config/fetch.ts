/**
 * THE outbound fetch with a deadline (the embedding and chat clients). The deadline covers
 * the answer's body too; a failure is one {@link FetchFailure} that names the endpoint by its
 * URL without credentials or query, with the caller's secret blanked out of the cause.
 *
 * @module
 */
import { MemoryossError } from "../errors/mod.ts";
import { maskSecret, redactUrl } from "./redact.ts";

/** How to ask. */
export interface FetchTimeoutOptions {
  /** The deadline for the answer, body included, in milliseconds. */
  timeoutMs: number;
  /** Who is asked, for messages: "embedding endpoint", "chat endpoint". */
  what: string;
  /** A secret (API key) to blank out of every message. */
  secret?: string | null;
}

/** The endpoint did not answer in time, or could not be reached (UNAVAILABLE). */
export class FetchFailure extends MemoryossError {
  readonly kind: "timeout" | "unreachable";
  constructor(kind: "timeout" | "unreachable", message: string) {
    super("UNAVAILABLE", message);
    this.kind = kind;
  }
}

/** An answer whose deadline is still running until its body is read or {@link done} runs. */
export interface TimedResponse {
  response: Response;
  /** The endpoint as messages name it: `<what> <url without credentials>`. */
  where: string;
  /** The body as text, under the deadline; stops the clock. */
  text(): Promise<string>;
  /** The error to throw for `e`, met while reading the body later (a stream). */
  failure(e: unknown): unknown;
  /** Stop the clock (the body was read some other way). */
  done(): void;
}

/**
 * `fetch(url, init)` under a deadline of `opts.timeoutMs`.
 *
 * @example
 * ```ts
 * const t = await fetchWithTimeout(url, { method: "POST", body }, {
 *   timeoutMs: 30_000, what: "embedding endpoint", secret: apiKey,
 * });
 * const text = await t.text(); // FetchFailure "embedding endpoint … did not answer within 30000 ms"
 * ```
 */
export async function fetchWithTimeout(
  url: string,
  init: RequestInit,
  opts: FetchTimeoutOptions,
): Promise<TimedResponse> {
  const where = `${opts.what} ${redactUrl(url)}`;
  const ctl = new AbortController();
  // A plain timer rather than AbortSignal.timeout, so it is always cleared.
  const timer = setTimeout(
    () => ctl.abort(new DOMException("timeout", "TimeoutError")),
    opts.timeoutMs,
  );
  const done = () => clearTimeout(timer);
  const failure = (e: unknown): unknown => {
    if (ctl.signal.aborted) {
      return new FetchFailure("timeout", `${where} did not answer within ${opts.timeoutMs} ms`);
    }
    if (e instanceof MemoryossError) return e;
    const why = (e instanceof Error ? e.message : String(e)).replaceAll(url, redactUrl(url));
    return new FetchFailure(
      "unreachable",
      `${where} could not be reached: ${maskSecret(why, opts.secret)}`,
    );
  };
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: ctl.signal });
  } catch (e) {
    done();
    throw failure(e);
  }
  const text = async () => {
    try {
      return await response.text();
    } catch (e) {
      throw failure(e);
    } finally {
      done();
    }
  };
  return { response, where, text, failure, done };
}
