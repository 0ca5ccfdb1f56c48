// Shared by the ETL's integration tests: a migrated database per test file and a checksum
// of everything the ETL derives, with surrogate keys replaced by natural ones (their values
// are free and depend on load order; the facts they point to are what must be equal).
import { migrate } from "@osm-notes/dwh-sql";
import { applyBaseTables, freshDatabase, markBaseLoadComplete, type Sql, type TemplateSpec, type TestDatabase } from "@osm-notes/testkit";

export const dwhTemplate: TemplateSpec = {
  name: "dwh",
  prepare: async (sql) => {
    await applyBaseTables(sql);
    await migrate(sql);
  },
};

/** The dwh without base tables (for a separate ingestion database). */
export const dwhOnlyTemplate: TemplateSpec = { name: "dwh_only", prepare: (sql) => migrate(sql).then(() => {}) };

export const freshDwh = (): Promise<TestDatabase> => freshDatabase(dwhTemplate);

export async function emptyBaseTables(sql: Sql): Promise<void> {
  await sql`TRUNCATE notes, note_comments, note_comments_text, users, countries`;
  await markBaseLoadComplete(sql);
}

/**
 * Fact columns except fact_id and processing_time, users and countries as OSM ids, versions
 * and hashtags as text. dimension_id_automation is left out on purpose: by its definition
 * (dwh-etl §2.8) it is the user's level when the run loaded the fact, so it depends on how the
 * history was split into runs.
 */
export async function factsChecksum(sql: Sql): Promise<{ facts: number; md5: string; status: string; hashtags: number; users: string }> {
  const [row] = await sql<{ facts: number; md5: string; status: string; hashtags: number; users: string }[]>`
    SELECT count(*)::integer AS facts,
           (SELECT md5(string_agg(ROW(u.user_id, u.username, u.experience_level_id, u.total_notes_opened, u.total_notes_closed,
                                      u.days_active, u.resolution_ratio, u.last_activity_date)::text, E'\n' ORDER BY u.user_id))
            FROM dwh.dimension_users u WHERE u.is_current) AS users,
           md5(string_agg(x.line, E'\n' ORDER BY x.id_note, x.sequence_action)) AS md5,
           (SELECT md5(string_agg(ROW(s.id_note, c.country_id, s.is_currently_open, s.last_action_at, s.last_action_type,
                                      u.user_id, s.opened_dimension_id_date, s.opened_at, s.first_comment_seq,
                                      s.last_reopen_seq)::text, E'\n' ORDER BY s.id_note))
            FROM dwh.note_current_status s
            JOIN dwh.dimension_countries c ON c.dimension_country_id = s.dimension_id_country
            LEFT JOIN dwh.dimension_users u ON u.dimension_user_id = s.opened_dimension_id_user) AS status,
           (SELECT count(*)::integer FROM dwh.fact_hashtags) AS hashtags
    FROM (
      SELECT f.id_note, f.sequence_action,
             ROW(f.id_note, f.sequence_action, dc.country_id, f.action_at, f.action_comment,
                 f.action_dimension_id_date, f.action_dimension_id_hour_of_week, ua.user_id,
                 f.opened_dimension_id_date, f.opened_dimension_id_hour_of_week, uo.user_id,
                 f.closed_dimension_id_date, f.closed_dimension_id_hour_of_week, uc.user_id,
                 f.dimension_application_creation, av.version, f.recent_opened_dimension_id_date,
                 f.days_to_resolution, f.days_to_resolution_active, f.days_to_resolution_from_reopen,
                 f.hashtag_number, f.action_timezone_id, f.local_action_dimension_id_date,
                 f.local_action_dimension_id_hour_of_week, f.action_dimension_id_season, f.comment_length,
                 f.has_url, f.has_mention, f.total_comments_on_note, f.total_reopenings_count,
                 f.total_actions_on_note,
                 (SELECT string_agg(h.description || '@' || fh.position || fh.used_in_action || fh.is_opening_hashtag || fh.is_resolution_hashtag, ' ' ORDER BY fh.position)
                  FROM dwh.fact_hashtags fh JOIN dwh.dimension_hashtags h USING (dimension_hashtag_id)
                  WHERE fh.fact_id = f.fact_id))::text AS line
      FROM dwh.facts f
      JOIN dwh.dimension_countries dc ON dc.dimension_country_id = f.dimension_id_country
      LEFT JOIN dwh.dimension_users ua ON ua.dimension_user_id = f.action_dimension_id_user
      LEFT JOIN dwh.dimension_users uo ON uo.dimension_user_id = f.opened_dimension_id_user
      LEFT JOIN dwh.dimension_users uc ON uc.dimension_user_id = f.closed_dimension_id_user
      LEFT JOIN dwh.dimension_application_versions av ON av.dimension_application_version_id = f.dimension_application_version
    ) x`;
  return row!;
}

/**
 * Moves every base action after `cut` (and notes created after it) into holding tables, so
 * an ETL run sees the history up to the cut; `restoreAfterCut` brings them back.
 */
export async function holdBackAfter(sql: Sql, cut: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`CREATE TABLE IF NOT EXISTS held_comments (LIKE note_comments)`;
    await tx`CREATE TABLE IF NOT EXISTS held_texts (LIKE note_comments_text)`;
    await tx`CREATE TABLE IF NOT EXISTS held_notes (LIKE notes)`;
    // The anti-join of restoreAfterCut probes held_comments once per held text: without an
    // index and statistics, PostgreSQL 15 once planned it as a nested loop of sequential
    // scans (over 5 minutes at 100 000 notes instead of a second).
    await tx`CREATE INDEX IF NOT EXISTS held_comments_key ON held_comments (note_id, sequence_action)`;
    await tx`WITH moved AS (DELETE FROM note_comments_text t USING note_comments c
                             WHERE c.note_id = t.note_id AND c.sequence_action = t.sequence_action AND c.created_at > ${cut}::timestamp
                             RETURNING t.*)
             INSERT INTO held_texts SELECT * FROM moved`;
    await tx`WITH moved AS (DELETE FROM note_comments WHERE created_at > ${cut}::timestamp RETURNING *)
             INSERT INTO held_comments SELECT * FROM moved`;
    await tx`WITH moved AS (DELETE FROM notes n WHERE created_at > ${cut}::timestamp
                              AND NOT EXISTS (SELECT 1 FROM note_comments c WHERE c.note_id = n.note_id) RETURNING *)
             INSERT INTO held_notes SELECT * FROM moved`;
    await tx`ANALYZE held_comments, held_texts, held_notes, notes, note_comments, note_comments_text`;
  });
}

export async function restoreAfterCut(sql: Sql, cut: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`WITH moved AS (DELETE FROM held_notes WHERE created_at <= ${cut}::timestamp RETURNING *) INSERT INTO notes SELECT * FROM moved`;
    await tx`WITH moved AS (DELETE FROM held_comments WHERE created_at <= ${cut}::timestamp RETURNING *) INSERT INTO note_comments SELECT * FROM moved`;
    await tx`ANALYZE held_comments`;
    await tx`WITH moved AS (DELETE FROM held_texts t WHERE NOT EXISTS (SELECT 1 FROM held_comments c WHERE c.note_id = t.note_id AND c.sequence_action = t.sequence_action) RETURNING *)
             INSERT INTO note_comments_text SELECT * FROM moved`;
  });
}
