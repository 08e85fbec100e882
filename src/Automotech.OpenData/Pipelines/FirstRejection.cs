using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Pipelines;

/// <summary>Keeps the first rejected row (a computed table must never have one).</summary>
internal sealed class FirstRejection : IRejectedRowSink
{
    public RejectedRow? First { get; private set; }

    public void Reject(RejectedRow row) => First ??= row;

    public void Warn(RowError warning)
    {
    }
}
