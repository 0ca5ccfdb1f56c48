/**
 * Version of the warehouse contract this package creates, written to public.schema_version
 * (component 'dwh'). SemVer as documented for consumers: MAJOR = breaking (drop, rename, type
 * change), MINOR = additive, PATCH = no contract change. Bump it in the same commit as a
 * migration that changes what consumers see.
 */
export const DWH_SCHEMA_VERSION = "1.0.0";

/** The schema_version component row this package owns. */
export const DWH_COMPONENT = "dwh";

type Triple = [number, number, number];

export function parseVersion(version: string): Triple | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/**
 * True when a database at `actual` serves code built for `expected`: same MAJOR and not older
 * (a newer MINOR/PATCH only adds).
 */
export function isCompatibleVersion(actual: string, expected: string): boolean {
  const a = parseVersion(actual);
  const e = parseVersion(expected);
  if (!a || !e || a[0] !== e[0]) return false;
  return a[1] > e[1] || (a[1] === e[1] && a[2] >= e[2]);
}
