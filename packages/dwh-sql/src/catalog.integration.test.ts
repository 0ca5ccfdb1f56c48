import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { applyBaseTables, freshDatabase, type TestDatabase } from "@osm-notes/testkit";
import { columns, migrate, rows, tables } from "./index.ts";

// The created catalog against the names consumers depend on (spec consumers.md, dwh-etl.md
// §1–§6): OSM-Notes-API, OSM-Notes-Monitoring, analysts' SQL. A rename or type change here
// breaks one of them.
const template = { name: "dwh", prepare: async (sql: TestDatabase["sql"]) => { await applyBaseTables(sql); await migrate(sql); } };

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase(template);
}, 60_000);
afterAll(() => db.drop(), 30_000);

async function columnTypes(table: string): Promise<Map<string, string>> {
  const [schema, name] = table.split(".");
  const found = await db.sql<{ column_name: string; type: string }[]>`
    SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type
    FROM pg_attribute a
    WHERE a.attrelid = to_regclass(${`${schema}.${name}`}) AND a.attnum > 0 AND NOT a.attisdropped`;
  return new Map(found.map((c) => [c.column_name, c.type]));
}

const FACT_COLUMNS: Record<string, string> = {
  fact_id: "bigint", id_note: "integer", sequence_action: "integer", dimension_id_country: "integer",
  processing_time: "timestamp without time zone", action_at: "timestamp without time zone",
  action_comment: "note_event_enum", action_dimension_id_date: "integer", action_dimension_id_hour_of_week: "smallint",
  action_dimension_id_user: "integer", opened_dimension_id_date: "integer", opened_dimension_id_hour_of_week: "smallint",
  opened_dimension_id_user: "integer", closed_dimension_id_date: "integer", closed_dimension_id_hour_of_week: "smallint",
  closed_dimension_id_user: "integer", dimension_application_creation: "integer", dimension_application_version: "integer",
  recent_opened_dimension_id_date: "integer", days_to_resolution: "integer", days_to_resolution_active: "integer",
  days_to_resolution_from_reopen: "integer", hashtag_number: "integer", action_timezone_id: "integer",
  local_action_dimension_id_date: "integer", local_action_dimension_id_hour_of_week: "smallint",
  action_dimension_id_season: "smallint", comment_length: "integer", has_url: "boolean", has_mention: "boolean",
  total_comments_on_note: "integer", total_reopenings_count: "integer", total_actions_on_note: "integer",
  dimension_id_automation: "smallint",
};

describe("dwh.facts", () => {
  test("has exactly the spec's columns with the spec's types", async () => {
    expect(Object.fromEntries(await columnTypes("dwh.facts"))).toEqual(FACT_COLUMNS);
  });

  test("is range-partitioned on action_at with a default partition and one partition per year 2013…next year", async () => {
    const [key] = await db.sql`SELECT pg_get_partkeydef('dwh.facts'::regclass) AS def`;
    expect(key?.def).toBe("RANGE (action_at)");
    const parts = await db.sql<{ name: string; bound: string }[]>`
      SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'dwh.facts'::regclass ORDER BY c.relname`;
    const nextYear = new Date().getUTCFullYear() + 1;
    const years = Array.from({ length: nextYear - 2013 + 1 }, (_, i) => 2013 + i);
    expect(parts.map((p) => p.name)).toEqual([...years.map((y) => `facts_${y}`), "facts_default"]);
    expect(parts.find((p) => p.name === "facts_default")?.bound).toBe("DEFAULT");
    expect(parts.find((p) => p.name === "facts_2020")?.bound).toBe(
      "FOR VALUES FROM ('2020-01-01 00:00:00') TO ('2021-01-01 00:00:00')",
    );
  });
});

const API_READS: Record<string, Record<string, string>> = {
  "dwh.datamartusers": {
    dimension_user_id: "integer", user_id: "integer", username: "character varying(256)",
    history_whole_open: "integer", history_whole_closed: "integer", history_whole_commented: "integer",
    avg_days_to_resolution: "numeric(10,2)", resolution_rate: "numeric(5,2)", user_response_time: "numeric(12,2)",
    days_since_last_action: "integer", applications_used: "jsonb", collaboration_patterns: "jsonb",
    countries_open_notes: "jsonb", hashtags: "jsonb", date_starting_creating_notes: "date",
    date_starting_solving_notes: "date", last_year_activity: "character(371)", working_hours_of_week_opening: "jsonb",
  },
  "dwh.datamartcountries": {
    dimension_country_id: "integer", country_id: "integer", country_name: "character varying(100)",
    country_name_es: "character varying(100)", country_name_en: "character varying(100)",
    history_whole_open: "integer", history_whole_closed: "integer", avg_days_to_resolution: "numeric(10,2)",
    resolution_rate: "numeric(5,2)", notes_health_score: "numeric(5,2)", new_vs_resolved_ratio: "numeric(5,2)",
    notes_backlog_size: "integer", users_open_notes: "jsonb", applications_used: "jsonb", hashtags: "jsonb",
    working_hours_of_week_opening: "jsonb", iso_alpha2: "character varying(2)",
    notes_created_last_30_days: "integer", notes_resolved_last_30_days: "integer",
  },
  "dwh.datamartglobal": {
    dimension_global_id: "integer", history_whole_open: "integer", history_whole_closed: "integer",
    currently_open_count: "integer", avg_days_to_resolution: "numeric(10,2)", resolution_rate: "numeric(5,2)",
    active_users_count: "integer", notes_backlog_size: "integer", applications_used: "jsonb", top_countries: "jsonb",
  },
  "dwh.note_current_status": {
    id_note: "integer", dimension_id_country: "integer", opened_dimension_id_user: "integer",
    opened_dimension_id_date: "integer", is_currently_open: "boolean", last_action_at: "timestamp without time zone",
    last_action_type: "note_event_enum", last_updated: "timestamp without time zone",
    opened_at: "timestamp without time zone", first_comment_seq: "integer", last_reopen_seq: "integer",
  },
  "dwh.dimension_users": {
    dimension_user_id: "integer", user_id: "integer", username: "character varying(256)", modified: "boolean",
    valid_from: "timestamp without time zone", valid_to: "timestamp without time zone", is_current: "boolean",
    experience_level_id: "smallint", resolution_ratio: "numeric(5,2)", last_activity_date: "date",
  },
  "dwh.dimension_countries": {
    dimension_country_id: "integer", country_id: "integer", country_name_es: "character varying(100)",
    country_name_en: "character varying(100)", iso_alpha2: "character varying(2)", iso_alpha3: "character varying(3)",
    region_id: "integer", modified: "boolean",
  },
  "public.schema_version": {
    component: "character varying(64)", version: "character varying(16)", updated_at: "timestamp without time zone",
  },
};

describe("columns consumers read", () => {
  for (const [table, expected] of Object.entries(API_READS)) {
    test(`${table} has them with their types`, async () => {
      const actual = await columnTypes(table);
      for (const [column, type] of Object.entries(expected)) expect([column, actual.get(column)]).toEqual([column, type]);
    });
  }

  test("datamarts are keyed by OSM user id, country id and the single global id", async () => {
    const keys = await db.sql<{ rel: string; key: string }[]>`
      SELECT conrelid::regclass::text AS rel, pg_get_constraintdef(oid) AS key FROM pg_constraint
      WHERE contype = 'p' AND conrelid IN ('dwh.datamartusers'::regclass, 'dwh.datamartcountries'::regclass,
                                           'dwh.datamartglobal'::regclass) ORDER BY 1`;
    expect([...keys]).toEqual([
      { rel: "dwh.datamartcountries", key: "PRIMARY KEY (country_id)" },
      { rel: "dwh.datamartglobal", key: "PRIMARY KEY (dimension_global_id)" },
      { rel: "dwh.datamartusers", key: "PRIMARY KEY (user_id)" },
    ]);
  });

  test("per-year data is one jsonb column per family, no history_YYYY_* columns", async () => {
    const yearly = await db.sql`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'dwh' AND column_name ~ '_(19|20)[0-9]{2}(_|$)'`;
    expect([...yearly]).toEqual([]);
    const users = await columnTypes("dwh.datamartusers");
    const countries = await columnTypes("dwh.datamartcountries");
    expect([users.get("history_by_year"), users.get("ranking_countries_opening_by_year"), users.get("ranking_countries_closing_by_year")])
      .toEqual(["jsonb", "jsonb", "jsonb"]);
    expect([countries.get("history_by_year"), countries.get("ranking_users_opening_by_year"), countries.get("ranking_users_closing_by_year")])
      .toEqual(["jsonb", "jsonb", "jsonb"]);
  });
});

describe("zod row schemas", () => {
  for (const [key, table] of Object.entries(tables)) {
    test(`rows.${key} names exactly the columns of ${table}`, async () => {
      const dbColumns = [...(await columnTypes(table)).keys()].sort();
      expect([...columns[key as keyof typeof columns]].sort() as string[]).toEqual(dbColumns);
    });
  }

  test("the seeded global row and a dimension row parse", async () => {
    const [global] = await db.sql`SELECT * FROM dwh.datamartglobal`;
    expect(rows.datamartglobal.parse(global).dimension_global_id).toBe(1);
    const [anonymous] = await db.sql`SELECT * FROM dwh.dimension_users WHERE user_id = -1`;
    expect(rows.dimension_users.parse(anonymous).username).toBe("Anonymous");
  });
});

describe("objects by name", () => {
  test("every table and view of the spec exists", async () => {
    const expected = [
      "contributor_types", "datamartcountries", "datamartglobal", "datamartusers", "dimension_application_versions",
      "dimension_applications", "dimension_automation_level", "dimension_continents", "dimension_countries",
      "dimension_days", "dimension_experience_levels", "dimension_hashtags", "dimension_regions", "dimension_seasons",
      "dimension_time_of_week", "dimension_timezones", "dimension_users", "etl_quarantine", "etl_run_touched",
      "etl_runs", "fact_hashtags", "facts", "iso_country_codes", "note_current_status", "properties",
      "schema_migrations", "v_currently_open_notes_by_country", "v_currently_open_notes_by_user",
    ];
    const found = await db.sql<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'dwh' AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition ORDER BY 1`;
    // Every object of the spec, by its exact name; later migrations may add their own tables.
    expect(found.map((f) => f.name)).toEqual(expect.arrayContaining(expected));
  });

  test("views expose the spec's columns", async () => {
    expect(Object.fromEntries(await columnTypes("dwh.v_currently_open_notes_by_country"))).toEqual({
      dimension_id_country: "integer", currently_open_count: "bigint",
    });
    expect(Object.fromEntries(await columnTypes("dwh.v_currently_open_notes_by_user"))).toEqual({
      opened_dimension_id_user: "integer", currently_open_count: "bigint",
    });
  });

  test("functions Monitoring and analysts call have their exact signatures", async () => {
    const fns = await db.sql<{ name: string; args: string; result: string }[]>`
      SELECT p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS result
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'dwh' ORDER BY 1`;
    const by = new Map(fns.map((f) => [f.name, f]));
    const table = "TABLE(check_name text, status text, issue_count bigint, details text)";
    expect(by.get("validate_note_current_status")).toEqual({ name: "validate_note_current_status", args: "", result: table });
    expect(by.get("validate_comment_counts")).toEqual({ name: "validate_comment_counts", args: "", result: table });
    expect(by.get("validate_dwh_integrity")).toEqual({ name: "validate_dwh_integrity", args: "", result: table });
    expect(by.get("get_date_id")).toEqual({ name: "get_date_id", args: "p_date timestamp without time zone", result: "integer" });
    expect(by.get("get_hour_of_week_id")).toEqual({
      name: "get_hour_of_week_id", args: "p_date timestamp without time zone", result: "smallint",
    });
    expect(by.get("ensure_fact_partitions")?.args).toBe("p_from_year integer, p_to_year integer");
    expect(by.get("ensure_days")?.args).toBe("p_from date, p_to date");
    expect(by.get("grant_roles")?.args).toBe("p_writer text, p_analyst text");
  });

  test("username is indexed but not unique in dimension_users", async () => {
    const idx = await db.sql<{ def: string }[]>`
      SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'dwh' AND tablename = 'dimension_users'`;
    const onUsername = idx.filter((i) => /\(username\)/.test(i.def));
    expect(onUsername).toHaveLength(1);
    expect(onUsername[0]?.def).not.toContain("UNIQUE");
    expect(idx.some((i) => i.def.includes("UNIQUE") && i.def.includes("(user_id) WHERE is_current"))).toBe(true);
  });

  test("every index of dwh carries no duplicate definition", async () => {
    const dupes = await db.sql`
      SELECT indrelid::regclass AS rel, indkey::text AS key, count(*) FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'dwh' AND NOT c.relispartition
      GROUP BY 1, 2, coalesce(pg_get_expr(indpred, indrelid), '') HAVING count(*) > 1`;
    expect([...dupes]).toEqual([]);
  });
});
