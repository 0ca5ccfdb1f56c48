// Test fixture builder: writes dimension rows, facts, fact_hashtags and note_current_status by
// hand, with the column rules of spec/dwh-etl.md §3.2, so datamart tests do not depend on the ETL.
import type { Sql } from "postgres";

export type Action = "opened" | "commented" | "closed" | "reopened" | "hidden";

export interface FixtureAction {
  /** UTC "YYYY-MM-DD HH:MM[:SS]". */
  at: string;
  type: Action;
  /** OSM user id; -1 (or omitted) = Anonymous. */
  user?: number;
  text?: string;
  /** Application name of dimension_applications (opened rows only). */
  app?: string;
  version?: string;
}

export interface FixtureNote {
  id: number;
  /** OSM country id (must exist: seed it with country()). */
  country: number;
  actions: FixtureAction[];
}

const HASHTAG = /#(\w+)/gu;

export class Fixture {
  private runs = 0;
  constructor(readonly sql: Sql<any>) {}

  /** A current dimension row for an OSM user (a second call with a new name is a rename: SCD2). */
  async user(userId: number, username: string | null, validFrom = "2013-01-01"): Promise<number> {
    const [old] = await this.sql<{ dimension_user_id: number; username: string | null }[]>`
      SELECT dimension_user_id, username FROM dwh.dimension_users WHERE user_id = ${userId} AND is_current`;
    if (old && old.username === username) return old.dimension_user_id;
    if (old)
      await this.sql`UPDATE dwh.dimension_users SET is_current = false, valid_to = ${validFrom}::timestamp
                     WHERE dimension_user_id = ${old.dimension_user_id}`;
    const [row] = await this.sql<{ dimension_user_id: number }[]>`
      INSERT INTO dwh.dimension_users (user_id, username, valid_from, is_current)
      VALUES (${userId}, ${username}, ${validFrom}::timestamp, true) RETURNING dimension_user_id`;
    return row!.dimension_user_id;
  }

  async country(countryId: number, name: string, nameEs = name, nameEn = name): Promise<void> {
    await this.sql`INSERT INTO dwh.dimension_countries (country_id, country_name, country_name_es, country_name_en, region_id)
                   VALUES (${countryId}, ${name}, ${nameEs}, ${nameEn}, 1) ON CONFLICT (country_id) DO NOTHING`;
  }

  private async currentDim(userId: number | undefined): Promise<number> {
    const [row] = await this.sql<{ dimension_user_id: number }[]>`
      SELECT dimension_user_id FROM dwh.dimension_users WHERE user_id = ${userId ?? -1} AND is_current`;
    if (!row) throw new Error(`fixture: user ${userId} has no dimension row`);
    return row.dimension_user_id;
  }

  /**
   * Inserts a note's actions as facts (in order; sequence_action 1…n) and its current status.
   * factIds: the fact_id to keep for a sequence_action (extendNote), a new one otherwise.
   */
  async note(note: FixtureNote, factIds: ReadonlyMap<number, string> = new Map()): Promise<void> {
    const sql = this.sql;
    const [dc] = await sql<{ dimension_country_id: number }[]>`
      SELECT dimension_country_id FROM dwh.dimension_countries WHERE country_id = ${note.country}`;
    if (!dc) throw new Error(`fixture: country ${note.country} missing`);
    const years = note.actions.map((a) => Number(a.at.slice(0, 4)));
    await sql`SELECT dwh.ensure_fact_partitions(${Math.min(...years)}, ${Math.max(...years)})`;
    await sql`SELECT dwh.ensure_days(${`${Math.min(...years)}-01-01`}::date, ${`${Math.max(...years)}-12-31`}::date)`;
    const opening = note.actions.find((a) => a.type === "opened");
    const created = opening?.at ?? note.actions[0]!.at;
    const openerDim = opening ? await this.currentDim(opening.user) : null;
    let comments = 0;
    let reopenings = 0;
    let lastReopen: string | null = null;
    for (const [i, a] of note.actions.entries()) {
      const dim = await this.currentDim(a.user);
      const text = a.text ?? "";
      const closed = a.type === "closed";
      let app: number | null = null;
      let version: number | null = null;
      if (a.app && a.type === "opened") {
        const [r] = await sql<{ id: number }[]>`
          SELECT dimension_application_id AS id FROM dwh.dimension_applications WHERE application_name = ${a.app} ORDER BY priority LIMIT 1`;
        if (!r) throw new Error(`fixture: application ${a.app} missing`);
        app = r.id;
        if (a.version) {
          const [v] = await sql<{ id: number }[]>`
            INSERT INTO dwh.dimension_application_versions (dimension_application_id, version) VALUES (${app}, ${a.version})
            ON CONFLICT (dimension_application_id, version) DO UPDATE SET version = EXCLUDED.version
            RETURNING dimension_application_version_id AS id`;
          version = v!.id;
        }
      }
      const tags = [...text.matchAll(HASHTAG)].map((m) => m[1]!);
      const [fact] = await sql<{ fact_id: string }[]>`
        INSERT INTO dwh.facts (fact_id, id_note, sequence_action, dimension_id_country, action_at, action_comment,
          action_dimension_id_date, action_dimension_id_hour_of_week, action_dimension_id_user,
          opened_dimension_id_date, opened_dimension_id_hour_of_week, opened_dimension_id_user,
          closed_dimension_id_date, closed_dimension_id_hour_of_week, closed_dimension_id_user,
          dimension_application_creation, dimension_application_version, days_to_resolution,
          days_to_resolution_from_reopen, hashtag_number, comment_length, has_url, has_mention,
          total_comments_on_note, total_reopenings_count, total_actions_on_note)
        SELECT coalesce(${factIds.get(i + 1) ?? null}::bigint, nextval('dwh.facts_fact_id_seq')),
          ${note.id}, ${i + 1}, ${dc.dimension_country_id}, t, ${a.type}::note_event_enum,
          to_char(t, 'YYYYMMDD')::integer, (extract(isodow FROM t) * 100 + extract(hour FROM t))::smallint, ${dim},
          to_char(c, 'YYYYMMDD')::integer, (extract(isodow FROM c) * 100 + extract(hour FROM c))::smallint, ${openerDim},
          CASE WHEN ${closed} THEN to_char(t, 'YYYYMMDD')::integer END,
          CASE WHEN ${closed} THEN (extract(isodow FROM t) * 100 + extract(hour FROM t))::smallint END,
          CASE WHEN ${closed} THEN ${dim}::integer END,
          ${app}, ${version},
          CASE WHEN ${closed} THEN t::date - c::date END,
          CASE WHEN ${closed} AND ${lastReopen}::timestamp IS NOT NULL THEN t::date - ${lastReopen}::timestamp::date END,
          ${tags.length}, ${text.length}, ${/https?:\/\//.test(text)}, ${/@\w+/.test(text)},
          ${comments}, ${reopenings}, ${i}
        FROM (SELECT ${a.at}::timestamp AS t, ${created}::timestamp AS c) x
        RETURNING fact_id::text`;
      for (const [p, tag] of tags.entries()) {
        await sql`INSERT INTO dwh.dimension_hashtags (description) VALUES (${tag}) ON CONFLICT (description) DO NOTHING`;
        await sql`INSERT INTO dwh.fact_hashtags (fact_id, dimension_hashtag_id, position, used_in_action, is_opening_hashtag, is_resolution_hashtag)
                  SELECT ${fact!.fact_id}::bigint, dimension_hashtag_id, ${p + 1}, ${a.type}::note_event_enum, ${a.type === "opened"}, ${closed}
                  FROM dwh.dimension_hashtags WHERE description = ${tag}`;
      }
      if (a.type === "commented") comments++;
      if (a.type === "reopened") {
        reopenings++;
        lastReopen = a.at;
      }
    }
    const states = note.actions.filter((a) => a.type === "opened" || a.type === "closed" || a.type === "reopened");
    // sequence_action (1-based) of the first / last action of a type, null if none.
    const seqOf = (type: Action, which: "first" | "last"): number | null => {
      const i = which === "first" ? note.actions.findIndex((a) => a.type === type) : note.actions.findLastIndex((a) => a.type === type);
      return i < 0 ? null : i + 1;
    };
    const last = states.at(-1);
    if (last) {
      await sql`
        INSERT INTO dwh.note_current_status (id_note, dimension_id_country, opened_dimension_id_user, opened_dimension_id_date,
          is_currently_open, last_action_at, last_action_type, opened_at, first_comment_seq, last_reopen_seq)
        VALUES (${note.id}, ${dc.dimension_country_id}, ${openerDim}, to_char(${created}::timestamp, 'YYYYMMDD')::integer,
          ${last.type !== "closed"}, ${last.at}::timestamp, ${last.type}::note_event_enum,
          ${opening?.at ?? null}::timestamp, ${seqOf("commented", "first")}, ${seqOf("reopened", "last")})
        ON CONFLICT (id_note) DO UPDATE SET is_currently_open = EXCLUDED.is_currently_open,
          last_action_at = EXCLUDED.last_action_at, last_action_type = EXCLUDED.last_action_type,
          first_comment_seq = EXCLUDED.first_comment_seq, last_reopen_seq = EXCLUDED.last_reopen_seq`;
    }
  }

  /**
   * Appends actions to an existing note (as a later ETL run would): re-inserts the whole note,
   * so the note-level columns of its earlier facts are recomputed, but keeps their fact ids (an
   * incremental ETL run updates loaded facts in place and only appends new ones: the global
   * state counts facts by id).
   */
  async extendNote(note: FixtureNote): Promise<void> {
    const loaded = await this.sql<{ seq: number; at: string; type: string; fact_id: string }[]>`
      SELECT sequence_action AS seq, to_char(action_at, 'YYYY-MM-DD HH24:MI') AS at, action_comment::text AS type, fact_id::text
      FROM dwh.facts WHERE id_note = ${note.id}`;
    for (const f of loaded) {
      const a = note.actions[f.seq - 1];
      if (a?.at !== f.at || a.type !== f.type) throw new Error(`fixture: extendNote(${note.id}) may only append actions (action ${f.seq} differs)`);
    }
    await this.sql`DELETE FROM dwh.fact_hashtags WHERE fact_id IN (SELECT fact_id FROM dwh.facts WHERE id_note = ${note.id})`;
    await this.sql`DELETE FROM dwh.facts WHERE id_note = ${note.id}`;
    await this.note(note, new Map(loaded.map((f) => [f.seq, f.fact_id])));
  }

  /** Records a finished ETL run that touched these notes / users / countries; returns its id. */
  async etlRun(touched: { notes?: number[]; users?: number[]; countries?: number[] }): Promise<number> {
    this.runs++;
    const [run] = await this.sql<{ run_id: string }[]>`
      INSERT INTO dwh.etl_runs (mode, status, finished_at) VALUES ('incremental', 'succeeded', now() AT TIME ZONE 'UTC')
      RETURNING run_id::text`;
    const id = Number(run!.run_id);
    const rows = [
      ...(touched.notes ?? []).map((e) => ({ run_id: id, entity: "note", entity_id: e })),
      ...(touched.users ?? []).map((e) => ({ run_id: id, entity: "user", entity_id: e })),
      ...(touched.countries ?? []).map((e) => ({ run_id: id, entity: "country", entity_id: e })),
    ];
    if (rows.length > 0) await this.sql`INSERT INTO dwh.etl_run_touched ${this.sql(rows)} ON CONFLICT DO NOTHING`;
    return id;
  }
}
