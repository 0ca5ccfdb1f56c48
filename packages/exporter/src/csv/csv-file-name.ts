import { ExporterError } from "../exporter-error.ts";

const MAX_SLUG = 60;

/**
 * `<country_id>_<slug>.csv`. The slug is the name folded to ASCII (accents dropped: "Côte
 * d'Ivoire" → "cote_d_ivoire"), lowercase, runs of anything but [a-z0-9-] turned into one "_",
 * no leading/trailing "_" or "-", at most 60 characters. It never comes out empty (the
 * original wrote `12931402_.csv` for non-Latin names): then it is "country". Uniqueness comes
 * from the id; the name is only a hint for people, so it can never carry a path.
 */
export function csvFileName(countryId: number, countryName: string | null | undefined): string {
  if (typeof countryId !== "number" || !Number.isSafeInteger(countryId)) {
    throw new ExporterError("invalid_id", `country_id must be a safe integer, got ${String(countryId)}`, "check the row");
  }
  return `${countryId}_${slug(countryName ?? "")}.csv`;
}

function slug(name: string): string {
  const folded = name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "_")
    .replace(/^[_-]+|[_-]+$/g, "");
  const cut = folded.slice(0, MAX_SLUG).replace(/[_-]+$/g, "");
  return cut === "" ? "country" : cut;
}
