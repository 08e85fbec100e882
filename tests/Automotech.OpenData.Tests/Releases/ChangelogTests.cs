using Automotech.OpenData.Releases;

namespace Automotech.OpenData.Tests.Releases;

public class ChangelogTests
{
    [Fact]
    public void Rows_are_matched_by_primary_key_and_modified_fields_counted()
    {
        using var temp = new TempFolder();
        var before = temp.File("before.csv", "id,nom,ville\r\n1,A,Albi\r\n2,B,Rodez\r\n3,C,Foix\r\n4,D,Auch\r\n");
        var after = temp.File("after.csv", "id,nom,ville\r\n4,D,Auch\r\n2,B2,Rodez\r\n3,C,Tarbes\r\n5,E,Millau\r\n1,A,Albi\r\n6,F,Mende\r\n");
        var changelog = Changelog.Compute(() => File.OpenRead(before), after, ["id"], "2026-12-02", "2026-11-25");
        Assert.Equal((2L, 0L, 2L, 2L), (changelog.Added, changelog.Removed, changelog.Modified, changelog.Unchanged));
        Assert.Equal([new FieldChange("nom", 1), new FieldChange("ville", 1)], changelog.Fields);

        var shrunk = temp.File("shrunk.csv", "id,nom,ville\r\n1,A,Albi\r\n");
        var second = Changelog.Compute(() => File.OpenRead(before), shrunk, ["id"], "2026-12-09", "2026-11-25");
        Assert.Equal((0L, 3L, 0L, 1L), (second.Added, second.Removed, second.Modified, second.Unchanged));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)] // more partitions than rows: most are empty
    public void Partitioned_on_disk_it_counts_what_it_counts_in_memory(int partitions)
    {
        using var temp = new TempFolder();
        var random = new Random(5);
        var beforeRows = Enumerable.Range(0, 40).Select(i => $"{i},n{i},v{random.Next(3)}").ToList();
        var afterRows = beforeRows.Where((_, i) => i % 9 != 0) // removed
            .Select((r, i) => i % 4 == 0 ? r.Replace(",v", ",w", StringComparison.Ordinal) : r) // modified
            .Concat(Enumerable.Range(100, 7).Select(i => $"{i},n{i},v0")) // added
            .OrderBy(_ => random.Next()).ToList();
        var before = temp.File("before.csv", "id,nom,ville\r\n" + string.Join("\r\n", beforeRows) + "\r\n");
        var after = temp.File("after.csv", "id,nom,ville\r\n" + string.Join("\r\n", afterRows) + "\r\n");
        var spill = temp.Combine("spill");
        var inMemory = Changelog.Compute(() => File.OpenRead(before), after, ["id"], "v2", "v1");
        var onDisk = Changelog.Compute(() => File.OpenRead(before), after, ["id"], "v2", "v1", spill, partitions);
        Assert.Equal((7L, 5L), (inMemory.Added, inMemory.Removed));
        Assert.Equal(9L, inMemory.Modified);
        Assert.Equal([new FieldChange("ville", 9)], inMemory.Fields);
        Assert.Equal((inMemory.Added, inMemory.Removed, inMemory.Modified, inMemory.Unchanged), (onDisk.Added, onDisk.Removed, onDisk.Modified, onDisk.Unchanged));
        Assert.Equal(inMemory.Fields, onDisk.Fields);
        Assert.Empty(Directory.GetFiles(spill)); // partition files are removed
    }

    [Fact]
    public void A_changed_column_set_compares_rows_on_the_fields_both_versions_hold()
    {
        // A column added (code), one removed (ville), one moved (nom): every kept row was counted
        // as modified, and the new column as changed in each; the structure's changes say that once.
        using var temp = new TempFolder();
        var before = temp.File("before.csv", "id,nom,ville\r\n1,A,Albi\r\n2,B,Rodez\r\n4,D,Auch\r\n");
        var after = temp.File("after.csv", "id,code,nom\r\n1,81,A\r\n2,12,B2\r\n3,09,C\r\n4,32,D\r\n");
        var changelog = Changelog.Compute(() => File.OpenRead(before), after, ["id"], "v2", "v1");
        Assert.Equal((1L, 0L, 1L, 2L), (changelog.Added, changelog.Removed, changelog.Modified, changelog.Unchanged));
        Assert.Equal([new FieldChange("nom", 1)], changelog.Fields);
    }

    [Fact]
    public void Rows_of_a_previous_version_without_the_new_primary_key_are_not_matched()
    {
        // The key field was renamed (code → identifiant): the previous file has no column of the
        // new key. Its rows were all given the same empty key, so that 3 rows counted as 1 removed.
        using var temp = new TempFolder();
        var before = temp.File("before.csv", "code,nom\r\n1,A\r\n2,B\r\n3,C\r\n");
        var after = temp.File("after.csv", "identifiant,nom\r\n1,A\r\n2,B\r\n3,C\r\n");
        var changelog = Changelog.Compute(() => File.OpenRead(before), after, ["identifiant"], "v2", "v1", temp.Combine("spill"), partitions: 3);
        Assert.Equal((3L, 3L, 0L, 0L), (changelog.Added, changelog.Removed, changelog.Modified, changelog.Unchanged));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Rows_of_a_previous_version_sharing_a_key_of_the_new_primary_key_are_each_counted(int partitions)
    {
        // The key changed from siret to commune, a field the previous file holds: its rows 1 and
        // 2 share the commune 31555. One of them is compared with the new row of 31555, the other
        // has no counterpart and counts as removed, so that every row of either version is
        // counted once (before, 4 rows = 2 removed + 1 modified + 1 unchanged; after, 3 rows =
        // 1 added + 1 modified + 1 unchanged). The last one read was kept and the others lost,
        // and 4 rows before added up to 3.
        using var temp = new TempFolder();
        var before = temp.File("before.csv", "siret,commune,nom\r\n1,31555,A\r\n2,31555,B\r\n3,81004,C\r\n4,12202,D\r\n");
        var after = temp.File("after.csv", "commune,nom\r\n31555,B\r\n81004,C2\r\n09122,E\r\n");
        var changelog = Changelog.Compute(() => File.OpenRead(before), after, ["commune"], "v2", "v1", temp.Combine("spill"), partitions);
        Assert.Equal((1L, 2L, 1L, 1L), (changelog.Added, changelog.Removed, changelog.Modified, changelog.Unchanged));
        Assert.Equal(4, changelog.Removed + changelog.Modified + changelog.Unchanged);
        Assert.Equal([new FieldChange("nom", 1)], changelog.Fields);
    }

    [Fact]
    public void A_first_version_counts_every_row_as_added()
    {
        using var temp = new TempFolder();
        var csv = temp.File("a.csv", "id,nom\r\n1,\"A, \"\"quoted\"\"\nmultiline\"\r\n2,B\r\n");
        var changelog = Changelog.Compute(null, csv, ["id"], "2026-11-25", null);
        Assert.Equal((2L, null), (changelog.Added, changelog.Previous));
    }

    [Fact]
    public void Cells_are_compared_by_their_text_not_by_their_quoting()
    {
        using var temp = new TempFolder();
        var before = temp.File("before.csv", "id,nom,ville\r\n1,\"A\",Albi\r\n2,\"B \"\"x\"\"\",Rodez\r\n3,Céline,Foix\r\n4,Noël,Auch\r\n");
        var after = temp.File("after.csv", "id,nom,ville\r\n1,A,Albi\r\n2,\"B \"\"x\"\"\",\"Rodez\"\r\n3,Céline,Foix\r\n4,Noel,Auch\r\n");
        var changelog = Changelog.Compute(() => File.OpenRead(before), after, ["id"], "v2", "v1", temp.Combine("spill"), partitions: 2);
        Assert.Equal((0L, 0L, 1L, 3L), (changelog.Added, changelog.Removed, changelog.Modified, changelog.Unchanged));
        Assert.Equal([new FieldChange("nom", 1)], changelog.Fields);
    }

    [Fact]
    public void A_failed_read_of_either_version_fails_the_comparison_and_leaves_no_partition_file()
    {
        using var temp = new TempFolder();
        var rows = "id,nom\r\n" + string.Concat(Enumerable.Range(0, 5_000).Select(i => $"{i},nom {i}\r\n"));
        var csv = temp.File("current.csv", rows);
        var spill = temp.Combine("spill");

        // The previous version's stream breaks off (a blob download that fails half-way).
        var broken = Assert.Throws<IOException>(() => Changelog.Compute(
            () => new FailingStream(System.Text.Encoding.UTF8.GetBytes(rows), failAfter: 20_000), csv, ["id"], "v2", "v1", spill, partitions: 4));
        Assert.Equal("connection reset", broken.Message);
        Assert.Empty(Directory.GetFiles(spill));

        // The current version's file is missing, while the previous one is being split.
        Assert.Throws<FileNotFoundException>(() => Changelog.Compute(
            () => File.OpenRead(csv), temp.Combine("missing.csv"), ["id"], "v2", "v1", spill, partitions: 4));
        Assert.Empty(Directory.GetFiles(spill));
    }

    /// <summary>A stream of the given bytes that throws once <c>failAfter</c> of them have been read.</summary>
    private sealed class FailingStream(byte[] bytes, int failAfter) : MemoryStream(bytes, writable: false)
    {
        // MemoryStream's span and async reads of a derived class come here.
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAfter)
            {
                throw new IOException("connection reset");
            }

            return base.Read(buffer, offset, Math.Min(count, failAfter - (int)Position));
        }
    }
}
