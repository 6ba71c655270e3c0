/**
 * A running `serve` follows `embed swap` run by another process: before each request, one meta
 * read tells whether the home's embedder changed; if so the runtime switches to the new
 * embedder (lib/memory runtime `followEmbedderSwap`) inside the write queue, so no write of
 * this server is half-way through embedding with the old one. No restart needed.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv, ServerState } from "../context.ts";

/** The middleware; logs the switch (or why it could not switch) once. */
export function followEmbedSwap(state: ServerState): MiddlewareHandler<AppEnv> {
  const { rt } = state;
  return async (_c, next) => {
    if (rt.embedderSwapped()) {
      try {
        const id = await state.queue.run(() => rt.followEmbedderSwap());
        if (id) state.log("info", `embed swap: now embedding with ${id}`);
      } catch (e) {
        state.log(
          "error",
          `embed swap: cannot switch to the new embedder (${
            e instanceof Error ? e.message : String(e)
          }); restart serve after fixing [embeddings]`,
        );
      }
    }
    await next();
  };
}
