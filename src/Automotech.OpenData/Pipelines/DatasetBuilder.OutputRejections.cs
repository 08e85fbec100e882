using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Pipelines;

public sealed partial class DatasetBuilder
{
    /// <summary>
    /// Rows whose published values break schema.json are rejected too (with the source row
    /// quarantined, not the published one): a rule that produces bad output never publishes it.
    /// </summary>
    private sealed class OutputRejections(Quarantine quarantine, int sourceFieldCount) : IRejectedRowSink
    {
        public ColumnBatch? Source { get; set; }

        public void Reject(RejectedRow row)
        {
            var values = new string?[sourceFieldCount];
            if (Source is not null)
            {
                for (var r = 0; r < Source.Count; r++)
                {
                    if (Source.LineNumber(r) == row.LineNumber)
                    {
                        for (var c = 0; c < values.Length; c++)
                        {
                            values[c] = Source.Get(r, c);
                        }

                        break;
                    }
                }
            }

            quarantine.Reject(row with { Values = values });
        }

        public void Warn(RowError warning) => quarantine.Warn(warning);
    }
}
