using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Pipelines;

/// <summary>A dataset whose rejected share is over its threshold: nothing is published.</summary>
public sealed class DatasetRejectedException(DatasetBuild build, IReadOnlyList<RowError> firstErrors, string message) : Exception(message)
{
    public DatasetBuild Build { get; } = build;

    public IReadOnlyList<RowError> FirstErrors { get; } = firstErrors;
}
