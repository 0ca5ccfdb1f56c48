import { defineCommand } from "citty";
import * as z from "zod";
import {
  countryProfile,
  globalProfile,
  userProfile,
  type CountryProfile,
  type GlobalProfile,
  type UserProfile,
} from "@osm-notes/datamarts";
import { runCommand } from "../run-command.ts";

const argsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user"), target: z.string().min(1, "give a username or an OSM user id"), json: z.boolean() }),
  z.object({ kind: z.literal("country"), target: z.string().min(1, "give a country name, ISO code or OSM id"), json: z.boolean() }),
  z.object({ kind: z.literal("global"), target: z.undefined(), json: z.boolean() }),
]);

export default defineCommand({
  meta: {
    name: "profile",
    description:
      "Print a readable profile from the datamarts: `profile user <name-or-id>`, `profile country <name-or-id>` " +
      "or `profile global`. --json prints the profile document instead.",
  },
  args: {
    kind: { type: "positional", description: "user, country or global", required: true },
    target: { type: "positional", description: "username / user id, or country name / ISO code / id", required: false },
    json: { type: "boolean", description: "Print the profile document as JSON", default: false },
  },
  run: ({ args }) =>
    runCommand(async ({ db }) => {
      const a = argsSchema.parse({ kind: args.kind, target: args.target || undefined, json: args.json });
      let doc: UserProfile | CountryProfile | GlobalProfile | null;
      if (a.kind === "user") doc = await userProfile(db.sql, a.target);
      else if (a.kind === "country") doc = await countryProfile(db.sql, a.target);
      else doc = await globalProfile(db.sql);
      if (!doc) {
        throw Object.assign(new Error(`no ${a.kind} "${a.target ?? ""}" in the datamarts`), {
          code: "not_found",
          hint: "check the spelling, or run `datamarts` after the ETL so the datamarts are built",
        });
      }
      if (a.json) {
        process.stdout.write(`${JSON.stringify(doc)}\n`);
        return;
      }
      process.stdout.write(a.kind === "user" ? renderUser(doc as UserProfile) : a.kind === "country" ? renderCountry(doc as CountryProfile) : renderGlobal(doc as GlobalProfile));
    }),
});

type Counts = Record<string, unknown>;
const day = (d: Date | null): string => (d ? d.toISOString().slice(0, 10) : "—");
const num = (n: number | null | undefined): string => (n === null || n === undefined ? "—" : n.toLocaleString("en"));
const noteUrl = (id: number | null): string => (id ? `https://www.openstreetmap.org/note/${id}` : "—");
const pad = (s: string, n: number): string => s.padEnd(n);

function actionsTable(row: Counts): string {
  const types = ["open", "commented", "closed", "closed_with_comment", "reopened"] as const;
  const head = `${pad("", 14)}${["Opened", "Commented", "Closed", "Cld w/cmmt", "Reopened"].map((h) => h.padStart(11)).join("")}`;
  const line = (label: string, period: string) =>
    `${pad(label, 14)}${types.map((t) => num(row[`history_${period}_${t}`] as number).padStart(11)).join("")}`;
  return [head, line("Total", "whole"), line("Current year", "year"), line("Current month", "month"), line("Today", "day")].join("\n");
}

function byYear(history: Record<string, { open: number; commented: number; closed: number; closed_with_comment: number; reopened: number }>): string {
  const years = Object.keys(history).sort();
  if (years.length === 0) return "  (none)";
  return years
    .map((y) => {
      const h = history[y]!;
      return `  ${y}${[h.open, h.commented, h.closed, h.closed_with_comment, h.reopened].map((v) => num(v ?? 0).padStart(11)).join("")}`;
    })
    .join("\n");
}

/** 7 weekday rows (Mon…Sun) × 53 week columns of the 371-day activity string, today last. */
function tiles(activity: string | null): string {
  if (!activity) return "  (none)";
  const todayDow = (new Date().getUTCDay() + 6) % 7; // 0 = Monday
  const start = 371 - 1 - todayDow - 52 * 7; // index of the Monday 52 weeks before this week's Monday
  const names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const glyph = (c: string | undefined) => (c === undefined ? " " : c === "0" ? "·" : c);
  return names
    .map((n, dow) => {
      let line = `  ${n} `;
      for (let w = 0; w < 53; w++) line += glyph(activity[start + w * 7 + dow]);
      return line;
    })
    .join("\n");
}

function list<T>(items: T[] | null | undefined, show: (t: T) => string, max = 10): string {
  if (!items || items.length === 0) return "  (none)";
  return items.slice(0, max).map((t) => `  ${show(t)}`).join("\n");
}

function workingHours(items: { day_of_week: number; hour_of_day: number; count: number }[] | null): string {
  if (!items || items.length === 0) return "  (none)";
  const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const i of items) grid[i.day_of_week - 1]![i.hour_of_day] = i.count;
  const names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const head = `      ${Array.from({ length: 24 }, (_, h) => String(h).padStart(4)).join("")}`;
  return [head, ...grid.map((r, d) => `  ${names[d]} ${r.map((c) => (c ? String(c) : "·").padStart(4)).join("")}`)].join("\n");
}

function renderUser(p: UserProfile): string {
  const out = [
    `User name: ${p.username ?? "(unknown)"} (id: ${p.user_id})`,
    `Contributor type: ${p.contributor_type_name_en ?? "—"}${p.contributor_type_name ? ` (${p.contributor_type_name})` : ""}`,
    `Started creating notes: ${day(p.date_starting_creating_notes)}   solving notes: ${day(p.date_starting_solving_notes)}`,
    `Days since last action: ${num(p.days_since_last_action)}${(p.days_since_last_action ?? 0) > 365 ? "  (inactive for over a year)" : ""}`,
    "",
    `First opened:    ${noteUrl(p.first_open_note_id)}`,
    `First commented: ${noteUrl(p.first_commented_note_id)}`,
    `First closed:    ${noteUrl(p.first_closed_note_id)}`,
    `Latest opened:   ${noteUrl(p.latest_open_note_id)}`,
    `Latest closed:   ${noteUrl(p.latest_closed_note_id)}`,
    "",
    "Activity, last 53 weeks (digit = activity score of the day):",
    tiles(p.last_year_activity),
    "",
    actionsTable(p as unknown as Counts),
    "",
    `Per year        Opened  Commented     Closed Cld w/cmmt   Reopened`,
    byYear(p.history_by_year),
    "",
    `Resolution: ${num(p.notes_resolved_count)} notes resolved, average ${p.avg_days_to_resolution ?? 0} days, median ${p.median_days_to_resolution ?? 0} days; ` +
      `${p.resolution_rate ?? 0} % of the notes opened are closed; ${num(p.notes_still_open_count)} still open`,
    `Response time to others' notes: ${p.user_response_time ?? 0} days`,
    "",
    "Countries where notes were opened:",
    list(p.countries_open_notes, (c) => `${String(c.rank).padStart(3)}. ${c.country ?? "?"} (${c.quantity})`),
    "Countries where notes were closed:",
    list(p.countries_solving_notes, (c) => `${String(c.rank).padStart(3)}. ${c.country ?? "?"} (${c.quantity})`),
    "",
    `Hashtags (favourite opening: ${p.favorite_opening_hashtag ?? "—"}, resolution: ${p.favorite_resolution_hashtag ?? "—"}):`,
    list(p.hashtags, (h) => `${String(h.rank).padStart(3)}. #${h.hashtag} (${h.quantity})`),
    "",
    `Applications (mobile: ${num(p.mobile_apps_count)}, desktop: ${num(p.desktop_apps_count)}):`,
    list(p.applications_used, (a) => `${a.app_name} (${a.count})`),
    "",
    "Opening hours (UTC):",
    workingHours(p.working_hours_of_week_opening),
    "Closing hours (UTC):",
    workingHours(p.working_hours_of_week_closing),
    "",
    "Badges:",
    list(p.badges, (b) => `${b.badge_name} (${b.date_awarded})`, 100),
  ];
  return `${out.join("\n")}\n`;
}

function renderCountry(p: CountryProfile): string {
  const out = [
    `COUNTRY name: ${p.country_name_en ?? p.country_name ?? "?"} (id: ${p.country_id})${p.iso_alpha2 ? ` [${p.iso_alpha2}]` : ""}`,
    `Started: ${day(p.date_starting_creating_notes)}   first close: ${day(p.date_starting_solving_notes)}`,
    `Health score: ${p.notes_health_score ?? "—"}   new vs resolved (30 days): ${p.new_vs_resolved_ratio ?? "—"}`,
    `Open now: ${num(p.notes_still_open_count)}   resolution rate: ${p.resolution_rate ?? 0} %   average ${p.avg_days_to_resolution ?? 0} days, median ${p.median_days_to_resolution ?? 0} days`,
    "",
    "Activity, last 53 weeks:",
    tiles(p.last_year_activity),
    "",
    actionsTable(p as unknown as Counts),
    "",
    `Per year        Opened  Commented     Closed Cld w/cmmt   Reopened`,
    byYear(p.history_by_year),
    "",
    "Users opening notes:",
    list(p.users_open_notes, (u) => `${String(u.rank).padStart(3)}. ${u.username ?? "?"} (${u.quantity})`),
    "Users closing notes:",
    list(p.users_solving_notes, (u) => `${String(u.rank).padStart(3)}. ${u.username ?? "?"} (${u.quantity})`),
    "",
    "Hashtags:",
    list(p.hashtags, (h) => `${String(h.rank).padStart(3)}. #${h.hashtag} (${h.quantity})`),
    "",
    "Applications:",
    list(p.applications_used, (a) => `${a.app_name} (${a.count})`),
    "",
    "Opening hours (UTC):",
    workingHours(p.working_hours_of_week_opening),
  ];
  return `${out.join("\n")}\n`;
}

function renderGlobal(p: GlobalProfile): string {
  const out = [
    "=== GLOBAL OSM NOTES STATISTICS ===",
    actionsTable({ ...(p as unknown as Counts), history_month_open: null, history_day_open: null }).split("\n").slice(0, 3).join("\n"),
    "",
    `Currently open: ${num(p.currently_open_count)}   closed: ${num(p.currently_closed_count)}`,
    `First note: ${noteUrl(p.first_open_note_id)}   latest opened: ${noteUrl(p.latest_open_note_id)}`,
    `Resolution: average ${p.avg_days_to_resolution ?? 0} days, median ${p.median_days_to_resolution ?? 0} days, rate ${p.resolution_rate ?? 0} %`,
    `Last 30 days: ${num(p.notes_created_last_30_days)} notes created, ${num(p.notes_resolved_last_30_days)} resolved, ${num(p.active_users_count)} active users`,
    "",
    "Activity, last 53 weeks:",
    tiles(p.last_year_activity),
    "",
    "Top countries:",
    list(p.top_countries, (c) => `${c.country_name ?? c.country_id} (${num(c.total_actions)})`),
    "",
    "Applications:",
    list(p.applications_used, (a) => `${a.application_name} (${num(a.usage_count)})`),
  ];
  return `${out.join("\n")}\n`;
}
