// Reads a Parquet file with hyparquet, a reader written apart from DuckDB and from our writer,
// and prints what it finds as JSON: the footer's created_by, row count and row groups, each
// column's statistics per row group, and every row as text (null stays null), so that the
// tests compare it with what was written.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

const file = await asyncBufferFromFile(process.argv[2])
const metadata = await parquetMetadataAsync(file)
const rows = await parquetReadObjects({ file, compressors })

const text = value => {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  return String(value)
}

const stats = metadata.row_groups.map(group => group.columns.map(chunk => {
  const s = chunk.meta_data.statistics ?? {}
  return { column: chunk.meta_data.path_in_schema.join('.'), min: text(s.min_value), max: text(s.max_value), nulls: text(s.null_count) }
}))

console.log(JSON.stringify({
  createdBy: metadata.created_by,
  rows: Number(metadata.num_rows),
  rowGroups: metadata.row_groups.length,
  stats,
  values: rows.map(row => Object.values(row).map(text)),
}))
