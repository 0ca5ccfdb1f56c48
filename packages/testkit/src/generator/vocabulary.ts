/**
 * What synthetic notes are made of, calibrated on the 994-note real sample
 * (shared/data/osm-notes/planet-notes-sample-994.osn.xml): country shares, the words of
 * openings and closings, application signatures, odd usernames.
 */

/** [OSM relation id, name, name:es, name:en, centre lat, centre lon, weight (notes in the sample)]. */
export type CountryEntry = readonly [number, string, string, string, number, number, number];

export const COUNTRIES: readonly CountryEntry[] = [
  [148838, "United States", "Estados Unidos de América", "United States", 38.06, -95.37, 144],
  [51477, "Deutschland", "Alemania", "Germany", 50.33, 9.38, 131],
  [2202162, "France", "Francia", "France", 45.17, 2.94, 48],
  [1428125, "Canada", "Canadá", "Canada", 43.97, -79.39, 37],
  [60189, "Россия", "Rusia", "Russia", 55.65, 41.07, 37],
  [62149, "United Kingdom", "Reino Unido", "United Kingdom", 51.6, -1.55, 34],
  [443174, "Philippines", "Filipinas", "Philippines", 12.39, 122.54, 33],
  [49715, "Polska", "Polonia", "Poland", 50.89, 19.48, 30],
  [59470, "Brasil", "Brasil", "Brazil", -23.4, -47.35, 29],
  [80500, "Australia", "Australia", "Australia", -34.35, 150.49, 29],
  [556706, "New Zealand / Aotearoa", "Nueva Zelanda", "New Zealand", -36.91, 174.65, 24],
  [2067731, "ประเทศไทย", "Tailandia", "Thailand", 13.81, 100.62, 22],
  [449220, "臺灣", "Taiwán", "Taiwan", 24.95, 121.21, 18],
  [365331, "Italia", "Italia", "Italy", 45.37, 11.92, 18],
  [304938, "ایران", "Irán", "Iran", 35.72, 51.49, 17],
  [382313, "日本", "Japón", "Japan", 35.62, 139.55, 16],
  [1311341, "España", "España", "Spain", 40.47, -4.71, 15],
  [2323309, "Nederland", "Países Bajos", "Netherlands", 52.06, 5.76, 14],
  [304751, "Indonesia", "Indonesia", "Indonesia", -7.16, 115.14, 14],
  [60199, "Україна", "Ucrania", "Ukraine", 49.83, 30.55, 14],
  [536780, "Singapore", "Singapur", "Singapore", 1.34, 103.89, 13],
  [52411, "België / Belgique / Belgien", "Bélgica", "Belgium", 51.07, 4.37, 12],
  [174737, "Türkiye", "Turquía", "Turkey", 39.65, 30.71, 11],
  [214885, "Hrvatska", "Croacia", "Croatia", 45.71, 16.14, 11],
  [16239, "Österreich", "Austria", "Austria", 47.84, 15.45, 10],
  [270056, "中国", "China", "China", 27.59, 105.42, 9],
  [114686, "México", "México", "Mexico", 16.14, -96.49, 9],
  [364066, "Հայաստան", "Armenia", "Armenia", 40.7, 44.85, 9],
  [59065, "Беларусь", "Belarús", "Belarus", 53.9, 27.54, 8],
  [192307, "Ελλάς", "Grecia", "Greece", 38.01, 23.74, 8],
  [304716, "India", "India", "India", 23.65, 81.06, 8],
  [184633, "नेपाल", "Nepal", "Nepal", 27.71, 85.32, 7],
  [288247, "Perú", "Perú", "Peru", -12.08, -76.36, 7],
  [21335, "Magyarország", "Hungría", "Hungary", 47.68, 19.11, 7],
  [286393, "Argentina", "Argentina", "Argentina", -34.61, -67.53, 6],
  [3630439, "Maroc ⵍⵎⵖⵔⵉⴱ المغرب", "Marruecos", "Morocco", 30.58, -7.81, 6],
  [120027, "Colombia", "Colombia", "Colombia", 4.61, -75.4, 5],
  [51684, "Česko", "Chequia", "Czechia", 49.23, 16.59, 5],
  [108089, "Ecuador", "Ecuador", "Ecuador", -0.24, -78.46, 5],
  [1124039, "Monaco", "Mónaco", "Monaco", 43.74, 7.42, 1],
  [1278736, "Gibraltar", "Gibraltar", "Gibraltar", 36.13, -5.35, 1],
  [2083719, "Colombia (zona económica exclusiva)", "Colombia (zona económica exclusiva)", "Colombia (exclusive economic zone)", 12.5, -78.0, 1],
];

/** Texts of openings; `{n}` becomes a number, `{v}` a version, `{d}` an OSM data date. */
export const OPENING_TEXTS: readonly (readonly [string, number])[] = [
  ["The place has gone or never existed. This is an auto-generated note from MAPS.ME", 3],
  ["{name} (OSM data version: {d}) #mapsme", 4],
  ["Shop closed, now a bakery. via StreetComplete {v}", 3],
  ["Unable to answer \"What is the name of this street?\" for https://osm.org/way/{n} via StreetComplete {v}:\n\nThere is no sign here.", 3],
  ["{name} #organicmaps android", 1],
  ["{name} #organicmaps ios", 1],
  ["Missing house number {n} #OsmAnd", 1],
  ["Entrance is on the other side #EveryDoor", 1],
  ["New footpath through the park, see https://www.mapillary.com/app/?pKey={n}", 1],
  ["#飲水地圖 #drinking_water 名稱：飲水機 說明：餐廳廁所前面 對外開放：access=yes", 1],
  ["Baustelle an der Hauptstraße, die zu Sperrungen führt", 2],
  ["Cette rue est maintenant à sens unique", 2],
  ["Здесь нет дороги, проезд закрыт", 1],
  ["La calle cambió de nombre hace dos años", 1],
  ["Bus stop moved {n} m to the north", 2],
  ["This road does not exist", 3],
  ["asfalt", 1],
  ["Please check the speed limit here @{user}", 1],
  ["Wrong name. #fixme #survey", 1],
  ["posto Ale", 1],
];

export const COMMENT_TEXTS: readonly (readonly [string, number])[] = [
  ["", 1],
  ["I checked on site, still there.", 2],
  ["Can you give more details?", 2],
  ["@{user} is this still valid?", 1],
  ["See https://www.openstreetmap.org/changeset/{n}", 1],
  ["Wo ist hier das Problem?", 1],
  ["Still missing as of today #survey", 1],
];

export const CLOSING_TEXTS: readonly (readonly [string, number])[] = [
  ["", 8],
  ["fixed", 2],
  ["Added", 2],
  ["done, thanks", 1],
  ["typo, done", 1],
  ["Resolved in https://www.openstreetmap.org/changeset/{n}", 1],
  ["Not enough information to act on this note.", 1],
  ["feddich", 1],
  ["Ich stimme zu", 1],
  ["already mapped #maproulette", 1],
];

export const REOPEN_TEXTS: readonly (readonly [string, number])[] = [
  ["", 3],
  ["This is not fixed yet.", 1],
  ["Reopening: the sign is still wrong", 1],
];

export const HIDE_TEXTS: readonly (readonly [string, number])[] = [["", 3], ["spam", 1]];

export const PLACE_WORDS = ["house", "Cafe Central", "Wiegental", "New Tech Park", "bakery", "Петя", "บ้านเกิดของฉัน", "Fertig y Cande", "Bar", "school"] as const;

const SYLLABLES = ["ka", "ri", "to", "mo", "an", "el", "ur", "si", "ba", "ne", "lo", "vi", "de", "ma", "ta", "no"] as const;
const ODD_NAMES = ["José María", "Мария", "山田太郎", "O'Brien", "\"quoted\"", "<b>bold</b>", "emoji 🗺️", "ümlaut ü", "a b  c", "x".repeat(40)] as const;

/** A deterministic username for a user rank; some have spaces, quotes, HTML or non-ASCII. */
export function usernameFor(rank: number, uid: number): string {
  if (rank % 97 === 13) return `${ODD_NAMES[(rank / 97) % ODD_NAMES.length | 0]} ${uid}`;
  let name = "";
  let x = uid;
  const parts = 2 + (x % 3);
  for (let i = 0; i < parts; i++) {
    name += SYLLABLES[x % SYLLABLES.length];
    x = Math.floor(x / SYLLABLES.length) + 7 * i;
  }
  const styled = rank % 5 === 0 ? name[0]!.toUpperCase() + name.slice(1) : name;
  return rank % 3 === 0 ? `${styled}${uid % 1000}` : `${styled}_${uid}`;
}
