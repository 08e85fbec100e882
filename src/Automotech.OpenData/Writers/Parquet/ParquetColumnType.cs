namespace Automotech.OpenData.Writers.Parquet;

/// <summary>Parquet's physical types (<c>Type</c> in parquet.thrift), those we write.</summary>
internal enum ParquetPhysicalType
{
    Boolean = 0,
    Int32 = 1,
    Int64 = 2,
    Double = 5,
    ByteArray = 6,
}

/// <summary>The logical annotations we write.</summary>
internal enum ParquetLogicalType
{
    None,
    String,
    Date,
    Timestamp,
}

/// <summary>How a Table Schema field is stored.</summary>
internal sealed record ParquetColumnType(string Name, ParquetPhysicalType Physical, ParquetLogicalType Logical)
{
    /// <summary>string → UTF-8 text, integer → INT64, number → DOUBLE, boolean, date → DATE (INT32 days), datetime → TIMESTAMP (UTC, microseconds), year → INT32.</summary>
    public static ParquetColumnType Of(SchemaField field) => field.Type switch
    {
        "string" => new(field.Name, ParquetPhysicalType.ByteArray, ParquetLogicalType.String),
        "integer" => new(field.Name, ParquetPhysicalType.Int64, ParquetLogicalType.None),
        "number" => new(field.Name, ParquetPhysicalType.Double, ParquetLogicalType.None),
        "boolean" => new(field.Name, ParquetPhysicalType.Boolean, ParquetLogicalType.None),
        "date" => new(field.Name, ParquetPhysicalType.Int32, ParquetLogicalType.Date),
        "datetime" => new(field.Name, ParquetPhysicalType.Int64, ParquetLogicalType.Timestamp),
        "year" => new(field.Name, ParquetPhysicalType.Int32, ParquetLogicalType.None),
        _ => throw new InvalidOperationException($"Unknown field type '{field.Type}'."),
    };
}
