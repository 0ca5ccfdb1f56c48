import type { NoteEvent } from "../planet/notes-xml-reader.ts";
import { replayNoteStatus, type NoteStatus } from "../note-status.ts";
import { Random, Weighted } from "./random.ts";
import {
  CLOSING_TEXTS, COMMENT_TEXTS, COUNTRIES, HIDE_TEXTS, OPENING_TEXTS, PLACE_WORDS, REOPEN_TEXTS,
  usernameFor, type CountryEntry,
} from "./vocabulary.ts";

export interface SimulationOptions {
  notes: number;
  seed: number;
  /** First note's creation (UTC). */
  from: Date;
  /** Nothing happens after this instant (UTC); open notes stay open. */
  until: Date;
}

export interface SimulatedAction {
  sequence: number;
  event: NoteEvent;
  createdAt: string;
  /** Rank in the user pool; -1 = anonymous. */
  userRank: number;
  body: string;
}

export interface SimulatedNote {
  id: number;
  latitude: string;
  longitude: string;
  createdAt: string;
  status: NoteStatus;
  closedAt: string | null;
  countryId: number | null;
  actions: SimulatedAction[];
}

/** Odd country ids of real data: -1 international waters, -2 not found, NULL not assigned, stale ids. */
const SPECIAL_COUNTRIES: readonly (readonly [number | null, number])[] = [
  [-1, 0.015],
  [-2, 0.01],
  [null, 0.015],
  [424242424, 0.001], // an id absent from countries (a boundary removed upstream)
];

const DAY = 86_400;
const USER_ID_PRIME = 29_999_999;
const MODERATORS = 5; // ranks that hide notes: a handful of accounts, as in OSM

/** Size of the user pool for a number of notes (the sample has ~0.85 users per note; the planet fewer). */
export function userPoolSize(notes: number): number {
  return Math.max(50, Math.round(notes * 0.35));
}

/** OSM uid of a pool rank: unique, scattered over 1…30 M like real uids. */
export function uidOfRank(rank: number): number {
  return 1 + ((rank * 7919 + 104_729) % USER_ID_PRIME);
}

export { usernameFor };

/**
 * Simulates notes in creation order. Calibrated on the 994-note sample: ~75 % of notes are
 * opened and closed once, ~9 % only opened, the rest carry comments, reopenings (7 % of
 * closes) and occasionally a hide; 40 % of openings and 27 % of comments are anonymous;
 * time to close is a mix of same-day closes and a log-normal with a tail of years
 * (median about four weeks); user
 * activity is Zipf-distributed. Deterministic for a seed.
 */
export function* simulateNotes(options: SimulationOptions): Generator<SimulatedNote> {
  const random = new Random(options.seed);
  const countries = new Weighted<CountryEntry>(COUNTRIES, (c) => c[6]);
  const opening = new Weighted(OPENING_TEXTS, (t) => t[1]);
  const comment = new Weighted(COMMENT_TEXTS, (t) => t[1]);
  const closing = new Weighted(CLOSING_TEXTS, (t) => t[1]);
  const reopening = new Weighted(REOPEN_TEXTS, (t) => t[1]);
  const hiding = new Weighted(HIDE_TEXTS, (t) => t[1]);
  const pool = userPoolSize(options.notes);
  const start = Math.floor(options.from.getTime() / 1000);
  const end = Math.floor(options.until.getTime() / 1000);
  const span = end - start;

  // Placeholders are filled only where a template has them (random draws stay deterministic).
  const fill = (template: string): string => {
    if (!template.includes("{")) return template;
    let text = template;
    if (text.includes("{n}")) text = text.replace("{n}", String(random.int(1, 999_999_999)));
    if (text.includes("{v}")) text = text.replace("{v}", `${random.int(10, 60)}.${random.int(0, 9)}`);
    if (text.includes("{d}")) text = text.replace("{d}", `${iso(start + random.int(0, span)).replace(" ", "T")}Z`);
    if (text.includes("{name}")) text = text.replace("{name}", random.pick(PLACE_WORDS));
    if (text.includes("{user}")) {
      const rank = random.zipf(pool);
      text = text.replace("{user}", usernameFor(rank, uidOfRank(rank)));
    }
    return text;
  };
  const user = (anonymousShare: number) => (random.chance(anonymousShare) ? -1 : random.zipf(pool));
  const later = (from: number, medianDays: number, sigma: number) =>
    from + Math.max(1, Math.round(medianDays * DAY * Math.exp(sigma * random.normal())));

  for (let i = 0; i < options.notes; i++) {
    const created = start + Math.floor(((i + random.float()) / options.notes) * span);
    const [countryId, lat, lon] = place(random, countries);
    const actions: SimulatedAction[] = [];
    const push = (event: NoteEvent, at: number, userRank: number, body: string) =>
      actions.push({ sequence: actions.length + 1, event, createdAt: iso(at), userRank, body });

    const shape = random.float();
    if (shape >= 0.003) {
      // 0.4 % of real notes lack their opening action (the dump starts with another one).
      if (shape < 0.007) push(random.chance(0.5) ? "commented" : "closed", created, user(0), fill(comment.sample(random)[0]));
      else push("opened", created, user(0.4), fill(opening.sample(random)[0]));
      let at = created;
      let open = true;
      for (let cycle = 0; cycle < 4 && open; cycle++) {
        for (let c = random.geometric(cycle === 0 ? 0.9 : 0.3); c > 0; c--) {
          const t = later(at, 3, 2);
          if (t > end) break;
          push("commented", (at = t), user(0.27), fill(comment.sample(random)[0]));
        }
        if (!random.chance(cycle === 0 ? 0.92 : 0.8)) break;
        // A third of the closes come within hours (often by the opener), the rest over months/years.
        const closedAt = random.chance(0.3) ? later(at, 0.1, 1.5) : later(at, 60, 2.2);
        if (closedAt > end) break;
        push("closed", (at = closedAt), random.zipf(pool), fill(closing.sample(random)[0]));
        open = false;
        if (random.chance(0.07)) {
          const reopenedAt = later(at, 60, 2.5);
          if (reopenedAt > end) break;
          push("reopened", (at = reopenedAt), random.zipf(pool), fill(reopening.sample(random)[0]));
          open = true;
        }
      }
      if (random.chance(0.003)) {
        const hiddenAt = later(at, 10, 2);
        if (hiddenAt <= end) push("hidden", hiddenAt, random.int(0, MODERATORS - 1), hiding.sample(random)[0]);
      }
    }
    const createdAt = iso(created);
    const { status, closedAt } = replayNoteStatus({ status: "open", closedAt: null }, actions);
    yield { id: i + 1 + Math.floor(i / 50), latitude: lat, longitude: lon, createdAt, status, closedAt, countryId, actions };
  }
}

function place(random: Random, countries: Weighted<CountryEntry>): [number | null, string, string] {
  let r = random.float();
  for (const [id, share] of SPECIAL_COUNTRIES) {
    if (r < share) return [id, coordinate(random.float() * 140 - 70, 90), coordinate(random.float() * 360 - 180, 180)];
    r -= share;
  }
  const c = countries.sample(random);
  return [c[0], coordinate(c[4] + random.normal() * 1.5, 90), coordinate(c[5] + random.normal() * 2, 180)];
}

function coordinate(value: number, limit: number): string {
  return Math.max(-limit, Math.min(limit, value)).toFixed(7);
}

const dayStrings: string[] = [];
const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));

/** `YYYY-MM-DD HH:MM:SS` of epoch seconds (UTC); the date part is cached per day (hot path). */
function iso(seconds: number): string {
  const day = Math.floor(seconds / DAY);
  const date = (dayStrings[day] ??= new Date(day * DAY * 1000).toISOString().slice(0, 10));
  const s = seconds - day * DAY;
  return `${date} ${twoDigits[Math.floor(s / 3600)]}:${twoDigits[Math.floor((s % 3600) / 60)]}:${twoDigits[s % 60]}`;
}
