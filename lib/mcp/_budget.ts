/**
 * Size budgets for tool results: an agent's context is the scarce resource, so a result never
 * exceeds a character budget; what does not fit is paged (list) or reported as omitted (recall).
 */

/** Default most characters of JSON text in one tool result (about 10k tokens). */
export const DEFAULT_RESULT_CHARS = 40_000;

/** What {@link fitToBudget} kept. */
export interface Fitted<T> {
  kept: T[];
  /** How many items from the end did not fit. */
  omitted: number;
  /** True when the first item's content had to be clipped to fit on its own. */
  clipped: boolean;
}

/**
 * Keep items in order while their JSON size stays within `budget`. The first item is always
 * kept (clipped when it alone is too large), so a page always makes progress.
 *
 * @example
 * ```ts
 * fitToBudget([{ content: "a" }, { content: "b" }], 20).kept.length; // 1
 * ```
 */
export function fitToBudget<T extends { content: string }>(items: T[], budget: number): Fitted<T> {
  const kept: T[] = [];
  let used = 0;
  let clipped = false;
  for (const item of items) {
    const size = JSON.stringify(item).length + 8; // separators and indentation
    if (used + size <= budget) {
      kept.push(item);
      used += size;
      continue;
    }
    if (kept.length === 0) {
      const room = Math.max(200, budget - (size - item.content.length));
      kept.push({ ...item, content: clipText(item.content, room) });
      clipped = true;
    }
    break;
  }
  return { kept, omitted: items.length - kept.length, clipped };
}

/**
 * `text` cut to at most `n` characters, ending in "…" when cut.
 *
 * @example
 * ```ts
 * clipText("abcdef", 4); // "abc…"
 * ```
 */
export function clipText(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, Math.max(0, n - 1))}…`;
}
