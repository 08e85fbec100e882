using BenchmarkDotNet.Attributes;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Benchmarks.Stages;

/// <summary>
/// What the uniqueness checks do once per row and key: look a digest up, then add it (every
/// digest here is new, as most keys are). The baseline is the <c>HashSet&lt;UInt128&gt;</c> the
/// key set holds its newest digests in; then the key set in memory (no spill directory) and as
/// the pipeline runs it (sorted runs spilled to disk every 131,072 keys, merged, and a Bloom
/// filter over them): the difference is what spilling costs.
/// </summary>
[Config(typeof(StageConfig))]
public class KeySetBenchmarks
{
    private UInt128[] digests = [];
    private string directory = "";

    [Params(1_000_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        digests = [.. Enumerable.Range(0, Keys).Select(_ => new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()))];
        directory = Path.Combine(Path.GetTempPath(), "keyset-bench-" + Guid.NewGuid().ToString("N"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Benchmark(Baseline = true)]
    public int HashSetInMemory()
    {
        // Two calls, as the validator makes them: it looks a key up while checking a row and adds
        // it only once the whole row has passed.
        var set = new HashSet<UInt128>();
        var found = 0;
        foreach (var digest in digests)
        {
#pragma warning disable CA1868 // the lookup and the addition are separate on purpose (above)
            if (set.Contains(digest))
            {
                found++;
            }
            else
            {
                set.Add(digest);
            }
#pragma warning restore CA1868
        }

        return found + set.Count;
    }

    [Benchmark]
    public long KeySetInMemory() => Run(new KeySet());

    [Benchmark]
    public long KeySetSpilling() => Run(new KeySet(directory));

    private long Run(KeySet set)
    {
        using (set)
        {
            var found = 0;
            foreach (var digest in digests)
            {
                if (set.Contains(digest))
                {
                    found++;
                }
                else
                {
                    set.Add(digest);
                }
            }

            return found + set.Count;
        }
    }
}
