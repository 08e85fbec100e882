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

    [Fact]
    public void A_first_version_counts_every_row_as_added()
    {
        using var temp = new TempFolder();
        var csv = temp.File("a.csv", "id,nom\r\n1,\"A, \"\"quoted\"\"\nmultiline\"\r\n2,B\r\n");
        var changelog = Changelog.Compute(null, csv, ["id"], "2026-11-25", null);
        Assert.Equal((2L, null), (changelog.Added, changelog.Previous));
    }
}
