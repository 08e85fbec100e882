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

    /// <summary>Runs <paramref name="body"/>, noting <paramref name="stage"/> and <paramref name="dataset"/> on any exception that leaves it (<see cref="Note"/>).</summary>
    public static async Task<T> InStageAsync<T>(string stage, string? dataset, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (Exception e) when (Note(e, stage, dataset))
        {
            throw; // never reached: the filter only notes where the exception came from
        }
    }

    /// <summary><see cref="InStageAsync{T}"/> for a body without a result.</summary>
    public static Task InStageAsync(string stage, string? dataset, Func<Task> body) =>
        InStageAsync(stage, dataset, async () =>
        {
            await body();
            return true;
        });

    public static string? Stage(Exception exception) => exception.Data[StageKey] as string;

    public static string? Dataset(Exception exception) => exception.Data[DatasetKey] as string;
}
