import { createRequire } from "node:module";

/**
 * Typed facade over @rapideditor/country-coder. The package's export map sends the "bun"
 * condition (which this repository's tsconfig enables) to its TypeScript source, which does not
 * compile under our strict settings (untyped which-polygon, no @types/geojson). Loading it with
 * require() keeps tsc out of the package; the few members used here are typed by hand after its
 * README (dist/country-coder.d.ts).
 */
export interface RegionFeature {
  properties: {
    id: string;
    iso1A2?: string | undefined;
    nameEn: string;
    level: string;
    country?: string | undefined;
  };
}

export interface CodingOptions {
  /** Preferred level; a larger coded area is returned when none exists at this level. */
  level?: string;
  /** The largest level a result may have. */
  maxLevel?: string;
  /** Only features that have this property. */
  withProp?: string;
}

interface CountryCoder {
  feature(query: [longitude: number, latitude: number] | string, opts?: CodingOptions): RegionFeature | null;
}

const coder = createRequire(import.meta.url)("@rapideditor/country-coder") as CountryCoder;

/** The border feature containing a point (or named by a code), per the options. */
export const feature = coder.feature;
