import { describe, expect, test } from "bun:test";
import type { UserIndexEntry } from "../documents/indexes.ts";
import { indexEntries, patchUserIndex } from "./_user-index-patch.ts";

const entry = (user_id: number, username: string, open = 0): UserIndexEntry => ({
  user_id, username, history_whole_open: open, history_whole_closed: 0, history_year_open: 0, history_year_closed: 0,
  lastest_open_note_id: null, lastest_commented_note_id: 7, lastest_closed_note_id: null,
  latest_open_note_id: null, latest_commented_note_id: 7, latest_closed_note_id: null,
});
const file = (doc: UserIndexEntry[]) => Buffer.from(`${JSON.stringify(doc)}\n`);
const joined = (pieces: Uint8Array[] | undefined) => (pieces === undefined ? undefined : Buffer.concat(pieces).toString());
// Usernames that look like entry boundaries, escapes, non-ASCII.
const hostile = [
  entry(1, 'a},{"user_id":99,"username":"x'),
  entry(22, "back\\slash\\"),
  entry(333, '"},{"user_id":4,'),
  entry(4, "Zürich 東京 🚀"),
  entry(1000000007, "\u0001\n}]\n"),
];

describe("user index patch", () => {
  test("entries are found by id, byte for byte, whatever the usernames hold", () => {
    const parsed = indexEntries(file(hostile))!;
    expect([...parsed.at.keys()]).toEqual([1, 22, 333, 4, 1000000007]);
    for (const e of hostile) {
      const k = parsed.at.get(e.user_id)!;
      expect(Buffer.from(parsed.bytes.subarray(parsed.starts[k]!, parsed.ends[k]!)).toString()).toBe(JSON.stringify(e));
    }
    expect(indexEntries(file([]))!.at.size).toBe(0);
  });

  test("the patched index equals the one built whole: new order, changed, new and removed users", () => {
    const previous = indexEntries(file(hostile))!;
    const changed = [entry(4, "renamed", 9), entry(5, "new user", 3)];
    const next = [changed[0]!, changed[1]!, hostile[0]!, hostile[4]!, hostile[1]!]; // 333 left
    const texts = new Map(changed.map((e) => [e.user_id, JSON.stringify(e)]));
    expect(joined(patchUserIndex(previous, next.map((e) => e.user_id), texts))).toBe(file(next).toString());
    expect(joined(patchUserIndex(previous, [], new Map()))).toBe("[]\n");
    // An unchanged user the current index lacks: no patch (the caller rebuilds the index).
    expect(patchUserIndex(previous, [1, 6], new Map())).toBeUndefined();
  });

  test("runs of unchanged entries copied in one piece still give the index built whole", () => {
    // 300 users (hostile names among them); each round moves, changes, adds and removes some,
    // so runs of entries in the previous order alternate with entries out of it.
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
    let current = Array.from({ length: 300 }, (_, i) => (i % 50 === 0 ? hostile[(i / 50) % hostile.length]! : entry(10_000 + i, `user ${i}`, i)));
    current = [...new Map(current.map((e) => [e.user_id, e])).values()];
    for (let round = 0; round < 20; round++) {
      const previous = indexEntries(file(current))!;
      const changed = new Map<number, string>();
      let order = current.filter(() => next() > 0.02); // some leave
      order = order.map((e) => {
        if (next() > 0.05) return e;
        const c = entry(e.user_id, `${e.username}'`, e.history_whole_open + 1);
        changed.set(c.user_id, JSON.stringify(c));
        return c;
      });
      for (let k = 0; k < 5; k++) {
        // Moves: an entry taken out and put back elsewhere.
        const [moved] = order.splice(Math.floor(next() * order.length), 1);
        order.splice(Math.floor(next() * order.length), 0, moved!);
      }
      const added = entry(20_000 + round, `new ${round}`);
      changed.set(added.user_id, JSON.stringify(added));
      order.splice(Math.floor(next() * order.length), 0, added);
      const patched = patchUserIndex(previous, order.map((e) => e.user_id), changed)!;
      expect(joined(patched)).toBe(file(order).toString());
      // Pieces, not one copy: the unchanged runs are slices of the current file's bytes.
      expect(patched.some((piece) => piece.buffer === previous.bytes.buffer && piece.byteLength > 100)).toBe(true);
      current = order;
    }
  });

  test("anything but an index this exporter wrote is refused", () => {
    for (const text of ["", "[]", "{}\n", '[{"user_id":1}]', '[{"username":"a","user_id":1}]\n', '[{"user_id":01,"x":1}]\n', '[{"user_id":1,"a":1},{"user_id":1,"a":2}]\n']) {
      expect(indexEntries(Buffer.from(text))).toBeUndefined();
    }
  });
});
