#!/usr/bin/env bun
/**
 * One-off generator of sql/0005_country_reference_data.sql from the list of areas production
 * publishes (shared data: derived/countries-from-published-index.csv, columns country_id,
 * country_name, country_name_es, country_name_en, iso_alpha2_guess).
 *
 * The migration it writes is committed and checksummed: do not regenerate it in place once
 * applied anywhere. New or corrected areas go into a new migration (generate into a new file
 * name with the second argument and edit the header).
 *
 *   bun scripts/generate-country-reference.ts <countries.csv> [out.sql]
 */
import { readFileSync, writeFileSync } from "node:fs";

const [csvPath, outPath = new URL("../sql/0005_country_reference_data.sql", import.meta.url).pathname] =
  process.argv.slice(2);
if (!csvPath) throw new Error("usage: generate-country-reference.ts <countries.csv> [out.sql]");

/** Region names in the order of migration 0004's seed (ids 1…20). */
const REGION_CODES: Record<string, string> = {
  "North America": "US CA BM GL PM",
  "Central America": "MX GT BZ HN SV NI CR PA",
  Antilles: "CU JM HT DO BS TC KY VG AI KN AG MS DM LC VC BB GD TT PR",
  "South America": "CO VE GY SR EC PE BO BR PY UY AR CL FK GS",
  "Western Europe": "AD AT BE CH DE DK ES FI FO FR GB GG GI IE IM IS IT JE LI LU MC MT NL NO PT SE SM VA GR CY",
  "Eastern Europe": "PL CZ SK HU SI HR BA RS ME MK AL XK BG RO MD UA BY LT LV EE RU",
  Caucasus: "GE AM AZ",
  "Central Asia": "KZ KG TJ TM UZ AF",
  "East Asia": "CN JP KR KP TW MN",
  "North Africa": "MA DZ TN LY EG SD EH",
  "Sub-Saharan Africa":
    "MR SN GM GW GN SL LR CI GH TG BJ BF ML NE NG TD CM CF GQ GA CG CD AO ZM ZW MW MZ TZ KE UG RW BI SS ET ER DJ SO NA BW ZA LS SZ MG KM MU SC CV ST SH",
  "Middle East": "TR SY LB IL PS JO IQ IR SA YE OM AE QA BH KW",
  "Indian subcontinent": "IN PK BD NP BT LK MV IO",
  "Mainland Southeast Asia": "MM TH LA KH VN",
  "Malay Archipelago": "MY SG ID BN PH TL",
  "Pacific Islands (Melanesia, Micronesia and Polynesia)": "PG SB VU FJ KI MH FM NR PW WS TO TV CK NU TK PN NC PF",
  Australia: "AU NZ",
  Antarctica: "AQ",
};

const ALPHA3: Record<string, string> = Object.fromEntries(
  (
    "AD AND AE ARE AF AFG AG ATG AI AIA AL ALB AM ARM AO AGO AQ ATA AR ARG AT AUT AU AUS AZ AZE BA BIH BB BRB " +
    "BD BGD BE BEL BF BFA BG BGR BH BHR BI BDI BJ BEN BM BMU BN BRN BO BOL BR BRA BS BHS BT BTN BW BWA BY BLR " +
    "BZ BLZ CA CAN CD COD CF CAF CG COG CH CHE CI CIV CK COK CL CHL CM CMR CN CHN CO COL CR CRI CU CUB CV CPV " +
    "CY CYP CZ CZE DE DEU DJ DJI DK DNK DM DMA DO DOM DZ DZA EC ECU EE EST EG EGY EH ESH ER ERI ES ESP ET ETH " +
    "FI FIN FJ FJI FK FLK FM FSM FO FRO FR FRA GA GAB GB GBR GD GRD GE GEO GG GGY GH GHA GI GIB GL GRL GM GMB " +
    "GN GIN GQ GNQ GR GRC GS SGS GT GTM GW GNB GY GUY HN HND HR HRV HT HTI HU HUN ID IDN IE IRL IL ISR IM IMN " +
    "IN IND IO IOT IQ IRQ IR IRN IS ISL IT ITA JE JEY JM JAM JO JOR JP JPN KE KEN KG KGZ KH KHM KI KIR KM COM " +
    "KN KNA KP PRK KR KOR KW KWT KY CYM KZ KAZ LA LAO LB LBN LC LCA LI LIE LK LKA LR LBR LS LSO LT LTU LU LUX " +
    "LV LVA LY LBY MA MAR MC MCO MD MDA ME MNE MG MDG MH MHL MK MKD ML MLI MM MMR MN MNG MR MRT MS MSR MT MLT " +
    "MU MUS MV MDV MW MWI MX MEX MY MYS MZ MOZ NA NAM NC NCL NE NER NG NGA NI NIC NL NLD NO NOR NP NPL NR NRU " +
    "NU NIU NZ NZL OM OMN PA PAN PE PER PF PYF PG PNG PH PHL PK PAK PL POL PM SPM PN PCN PR PRI PS PSE PT PRT " +
    "PW PLW PY PRY QA QAT RO ROU RS SRB RU RUS RW RWA SA SAU SB SLB SC SYC SD SDN SE SWE SG SGP SH SHN SI SVN " +
    "SK SVK SL SLE SM SMR SN SEN SO SOM SR SUR SS SSD ST STP SV SLV SY SYR SZ SWZ TC TCA TD TCD TG TGO TH THA " +
    "TJ TJK TK TKL TL TLS TM TKM TN TUN TO TON TR TUR TT TTO TV TUV TW TWN TZ TZA UA UKR UG UGA US USA UY URY " +
    "UZ UZB VA VAT VC VCT VE VEN VG VGB VN VNM VU VUT WS WSM XK XKX YE YEM ZA ZAF ZM ZMB ZW ZWE"
  )
    .match(/[A-Z]{2} [A-Z]{3}/g)!
    .map((pair) => pair.split(" ") as [string, string]),
);

/**
 * Areas the published index lists without an ISO guess: a real ISO code for sovereign states
 * the guess missed, else only the area whose region it shares (maritime zones, disputed or
 * Antarctic claims keep NULL ISO codes: they are not ISO 3166-1 entities).
 */
const MANUAL: Record<number, { iso?: string; regionOf?: string; region?: string }> = {
  36989: { iso: "VA" }, 49903: { iso: "LA" }, 184840: { iso: "SY" }, 192794: { iso: "CG" },
  305142: { iso: "TL" }, 571802: { iso: "FM" }, 1703814: { iso: "PS" }, 2103120: { iso: "BN" },
  1964272: { iso: "SH" }, 5441968: { iso: "EH" },
  37848: { regionOf: "AT" }, 1803010: { regionOf: "IL" }, 192797: { regionOf: "KE" }, 279001: { regionOf: "US" }, 530469: { regionOf: "ZA" },
  2083719: { regionOf: "CO" }, 2083772: { regionOf: "CR" }, 2177258: { regionOf: "NC" }, 2500903: { regionOf: "FR" },
  2646063: { regionOf: "NZ" }, 2647601: { regionOf: "NZ" }, 2647638: { regionOf: "AU" }, 2955118: { regionOf: "AQ" },
  3245621: { regionOf: "AQ" }, 3263728: { regionOf: "CY" }, 3335661: { regionOf: "EG" }, 3394110: { regionOf: "AQ" },
  3394111: { regionOf: "AQ" }, 3394112: { regionOf: "AQ" }, 3394113: { regionOf: "AQ" }, 3394115: { regionOf: "AQ" },
  3649463: { regionOf: "DE" }, 3893531: { regionOf: "NL" }, 3969510: { regionOf: "CL" }, 4121287: { regionOf: "IE" },
  4263589: { regionOf: "PH" }, 4769816: { regionOf: "IT" }, 5661754: { regionOf: "CL" }, 5748043: { regionOf: "BR" },
  5748044: { regionOf: "BR" }, 5748123: { regionOf: "JM" }, 5945359: { regionOf: "NI" }, 6090144: { regionOf: "AR" },
  7645548: { regionOf: "BE" }, 7751575: { regionOf: "EC" }, 7787834: { regionOf: "MG" }, 9483303: { regionOf: "DM" },
  9942670: { regionOf: "PL" }, 9965686: { regionOf: "PF" }, 9991145: { regionOf: "ES" }, 10731945: { regionOf: "FR" },
  10737137: { regionOf: "FR" }, 11285925: { region: "Undefined" }, 12931402: { regionOf: "CN" },
  12940096: { regionOf: "BF" }, 13291747: { regionOf: "RU" }, 13840048: { regionOf: "CO" }, 13955912: { regionOf: "IS" },
  13955913: { regionOf: "NO" }, 13955914: { regionOf: "NO" }, 13955915: { regionOf: "NO" }, 14151426: { regionOf: "NL" },
  14525913: { regionOf: "NL" }, 14531196: { regionOf: "GB" }, 14540303: { regionOf: "DK" }, 14543431: { regionOf: "FO" },
  14553467: { regionOf: "SE" }, 14991415: { regionOf: "HR" }, 15259894: { regionOf: "FK" }, 19365479: { regionOf: "GB" },
  19365480: { regionOf: "GB" }, 19365482: { regionOf: "GB" },
};

const regionOfCode = new Map<string, string>();
for (const [region, codes] of Object.entries(REGION_CODES)) for (const c of codes.split(" ")) regionOfCode.set(c, region);

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else if (ch !== "\r") field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

const lit = (v: string | null) => (v === null ? "NULL" : `'${v.replaceAll("'", "''")}'`);

const [header, ...records] = parseCsv(readFileSync(csvPath, "utf8"));
if (header?.join(",") !== "country_id,country_name,country_name_es,country_name_en,iso_alpha2_guess")
  throw new Error(`unexpected header: ${header}`);

const values: string[] = [];
const undefinedRegion: string[] = [];
for (const [idText, name, , nameEn, guess] of records) {
  const id = Number(idText);
  if (id < 0) continue; // the -1 fallback is a dimension row, not a reference area
  const manual = MANUAL[id];
  const iso = manual?.iso ?? (guess?.trim() || null);
  const region = manual?.region ?? regionOfCode.get(manual?.regionOf ?? iso ?? "") ?? "Undefined";
  if (region === "Undefined") undefinedRegion.push(`${id} ${nameEn}`);
  if (iso && !ALPHA3[iso]) throw new Error(`no alpha-3 for ${iso} (${id})`);
  const english = nameEn && nameEn !== "No English name" ? nameEn : name!;
  values.push(`(${id}, ${lit(iso)}, ${lit(iso ? ALPHA3[iso]! : null)}, ${lit(english.trim())}, ${lit(region)})`);
}

const out = `-- Reference data: OSM relation id → ISO 3166-1 alpha-2/alpha-3 and region, one row per area
-- production publishes (${values.length} areas incl. maritime zones). Generated once by
-- scripts/generate-country-reference.ts from the published country index; maritime zones,
-- disputed areas and Antarctic claims carry NULL ISO codes and the region of the area they
-- belong to. Fixes the original's 69 hand-written rows (several relation ids were wrong).
-- Checksummed migration: corrections go into a new migration, never into this file.

INSERT INTO dwh.iso_country_codes (osm_country_id, iso_alpha2, iso_alpha3, country_name_en, region_id)
SELECT v.id, v.a2, v.a3, v.name_en, r.dimension_region_id
FROM (VALUES
  ${values.join(",\n  ")}
) AS v (id, a2, a3, name_en, region)
JOIN dwh.dimension_regions r ON r.region_name_en = v.region
ON CONFLICT (osm_country_id) DO NOTHING;
`;
writeFileSync(outPath, out);
console.error(`wrote ${values.length} areas to ${outPath}; region Undefined: ${undefinedRegion.join("; ") || "none"}`);
