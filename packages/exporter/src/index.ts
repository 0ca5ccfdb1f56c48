// Public API of @osm-notes/exporter: re-exports only.
export { ExporterError, type ExporterErrorCode } from "./exporter-error.ts";
export {
  documentKinds,
  documentSchemas,
  type DocumentKind,
  type DocumentOfKind,
} from "./documents/document-kinds.ts";
export { metadata, type Metadata } from "./documents/metadata.ts";
export {
  countryIndex,
  countryIndexEntry,
  userIndex,
  userIndexEntry,
  type CountryIndex,
  type CountryIndexEntry,
  type UserIndex,
  type UserIndexEntry,
} from "./documents/indexes.ts";
export { userProfile, userProfileFixed, type UserProfile, type UserYearKeys } from "./documents/user-profile.ts";
export { countryProfile, countryProfileFixed, type CountryProfile, type CountryYearKeys } from "./documents/country-profile.ts";
export { globalStats, type GlobalStats } from "./documents/global-stats.ts";
export { allJsonSchemas, dataSchemaHash, jsonSchemaOf } from "./json-schemas.ts";
export { validateDocument, type ValidateDocument, type ValidationIssue } from "./validator.ts";
export {
  countryProfilePath,
  documentPath,
  FIXED_PATHS,
  parseDocumentPath,
  userProfilePath,
  userShard,
} from "./paths.ts";
export {
  writeTree,
  type InvalidDocument,
  type TreeDeletion,
  type TreeDocument,
  type TreeEntry,
  type WriteTreeOptions,
  type WriteTreeReport,
} from "./tree/write-tree.ts";
export { MANIFEST_FILE, readManifest, readManifestText, type Manifest, type ManifestEntry } from "./tree/manifest.ts";
export { ManifestText } from "./tree/manifest-text.ts";
export { gitBlobId } from "./git-blob-id.ts";
export { CLOSED_NOTES_CSV_COLUMNS, type ClosedNoteCsvRow } from "./csv/closed-notes-columns.ts";
export { csvFileName } from "./csv/csv-file-name.ts";
export {
  csvField,
  csvRecord,
  writeCsvFile,
  type CsvValue,
  type WriteCsvOptions,
  type WriteCsvReport,
} from "./csv/csv-writer.ts";
export { parsePublishTarget, publish, type PublishTarget } from "./publish/publish.ts";
export { publishToGit } from "./publish/git-publisher.ts";
export { publishToGitHub } from "./publish/github-publisher.ts";
export type { PublishOptions, PublishReport } from "./publish/publish-options.ts";
export type { ChangeSet } from "./publish/change-set.ts";
export { exportJson, type CurrentTree, type ExportJsonOptions, type JsonExportSource } from "./export-json.ts";
export { countryYearKeys, noteIdsWithBothSpellings, userYearKeys, type NoteIdSpellings } from "./documents/legacy-keys.ts";
export {
  byActivity,
  countryIndexEntryFromRow,
  countryProfileFromRow,
  displayCountryName,
  displayUsername,
  globalStatsFromRow,
  userIndexEntryFromRow,
  userProfileFromRow,
} from "./documents/from-rows.ts";
export {
  datamartExportSource,
  type DatamartExportSource,
  type DatamartExportSnapshot,
  type DatamartExportSourceOptions,
} from "./database/datamart-export-source.ts";
export {
  exportJsonFromDatabase,
  type ExportJsonFromDatabaseOptions,
  type JsonExportReport,
} from "./database/export-json-from-database.ts";
export {
  exportClosedNotesCsv,
  type ClosedNotesCsvReport,
  type CsvCountryFile,
  type ExportClosedNotesCsvOptions,
} from "./csv/export-closed-notes-csv.ts";
