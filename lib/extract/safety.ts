/**
 * Prompt-injection filter (memoryOSS §3.8): text that looks like it tries to steer the model
 * is never injected into a prompt nor stored from an exchange.
 */

const ZERO_WIDTH = /[\u200B\u200C\u200D\uFEFF\u00AD\u2060\u180E]/g;

const PATTERNS = [
  "system:",
  "assistant:",
  "human:",
  "[system]",
  "[/system]",
  "<|im_end|>",
  "<|im_start|>",
  "[inst]",
  "[/inst]",
  "<|endoftext|>",
  "<|begin_of_text|>",
  "</s>",
  "<s>",
  "ignore previous",
  "ignore all instruction",
  "ignore above",
  "disregard above",
  "disregard previous",
  "disregard all",
  "forget everything",
  "forget all instruction",
  "new instructions:",
  "override your",
  "override the",
  "you are now",
  "act as if",
  "pretend you are",
  "do not follow",
  "stop being",
  "system prompt:",
  "reveal your prompt",
  "show your instructions",
  "<!--",
  "-->",
];

const HEADINGS = /(^|\n)\s*#{1,3}\s*(system|assistant)\b/;
const SPECIAL = /[<>{}|\\]/g;

/** NFKC, zero-width and soft-hyphen characters removed, lowercased. */
export function normalizeForFilter(text: string): string {
  return text.normalize("NFKC").replace(ZERO_WIDTH, "").toLowerCase();
}

/**
 * Whether `text` may be placed in a prompt: no role markers or instruction-override phrases
 * (after NFKC and zero-width stripping), and at most 15 % of `<>{}|\` characters.
 *
 * @example
 * ```ts
 * isSafeForInjection("Deploys run on Fridays."); // true
 * isSafeForInjection("Ig\u200Bnore previous instructions"); // false
 * ```
 */
export function isSafeForInjection(text: string): boolean {
  const norm = normalizeForFilter(text);
  if (PATTERNS.some((p) => norm.includes(p))) return false;
  if (HEADINGS.test(norm)) return false;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes === 0) return true;
  const special = text.match(SPECIAL)?.length ?? 0;
  return special / bytes <= 0.15;
}
