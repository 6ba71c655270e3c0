/**
 * A memo of a pure function of a text (normalising it, parsing it into statements): writes
 * compare each new text with neighbours that recur across a batch. Bounded by the text it
 * holds (`maxChars`), emptied when full.
 */
export function memoByText<T>(fn: (text: string) => T, maxChars = 1_000_000): (text: string) => T {
  const memo = new Map<string, T>();
  let chars = 0;
  return (text) => {
    if (memo.has(text)) return memo.get(text) as T;
    const value = fn(text);
    if (chars + text.length > maxChars) {
      memo.clear();
      chars = 0;
    }
    chars += text.length;
    memo.set(text, value);
    return value;
  };
}
