// Public API of @osm-notes/datamarts: re-exports only.
export {
  buildDatamarts,
  type BuildOptions,
  type BuildReport,
  type BuildProgress,
  type BuildScope,
  type DatamartKind,
  type DatamartReport,
} from "./build.ts";
export { DatamartsError, type DatamartsErrorCode } from "./datamarts-error.ts";
export {
  userProfile,
  countryProfile,
  globalProfile,
  userProfileSchema,
  countryProfileSchema,
  globalProfileSchema,
  badgeSchema,
  type UserProfile,
  type CountryProfile,
  type GlobalProfile,
} from "./profiles.ts";
