import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeIsolationRows } from "./isolation.fixture.ts";
import { freshDatabase, type TestDatabase } from "./test-database.ts";

// Twin of isolation-a: both write the same note id into the same table and must each see
// only their own row. On a shared database the second file would hit the primary key.
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
}, 60_000);
afterAll(() => db.drop());

test("file B sees only its own rows", async () => {
  expect(await writeIsolationRows(db, "B")).toEqual([{ note_id: 1, status: "open", writer: "B" }]);
});
