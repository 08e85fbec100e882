using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Tests.Validation;

public sealed class KeySetTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "keyset-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(64)] // one Bloom block: every lookup of a spilled key's neighbourhood goes to disk
    [InlineData(1 << 12)]
    public void Answers_exactly_like_an_in_memory_set_across_spills_and_merges(int bloomBytes)
    {
        var random = new Random(7);
        var reference = new HashSet<UInt128>();
        var inserted = new List<UInt128>();
        using var keys = new KeySet(directory, memoryCapacity: 97, bloomBytes: bloomBytes);
        for (var i = 0; i < 20_000; i++)
        {
            // Small digests too, so that keys fall before, between and after the indexed blocks.
            var digest = i % 5 == 0 ? (UInt128)(ulong)random.Next(0, 50_000) : new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64());
            Assert.Equal(reference.Contains(digest), keys.Contains(digest));
            if (reference.Add(digest))
            {
                keys.Add(digest);
                inserted.Add(digest);
            }

            if (i % 997 == 0)
            {
                // Every key inserted so far is still found, wherever it now lives.
                foreach (var old in inserted)
                {
                    Assert.True(keys.Contains(old));
                }
            }
        }

        Assert.Equal(reference.Count, keys.Count);
        Assert.InRange(keys.RunCount, 1, (int)Math.Log2(20_000 / 97.0) + 2);
        Assert.True(keys.DiskSearches > 0);
        Assert.NotEmpty(Directory.GetFiles(directory));
        keys.Dispose();
        Assert.Empty(Directory.GetFiles(directory));
    }

    [Fact]
    public void A_large_Bloom_filter_spares_the_disk_for_new_keys()
    {
        var random = new Random(11);
        using var keys = new KeySet(directory, memoryCapacity: 1_000, bloomBytes: 1 << 20);
        for (var i = 0; i < 50_000; i++)
        {
            keys.Add(new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()));
        }

        var searchesBefore = keys.DiskSearches;
        var misses = 0;
        for (var i = 0; i < 50_000; i++)
        {
            misses += keys.Contains(new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64())) ? 0 : 1;
        }

        Assert.Equal(50_000, misses);

        // 8 Mbit for 49,000 spilled keys, 6 bits each: well under 1 % false positives.
        Assert.InRange(keys.DiskSearches - searchesBefore, 0, 500);
    }

    [Fact]
    public void Without_a_spill_directory_nothing_is_written()
    {
        using var keys = new KeySet(memoryCapacity: 10);
        for (var i = 0; i < 1_000; i++)
        {
            keys.Add((UInt128)(ulong)i);
        }

        Assert.Equal(0, keys.RunCount);
        Assert.False(keys.HasSpilled);
        Assert.True(keys.Contains(999));
        Assert.False(keys.Contains(1_000));
    }

    [Fact]
    public void Says_it_has_spilled_from_its_first_spill_until_it_is_disposed()
    {
        // What the pipeline asks before it gives the stream's key sets' memory back.
        var keys = new KeySet(directory, memoryCapacity: 10, bloomBytes: 1 << 10);
        for (var i = 0; i < 9; i++)
        {
            keys.Add((UInt128)(ulong)i);
        }

        Assert.False(keys.HasSpilled);
        keys.Add(9);
        Assert.True(keys.HasSpilled);
        Assert.Equal(1, keys.RunCount);
        keys.Dispose();
        Assert.False(keys.HasSpilled);
    }
}
