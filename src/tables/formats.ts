/** The table formats `tables` may ask for, and the tables made in each. */
export const TABLE_FORMATS = ['csv', 'parquet'] as const
export type TableFormat = (typeof TABLE_FORMATS)[number]

export const TABLE_NAMES = ['responses', 'instructions', 'files'] as const
export type TableName = (typeof TABLE_NAMES)[number]

/** Every file name a tables folder can hold: what may be replaced when a run makes it again. */
export const TABLE_FILE_NAMES: ReadonlySet<string> = new Set(
  TABLE_NAMES.flatMap((table) => TABLE_FORMATS.map((format) => `${table}.${format}`)),
)

/** What `tables` asks for: the formats, and the folder beside the ZIP that will hold them. */
export interface TablesRequest {
  formats: TableFormat[]
  /** Absolute path of the folder: the ZIP path without `.zip`, plus `-tables`. */
  path: string
}

/** The folder beside the ZIP: its path without `.zip` (any case), plus `-tables`. */
export function tablesPathFor(zipPath: string): string {
  const stem = zipPath.toLowerCase().endsWith('.zip') ? zipPath.slice(0, -4) : zipPath
  return `${stem}-tables`
}
