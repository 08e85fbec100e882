namespace Automotech.OpenData;

/// <summary>
/// Where an unexpected exception came from (the dataset, the stage), noted in its
/// <see cref="Exception.Data"/> by an exception filter on its way up, which catches nothing: the
/// Worker's report of an internal error (exit 70) names them instead of the exception's message,
/// which may hold a cell's value or a connection string.
/// </summary>
public static class FailureContext
{
    private const string DatasetKey = "Automotech.OpenData.Dataset";

    private const string StageKey = "Automotech.OpenData.Stage";

    /// <summary>Notes the innermost stage and dataset (the first noted is kept); returns false, for a <c>when</c> filter.</summary>
    public static bool Note(Exception exception, string stage, string? dataset = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        try
        {
            if (!exception.Data.Contains(StageKey))
            {
                exception.Data[StageKey] = stage;
                if (dataset is not null)
                {
                    exception.Data[DatasetKey] = dataset;
                }
            }
        }
#pragma warning disable CA1031 // a read-only Data dictionary: the report only loses its context
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return false;
    }

    public static string? Stage(Exception exception) => exception.Data[StageKey] as string;

    public static string? Dataset(Exception exception) => exception.Data[DatasetKey] as string;
}
