namespace Automotech.OpenData.Pipelines;

/// <summary>Disposes every item, even when the build failed (spill files hold private values).</summary>
internal sealed class DisposeAll(IEnumerable<IDisposable> items) : IDisposable
{
    public void Dispose()
    {
        foreach (var item in items)
        {
            item.Dispose();
        }
    }
}
