using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Automotech.OpenData.Validation;

/// <summary>
/// The keys seen so far, for <c>unique</c>, <c>primaryKey</c> and duplicate rows, stored as
/// 128-bit XxHash digests rather than strings. Two distinct keys share a digest with
/// probability about n²/2¹²⁹ (10⁻²⁵ for ten million rows).
/// <para>
/// Memory does not grow with the input when a spill directory is given: the newest
/// <see cref="MemoryCapacity"/> digests are held in a hash set; when it is full they are
/// sorted and written to a run file in the private work directory, and runs of similar size
/// are merged (so there are about log₂(n / capacity) of them). A blocked Bloom filter of fixed
/// size over every spilled digest answers "never seen" without touching the disk; only a
/// "maybe" (a duplicate, or about 1 % false positives at ten million keys) searches the runs,
/// each through a sparse in-memory index and one 4 KiB read. Answers are exact either way.
/// Without a spill directory everything stays in memory (small sources, tests).
/// </para>
/// </summary>
internal sealed class KeySet : IDisposable
{
    private const int KeyBytes = 16;
    private const int IndexStride = 256; // keys per indexed block: one 4 KiB read per run search

    private readonly string? spillDirectory;
    private readonly int bloomBytes;
    private readonly List<Run> runs = [];
    private HashSet<UInt128> memory = [];
    private UInt128[]? spillBuffer;
    private ulong[]? bloom;
    private static int instances;
    private readonly int instance = Interlocked.Increment(ref instances);
    private int nextRun;

    /// <param name="spillDirectory">Private folder for run files; null keeps every key in memory.</param>
    /// <param name="memoryCapacity">Digests held in memory before a spill.</param>
    /// <param name="bloomBytes">Size of the Bloom filter over spilled digests (allocated at the first spill).</param>
    public KeySet(string? spillDirectory = null, int memoryCapacity = 1 << 17, int bloomBytes = 16 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bloomBytes, 64);
        this.spillDirectory = spillDirectory;
        MemoryCapacity = memoryCapacity;
        this.bloomBytes = bloomBytes;
    }

    public int MemoryCapacity { get; }

    /// <summary>Digests added so far.</summary>
    public long Count { get; private set; }

    /// <summary>
    /// Whether the set has spilled, and so holds its Bloom filter, its full hash set and its sort
    /// buffer (about 21 MiB at the defaults); false once disposed.
    /// </summary>
    public bool HasSpilled => bloom is not null;

    /// <summary>Run files currently on disk (after merges).</summary>
    public int RunCount => runs.Count;

    /// <summary>Searches of the run files (Bloom filter said "maybe"), for tests and benchmarks.</summary>
    public long DiskSearches { get; private set; }

    public static UInt128 Digest(ReadOnlySpan<char> key) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key));

    public bool Contains(UInt128 digest)
    {
        if (memory.Contains(digest))
        {
            return true;
        }

        if (bloom is null || !BloomMayContain(digest))
        {
            return false;
        }

        DiskSearches++;
        foreach (var run in runs)
        {
            if (run.Contains(digest))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds a digest the caller has checked is not in the set.</summary>
    public void Add(UInt128 digest)
    {
        if (!memory.Add(digest))
        {
            return;
        }

        Count++;
        if (spillDirectory is not null && memory.Count >= MemoryCapacity)
        {
            Spill();
        }
    }

    public void Dispose()
    {
        foreach (var run in runs)
        {
            run.Delete();
        }

        runs.Clear();
        memory = [];
        bloom = null;
        spillBuffer = null;
    }

    private void Spill()
    {
        // The hash set and the sort buffer are reused from spill to spill: at 10M keys a set
        // spills 76 times, and fresh 2–4 MB arrays each time churned the large-object heap,
        // which is not compacted, until a 176 MiB heap cap ran out (docs/benchmarks.md).
        spillBuffer ??= new UInt128[MemoryCapacity];
        memory.CopyTo(spillBuffer);
        var keys = spillBuffer.AsSpan(0, memory.Count);
        keys.Sort();
        bloom ??= new ulong[bloomBytes / 8 / 8 * 8]; // whole 64-byte blocks
        foreach (var key in keys)
        {
            BloomAdd(key);
        }

        PrivateFiles.CreateDirectory(spillDirectory!);
        runs.Add(Run.Write(NewRunPath(), keys));
        memory.Clear();

        // Merge runs of similar size, like a binary counter: about log₂(n / capacity) remain.
        while (runs.Count >= 2 && runs[^2].Count <= 2 * runs[^1].Count)
        {
            var merged = Run.Merge(NewRunPath(), runs[^2], runs[^1]);
            runs[^2].Delete();
            runs[^1].Delete();
            runs.RemoveRange(runs.Count - 2, 2);
            runs.Add(merged);
        }
    }

    private string NewRunPath() => Path.Combine(spillDirectory!, $"keys-{Environment.ProcessId}-{instance}-{nextRun++}.bin");

    // A blocked Bloom filter: the 6 bits of a key all lie in one 64-byte block (one cache line),
    // chosen by the digest's high bits; the low bits pick the bits within the block.
    private const int BloomBitsPerKey = 6;

    private void BloomAdd(UInt128 digest)
    {
        var (block, bits) = BloomPosition(digest);
        for (var i = 0; i < BloomBitsPerKey; i++)
        {
            var bit = (int)(bits >> (9 * i)) & 511;
            bloom![block + (bit >> 6)] |= 1UL << (bit & 63);
        }
    }

    private bool BloomMayContain(UInt128 digest)
    {
        var (block, bits) = BloomPosition(digest);
        for (var i = 0; i < BloomBitsPerKey; i++)
        {
            var bit = (int)(bits >> (9 * i)) & 511;
            if ((bloom![block + (bit >> 6)] & (1UL << (bit & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private (int Block, ulong Bits) BloomPosition(UInt128 digest)
    {
        // The block is the digest's high half scaled to the number of blocks (its top bits, not
        // a remainder): blocks follow the digests' order, so a spill, which adds its keys
        // sorted, sets the filter's bits front to back instead of all over it.
        var blocks = (ulong)(bloom!.Length / 8);
        var block = (int)Math.BigMul((ulong)(digest >> 64), blocks, out _) * 8;
        return (block, (ulong)digest);
    }

    /// <summary>A sorted file of digests with every 256th digest kept in memory.</summary>
    private sealed class Run
    {
        private readonly string path;
        private readonly SafeFileHandle handle;
        private readonly UInt128[] index;

        private Run(string path, UInt128[] index, long count)
        {
            this.path = path;
            this.index = index;
            Count = count;
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }

        public long Count { get; }

        public static Run Write(string path, ReadOnlySpan<UInt128> sorted)
        {
            using (var writer = new RunWriter(path))
            {
                foreach (var key in sorted)
                {
                    writer.Append(key);
                }
            }

            return Open(path, sorted.Length, Index(sorted));
        }

        public static Run Merge(string path, Run a, Run b)
        {
            // At most a.Count + b.Count keys: the index is allocated once at that size (a growing
            // list copied at the end churned the large-object heap at every large merge).
            var index = new UInt128[(a.Count + b.Count + IndexStride - 1) / IndexStride];
            var indexed = 0;
            long count = 0;
            using (var writer = new RunWriter(path))
            {
                using var left = new RunReader(a);
                using var right = new RunReader(b);
                var hasLeft = left.MoveNext();
                var hasRight = right.MoveNext();
                while (hasLeft || hasRight)
                {
                    UInt128 next;
                    if (!hasRight || (hasLeft && left.Current <= right.Current))
                    {
                        next = left.Current;
                        hasLeft = left.MoveNext();
                        if (hasRight && right.Current == next)
                        {
                            hasRight = right.MoveNext(); // the same key in both runs: kept once
                        }
                    }
                    else
                    {
                        next = right.Current;
                        hasRight = right.MoveNext();
                    }

                    if (count % IndexStride == 0)
                    {
                        index[indexed++] = next;
                    }

                    writer.Append(next);
                    count++;
                }
            }

            return Open(path, count, indexed == index.Length ? index : index[..indexed]);
        }

        public bool Contains(UInt128 digest)
        {
            // The last indexed block whose first key is ≤ digest holds it, if any block does.
            var at = Array.BinarySearch(index, digest);
            if (at >= 0)
            {
                return true;
            }

            var block = ~at - 1;
            if (block < 0)
            {
                return false;
            }

            var first = (long)block * IndexStride;
            var keys = (int)Math.Min(IndexStride, Count - first);
            Span<byte> buffer = stackalloc byte[IndexStride * KeyBytes];
            buffer = buffer[..(keys * KeyBytes)];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = RandomAccess.Read(handle, buffer[read..], (first * KeyBytes) + read);
                if (n == 0)
                {
                    throw new IOException($"{path}: the key run ended early.");
                }

                read += n;
            }

            int lo = 0, hi = keys - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                var key = Decode(buffer.Slice(mid * KeyBytes, KeyBytes));
                if (key == digest)
                {
                    return true;
                }

                if (key < digest)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return false;
        }

        public void Delete()
        {
            handle.Dispose();
            File.Delete(path);
        }

        public string Path => path;

        private static Run Open(string path, long count, UInt128[] index) => new(path, index, count);

        private static UInt128[] Index(ReadOnlySpan<UInt128> sorted)
        {
            var index = new UInt128[(sorted.Length + IndexStride - 1) / IndexStride];
            for (var i = 0; i < index.Length; i++)
            {
                index[i] = sorted[i * IndexStride];
            }

            return index;
        }
    }

    private static UInt128 Decode(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));

    // Runs are read and written a block of keys at a time (a merge moves every key of both
    // runs: through a 16-byte read or write per key, merging cost more than everything else).
    private const int BlockBytes = 4096 * KeyBytes;

    private sealed class RunWriter(string path) : IDisposable
    {
        private readonly FileStream stream = PrivateFiles.Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        private readonly byte[] buffer = new byte[BlockBytes];
        private int used;

        public void Append(UInt128 key)
        {
            if (used == buffer.Length)
            {
                stream.Write(buffer);
                used = 0;
            }

            BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(used), (ulong)(key >> 64));
            BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(used + 8), (ulong)key);
            used += KeyBytes;
        }

        public void Dispose()
        {
            try
            {
                stream.Write(buffer, 0, used);
            }
            finally
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>A run's keys in order, read a block at a time.</summary>
    private sealed class RunReader(Run run) : IDisposable
    {
        private readonly FileStream stream = new(run.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        private readonly byte[] buffer = new byte[BlockBytes];
        private long left = run.Count;
        private int at;
        private int filled;

        public UInt128 Current { get; private set; }

        public bool MoveNext()
        {
            if (at == filled)
            {
                if (left == 0)
                {
                    return false;
                }

                filled = (int)Math.Min(buffer.Length, left * KeyBytes);
                stream.ReadExactly(buffer, 0, filled);
                at = 0;
            }

            Current = Decode(buffer.AsSpan(at, KeyBytes));
            at += KeyBytes;
            left--;
            return true;
        }

        public void Dispose() => stream.Dispose();
    }
}
