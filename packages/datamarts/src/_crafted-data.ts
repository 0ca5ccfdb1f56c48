// The crafted warehouse of the family tests: 7 notes, 4 users (one renamed), 2 countries, with
// "today" = 2026-03-15 (UTC). Expected values in the tests are computed by hand from this list.
import type { Fixture } from "./_test-fixture.ts";

export const TODAY = new Date("2026-03-15T12:00:00Z");

export const COLOMBIA = 1;
export const GERMANY = 2;
export const ALICE = 101; // renamed to "alicia" on 2025-06-01
export const BOB = 102;
export const CAROL = 103;
export const DAVE = 104;

export async function loadCraftedData(fx: Fixture): Promise<void> {
  await fx.country(COLOMBIA, "Colombia", "Colombia", "Colombia");
  await fx.country(GERMANY, "Deutschland", "Alemania", "Germany");
  await fx.user(ALICE, "alice");
  await fx.user(BOB, "bob");
  await fx.user(CAROL, "carol");
  await fx.user(DAVE, "dave");

  // N1: opened by alice, closed, reopened after a year, closed again (today, no comment).
  await fx.note({
    id: 1,
    country: COLOMBIA,
    actions: [
      { at: "2025-03-10 09:00", type: "opened", user: ALICE, text: "Bridge missing #mapathon via StreetComplete", app: "StreetComplete" },
      { at: "2025-03-12 10:00", type: "commented", user: BOB, text: "@alice fixed? see https://osm.org" },
      { at: "2025-03-13 11:00", type: "closed", user: BOB, text: "Fixed #mapathon" },
      { at: "2026-03-14 08:00", type: "reopened", user: CAROL, text: "Still wrong" },
      { at: "2026-03-15 07:00", type: "closed", user: BOB },
    ],
  });
  // The rename: alice's later actions are loaded under a new dimension row "alicia".
  await fx.user(ALICE, "alicia", "2025-06-01");
  // N2: opened by alicia (MapComplete), commented by carol; open, 72 days old.
  await fx.note({
    id: 2,
    country: COLOMBIA,
    actions: [
      { at: "2026-01-02 10:00", type: "opened", user: ALICE, text: "#mapathon #mapathon shop", app: "MapComplete" },
      { at: "2026-03-01 12:00", type: "commented", user: CAROL, text: "ok" },
    ],
  });
  // N3: opened by bob on New Year's Eve (OrganicMaps android 15.3), closed by alicia 2 h later.
  await fx.note({
    id: 3,
    country: GERMANY,
    actions: [
      { at: "2025-12-31 23:00", type: "opened", user: BOB, text: "Tree", app: "OrganicMaps", version: "15.3" },
      { at: "2026-01-01 01:00", type: "closed", user: ALICE, text: "done" },
    ],
  });
  // N4, N6, N7: dave's open notes of 5, 18 and 134 days.
  await fx.note({ id: 4, country: GERMANY, actions: [{ at: "2026-03-10 15:00", type: "opened", user: DAVE, text: "x" }] });
  await fx.note({ id: 6, country: GERMANY, actions: [{ at: "2026-02-25 12:00", type: "opened", user: DAVE, text: "y" }] });
  await fx.note({ id: 7, country: GERMANY, actions: [{ at: "2025-11-01 12:00", type: "opened", user: DAVE, text: "z" }] });
  // N5: anonymous note closed by carol the next day.
  await fx.note({
    id: 5,
    country: COLOMBIA,
    actions: [
      { at: "2026-02-20 10:00", type: "opened", text: "anon note" },
      { at: "2026-02-21 10:00", type: "closed", user: CAROL, text: "thanks" },
    ],
  });
}

/** The 371-character activity string with the given digits on the given days (others '0'). */
export function tiles(today: string, digits: Record<string, string>): string {
  const t = Date.parse(`${today}T00:00:00Z`);
  const out = new Array<string>(371).fill("0");
  for (const [day, digit] of Object.entries(digits)) {
    const back = Math.round((t - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
    out[370 - back] = digit;
  }
  return out.join("");
}
