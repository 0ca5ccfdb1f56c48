import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestDatabase } from "@osm-notes/testkit";
import { runEtl } from "./run-etl.ts";
import { emptyBaseTables, freshDwh } from "./etl-test.fixture.ts";

// Hand-made notes covering the fact rules of dwh-etl §3.2; every expected value below was
// computed by hand from the rows inserted here.
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDwh();
  const sql = db.sql;
  await emptyBaseTables(sql);
  await sql`INSERT INTO users VALUES (1, 'alice'), (2, 'bob'), (3, 'carol'), (4, 'dave')`;
  await sql`INSERT INTO countries (country_id, country_name, country_name_es, country_name_en) VALUES (100, 'Testland', 'Tierra de prueba', 'Testland')`;
  await sql`INSERT INTO notes (note_id, latitude, longitude, created_at, status, id_country) VALUES
    (1, 50, 45, '2020-01-01 10:00:00', 'close', 100),
    (2, -30, -60, '2020-01-01 00:00:00', 'close', 100),
    (3, 5, 0, '2021-03-03 03:03:03', 'open', NULL),
    (4, 10, 10, '2019-06-01 12:00:00', 'hidden', 100),
    (5, 60, 10, '2014-05-01 00:00:00', 'close', 100),
    (6, 40, 20, '2022-01-01 00:00:00', 'close', 100),
    (7, 45, 5, '2009-03-01 12:00:00', 'open', 100)`;
  await addActions(sql, [
    [1, 1, "opened", "2020-01-01 10:00:00", 1, "Shop moved via StreetComplete 45.2"],
    [1, 2, "closed", "2020-01-11 12:00:00", 2, ""],
    [2, 1, "opened", "2020-01-01 00:00:00", 1, "bridge"],
    [2, 2, "closed", "2020-01-05 08:00:00", 2, ""],
    [2, 3, "reopened", "2020-02-01 09:00:00", 3, "still wrong"],
    [2, 4, "closed", "2020-02-11 10:00:00", 1, "done"],
    [3, 1, "opened", "2021-03-03 03:03:03", null, "pothole"],
    [3, 2, "commented", "2021-03-04 00:00:00", null, "me too"],
    [3, 3, "commented", "2021-03-05 00:00:00", 2, "#Tag1 see http://x.org #tag2 and #Tag1 @alice"],
    [4, 1, "opened", "2019-06-01 12:00:00", 4, "spam"],
    [4, 2, "hidden", "2019-06-02 12:00:00", 3, ""],
    [5, 1, "opened", "2014-05-01 00:00:00", 1, "old road"],
    [5, 2, "closed", "2014-05-03 00:00:00", 2, ""],
    [6, 1, "opened", "2022-01-01 00:00:00", 4, "x"],
    [6, 2, "closed", "2022-01-03 00:00:00", 2, ""],
    [6, 3, "closed", "2022-01-04 00:00:00", 3, "closed twice"],
    [7, 1, "opened", "2009-03-01 12:00:00", 1, "before notes existed"],
  ]);
}, 60_000);
afterAll(() => db.drop());

type Action = [note: number, seq: number, event: string, at: string, user: number | null, body: string];

async function addActions(sql: TestDatabase["sql"], actions: Action[]) {
  for (const [note, seq, event, at, user, body] of actions) {
    await sql`INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user) VALUES (${note}, ${seq}, ${event}, ${at}, ${user})`;
    await sql`INSERT INTO note_comments_text (note_id, sequence_action, body) VALUES (${note}, ${seq}, ${body})`;
  }
}

async function fact(note: number, seq: number) {
  const [row] = await db.sql`
    SELECT f.action_comment::text AS event, f.action_dimension_id_date AS date, f.action_dimension_id_hour_of_week AS tow,
           ua.user_id AS actor, ua.username AS actor_name, uo.user_id AS opener, uc.user_id AS closer,
           f.closed_dimension_id_date AS closed_date, f.closed_dimension_id_hour_of_week AS closed_tow,
           f.opened_dimension_id_date AS opened_date, f.recent_opened_dimension_id_date AS recent_opened,
           f.days_to_resolution AS dtr, f.days_to_resolution_active AS active, f.days_to_resolution_from_reopen AS from_reopen,
           f.total_comments_on_note AS comments, f.total_reopenings_count AS reopenings, f.total_actions_on_note AS actions,
           f.hashtag_number AS hashtags, f.comment_length AS length, f.has_url AS url, f.has_mention AS mention,
           tz.tz_name AS tz, f.local_action_dimension_id_date AS local_date, f.local_action_dimension_id_hour_of_week AS local_tow,
           f.action_dimension_id_season AS season, c.country_id AS country, a.application_name AS app, v.version
    FROM dwh.facts f
    JOIN dwh.dimension_countries c ON c.dimension_country_id = f.dimension_id_country
    LEFT JOIN dwh.dimension_users ua ON ua.dimension_user_id = f.action_dimension_id_user
    LEFT JOIN dwh.dimension_users uo ON uo.dimension_user_id = f.opened_dimension_id_user
    LEFT JOIN dwh.dimension_users uc ON uc.dimension_user_id = f.closed_dimension_id_user
    LEFT JOIN dwh.dimension_timezones tz ON tz.dimension_timezone_id = f.action_timezone_id
    LEFT JOIN dwh.dimension_applications a ON a.dimension_application_id = f.dimension_application_creation
    LEFT JOIN dwh.dimension_application_versions v ON v.dimension_application_version_id = f.dimension_application_version
    WHERE f.id_note = ${note} AND f.sequence_action = ${seq}`;
  if (!row) throw new Error(`no fact ${note}/${seq}`);
  return row;
}

const status = async (note: number) =>
  (await db.sql`SELECT is_currently_open AS open, last_action_type::text AS last, last_action_at::text AS at
                FROM dwh.note_current_status WHERE id_note = ${note}`)[0];

/** When the note was opened, its first comment and last reopening (migration 0040). */
const firsts = async (note: number) =>
  (await db.sql`SELECT opened_at::text AS opened, first_comment_seq AS first_comment, last_reopen_seq AS last_reopen
                FROM dwh.note_current_status WHERE id_note = ${note}`)[0];

describe("first run", () => {
  test("loads every action", async () => {
    const report = await runEtl(db.sql);
    expect(report).toMatchObject({ mode: "first", factsInserted: 17 });
    expect(report.validation!.filter((v) => v.status !== "PASS")).toEqual([]);
  });

  test("open → close: dates, hour of week, local time, season, application and version", async () => {
    // 2020-01-01 is a Wednesday (ISO 3); lon 45 → UTC+3; lat 50 in January → winter (4).
    expect(await fact(1, 1)).toMatchObject({
      event: "opened", date: 20200101, tow: 310, actor: 1, opener: 1, closer: null, closed_date: null,
      opened_date: 20200101, recent_opened: 20200101, dtr: null, active: null, from_reopen: null,
      comments: 0, reopenings: 0, actions: 0, tz: "UTC+3", local_date: 20200101, local_tow: 313, season: 4,
      country: 100, app: "StreetComplete", version: "45.2", length: 34, url: false, mention: false, hashtags: 0,
    });
    // 2020-01-11 is a Saturday (ISO 6).
    expect(await fact(1, 2)).toMatchObject({
      event: "closed", date: 20200111, tow: 612, actor: 2, opener: 1, closer: 2, closed_date: 20200111, closed_tow: 612,
      dtr: 10, active: 10, from_reopen: null, actions: 1, recent_opened: 20200101, app: null, length: 0,
    });
    expect(await status(1)).toEqual({ open: false, last: "closed", at: "2020-01-11 12:00:00" });
  });

  test("open → close → reopen → close: resolution days of each close", async () => {
    // lon -60 → UTC-4; lat -30 in January: season 1 (the original's southern mapping, kept).
    expect(await fact(2, 2)).toMatchObject({ dtr: 4, active: 4, from_reopen: null, reopenings: 0, tz: "UTC-4", season: 1 });
    expect(await fact(2, 3)).toMatchObject({ event: "reopened", recent_opened: 20200201, actions: 2, reopenings: 0, closer: null });
    // second close: 41 days after creation, open 4 + 10 days, 10 days after the reopening
    expect(await fact(2, 4)).toMatchObject({ dtr: 41, active: 14, from_reopen: 10, reopenings: 1, actions: 3, recent_opened: 20200201, closer: 1 });
    expect(await status(2)).toEqual({ open: false, last: "closed", at: "2020-02-11 10:00:00" });
  });

  test("anonymous actions, comments counted before each action, hashtags in order with duplicates", async () => {
    const anonymous = { actor: -1, actor_name: "Anonymous" };
    expect(await fact(3, 1)).toMatchObject({ ...anonymous, opener: -1, country: -1, tz: "UTC", season: 0 });
    expect(await fact(3, 2)).toMatchObject({ ...anonymous, comments: 0, actions: 1 });
    const body = "#Tag1 see http://x.org #tag2 and #Tag1 @alice";
    expect(await fact(3, 3)).toMatchObject({ actor: 2, comments: 1, actions: 2, hashtags: 3, url: true, mention: true, length: body.length });
    const tags = await db.sql`
      SELECT h.description, fh.position, fh.used_in_action::text AS used, fh.is_opening_hashtag AS opening
      FROM dwh.fact_hashtags fh JOIN dwh.dimension_hashtags h USING (dimension_hashtag_id)
      JOIN dwh.facts f ON f.fact_id = fh.fact_id WHERE f.id_note = 3 ORDER BY fh.position`;
    expect(tags.map((t) => [t.description, t.position, t.used, t.opening])).toEqual([
      ["Tag1", 1, "commented", false], ["tag2", 2, "commented", false], ["Tag1", 3, "commented", false],
    ]);
    expect(await status(3)).toMatchObject({ open: true, last: "opened" });
    expect(await firsts(3)).toEqual({ opened: "2021-03-03 03:03:03", first_comment: 2, last_reopen: null });
    expect(await firsts(6)).toEqual({ opened: "2022-01-01 00:00:00", first_comment: null, last_reopen: null });
  });

  test("a hidden note: the hide is a fact, but not a change of state", async () => {
    expect(await fact(4, 2)).toMatchObject({ event: "hidden", actor: 3, closer: null, dtr: null });
    expect(await status(4)).toMatchObject({ open: true, last: "opened" });
  });

  test("a note closed twice: the second close adds no open time", async () => {
    expect(await fact(6, 2)).toMatchObject({ dtr: 2, active: 2 });
    expect(await fact(6, 3)).toMatchObject({ dtr: 3, active: 2, from_reopen: null, closer: 3 });
    expect(await status(6)).toEqual({ open: false, last: "closed", at: "2022-01-04 00:00:00" });
  });

  test("an action before 2013 gets its own year partition; the default partition stays empty", async () => {
    const [p] = await db.sql`SELECT (SELECT count(*)::int FROM dwh.facts_2009) AS y2009, (SELECT count(*)::int FROM dwh.facts_default) AS dflt`;
    expect(p).toEqual({ y2009: 1, dflt: 0 });
  });

  test("run log and quarantine: the note without a country is counted, not dropped", async () => {
    const rows = await db.sql`SELECT reason, note_id, rejected FROM dwh.etl_quarantine ORDER BY reason, note_id`;
    expect(rows.map((r) => [r.reason, r.note_id, r.rejected])).toEqual([["unknown_country", 3, false]]);
    const [run] = await db.sql`SELECT mode, status, facts_inserted::int AS facts, snapshot_max_note_id AS snapshot, watermark::text AS watermark FROM dwh.etl_runs`;
    expect(run).toEqual({ mode: "first", status: "succeeded", facts: 17, snapshot: 7, watermark: "2022-01-04 00:00:00" });
  });
});

describe("second run: a late reopening years later, a renamed user, a new note, a first comment", () => {
  test("updates the old note's facts and records what it touched", async () => {
    await db.sql`UPDATE users SET username = 'robert' WHERE user_id = 2`;
    await db.sql`INSERT INTO notes (note_id, latitude, longitude, created_at, status, id_country) VALUES (8, 1, 1, '2024-06-03 00:00:00', 'open', 100)`;
    await addActions(db.sql, [
      [5, 3, "reopened", "2024-06-01 00:00:00", 3, "not fixed"],
      [5, 4, "closed", "2024-06-02 00:00:00", 2, "fixed at last"],
      [8, 1, "opened", "2024-06-03 00:00:00", 2, "new"],
      [6, 4, "commented", "2024-06-04 00:00:00", 1, "thanks"],
    ]);
    const report = await runEtl(db.sql);
    expect(report).toMatchObject({ mode: "incremental", factsInserted: 4 });
    // The closed note's first comment comes in a later run; its opening stays.
    expect(await firsts(6)).toEqual({ opened: "2022-01-01 00:00:00", first_comment: 4, last_reopen: null });
    expect(await firsts(5)).toEqual({ opened: "2014-05-01 00:00:00", first_comment: null, last_reopen: 3 });
    expect(await status(6)).toEqual({ open: false, last: "closed", at: "2022-01-04 00:00:00" });

    // Earlier facts of note 5 keep their values; the new close sees the whole history:
    // 2014-05-01 → 2024-06-02 is 3 685 days; open 2 + 1 days; 1 day after the reopening.
    expect(await fact(5, 2)).toMatchObject({ dtr: 2, active: 2, actor: 2, actor_name: "bob" });
    expect(await fact(5, 3)).toMatchObject({ event: "reopened", recent_opened: 20240601, actions: 2 });
    expect(await fact(5, 4)).toMatchObject({ dtr: 3685, active: 3, from_reopen: 1, reopenings: 1, actions: 3, closer: 2, actor_name: "robert" });
    expect(await status(5)).toEqual({ open: false, last: "closed", at: "2024-06-02 00:00:00" });

    // SCD2: one closed row for the old name, one current row for the new one.
    const bob = await db.sql`SELECT username, is_current, valid_to IS NOT NULL AS closed FROM dwh.dimension_users WHERE user_id = 2 ORDER BY dimension_user_id`;
    expect(bob.map((r) => [r.username, r.is_current, r.closed])).toEqual([["bob", false, true], ["robert", true, false]]);

    const touched = await db.sql`SELECT entity, array_agg(entity_id ORDER BY entity_id) AS ids FROM dwh.etl_run_touched WHERE run_id = ${report.runId} GROUP BY entity ORDER BY entity`;
    // Note 6: its commenter (1), opener (4) and closers (2, 3).
    expect(touched.map((t) => [t.entity, t.ids])).toEqual([["country", [100]], ["note", [5, 6, 8]], ["user", [1, 2, 3, 4]]]);

    // Experience of the renamed user counts all of its actions, under both names.
    const [level] = await db.sql`
      SELECT l.experience_level, u.total_notes_opened AS opened, u.total_notes_closed AS closed, u.resolution_ratio::float AS ratio,
             u.days_active, u.last_activity_date::text AS last
      FROM dwh.dimension_users u JOIN dwh.dimension_experience_levels l ON l.dimension_experience_id = u.experience_level_id
      WHERE u.user_id = 2 AND u.is_current`;
    // bob/robert: opened note 8; closed 1/2, 2/2, 5/2, 6/2, 5/4 → 5 closes; 2014-05-03 → 2024-06-03 = 3 684 days.
    expect(level).toEqual({ experience_level: "beginner", opened: 1, closed: 5, ratio: 100, days_active: 3684, last: "2024-06-03" });
  });

  test("a third run with nothing new touches nothing", async () => {
    const report = await runEtl(db.sql);
    expect(report).toMatchObject({ factsInserted: 0, factsUpdated: 0, notesTouched: 0 });
  });
});
