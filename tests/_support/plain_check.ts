/**
 * The check behind the CLI's fast paths (remember, recall, store): a plain-input function may
 * accept only what the zod schema accepts, and must then return exactly what the schema
 * returns (key order included). Returns how many cases took the fast path.
 */
import assert from "node:assert/strict";

export function assertPlainAgreesWithSchema(
  cases: unknown[],
  plainCheck: (raw: unknown) => unknown,
  schemaParse: (raw: unknown) => unknown,
): number {
  let accepted = 0;
  for (const raw of cases) {
    const plain = plainCheck(raw);
    let schema: unknown = undefined;
    let refused = false;
    try {
      schema = schemaParse(raw);
    } catch {
      refused = true;
    }
    if (refused) {
      assert.equal(
        plain,
        null,
        `plain check accepted what the schema refuses: ${JSON.stringify(raw)}`,
      );
      continue;
    }
    if (plain === null) continue;
    accepted++;
    assert.equal(JSON.stringify(plain), JSON.stringify(schema), JSON.stringify(raw));
    assert.deepEqual(plain, schema, JSON.stringify(raw));
  }
  return accepted;
}
