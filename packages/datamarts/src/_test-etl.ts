// Helpers of the tests that run the real ETL: hold back the newest base rows, release them in
// steps (each step is one incremental ETL run), and snapshot every datamart row.
import type { Sql } from "@osm-notes/testkit";

/** Every datamart row and badge, without the export bookkeeping columns. */
export async function snapshot(sql: Sql): Promise<Record<string, unknown[]>> {
  const strip = "- 'updated_at' - 'exported_at'";
  const q = async (text: string) => (await sql.unsafe<{ j: unknown }[]>(text)).map((r) => r.j);
  return {
    users: await q(`SELECT to_jsonb(t) ${strip} AS j FROM dwh.datamartusers t ORDER BY user_id`),
    countries: await q(`SELECT to_jsonb(t) ${strip} AS j FROM dwh.datamartcountries t ORDER BY country_id`),
    global: await q(`SELECT to_jsonb(t) ${strip} AS j FROM dwh.datamartglobal t`),
    badges: await q(`SELECT to_jsonb(t) AS j FROM dwh.badges_per_users t ORDER BY user_id, badge_id`),
    // The countries' notes state (migration 0036): merged by touched builds, rebuilt by full ones.
    noteDays: await q(`SELECT to_jsonb(t) AS j FROM dwh.datamart_country_note_days t ORDER BY country_id, day`),
    notes: await q(`SELECT to_jsonb(t) AS j FROM dwh.datamart_country_notes t ORDER BY id_note`),
    // Closes per year and value (0041), their averages and medians, actions per calendar period (0042).
    resolutionValues: await q(`SELECT to_jsonb(t) AS j FROM dwh.datamart_country_resolution_values t ORDER BY country_id, year, days`),
    closeStats: await q(`SELECT to_jsonb(t) AS j FROM dwh.datamart_country_close_stats t ORDER BY country_id, year, month`),
    periods: await q(`SELECT to_jsonb(t) AS j FROM dwh.datamart_country_periods t ORDER BY country_id, kind, value`),
  };
}

/** Moves the notes created after `cut` and the actions after `cut` (or on such notes) out of the base tables. */
export async function holdBack(sql: Sql, cut: string): Promise<void> {
  await sql.unsafe(`
    CREATE TABLE hold_notes AS SELECT * FROM public.notes WHERE created_at > '${cut}';
    CREATE TABLE hold_comments AS SELECT * FROM public.note_comments
      WHERE created_at > '${cut}' OR note_id IN (SELECT note_id FROM hold_notes);
    CREATE TABLE hold_texts AS SELECT t.* FROM public.note_comments_text t
      JOIN hold_comments c ON c.note_id = t.note_id AND c.sequence_action = t.sequence_action;
    DELETE FROM public.note_comments_text t USING hold_texts h WHERE t.id = h.id;
    DELETE FROM public.note_comments c USING hold_comments h WHERE c.id = h.id;
    DELETE FROM public.notes n USING hold_notes h WHERE n.note_id = h.note_id;`);
}

/** Puts back the held notes and actions up to `upTo` (actions only when their note is back). */
export async function release(sql: Sql, upTo: string): Promise<void> {
  await sql.unsafe(`
    WITH m AS (DELETE FROM hold_notes WHERE created_at <= '${upTo}' RETURNING *) INSERT INTO public.notes SELECT * FROM m;
    WITH m AS (DELETE FROM hold_comments c WHERE created_at <= '${upTo}'
                 AND EXISTS (SELECT 1 FROM public.notes n WHERE n.note_id = c.note_id) RETURNING *)
    INSERT INTO public.note_comments SELECT * FROM m;
    WITH m AS (DELETE FROM hold_texts t USING public.note_comments c
               WHERE t.note_id = c.note_id AND t.sequence_action = c.sequence_action RETURNING t.*)
    INSERT INTO public.note_comments_text SELECT * FROM m;`);
}

