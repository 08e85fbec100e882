using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Tests.Validation;

public class QuarantineTests
{
    [Fact]
    public void Rejected_rows_reach_the_files_while_the_run_goes_on_not_only_at_the_end()
    {
        using var temp = new TempFolder();
        var directory = temp.Combine("q");
        string[] fields = ["siret", "raison_sociale"];
        using (var quarantine = Quarantine.WritingTo(directory, fields))
        {
            for (var line = 2; line < 20_002; line++)
            {
                quarantine.Reject(new RejectedRow(line, [new RowError(line, "siret", "siret-error", "siret", "« siret » : clé de contrôle invalide")], ["12345678901234", "Société " + line]));
            }

            // 20,000 rejections, each a few hundred bytes of JSON: most of them must already be
            // on disk (memory holds at most a 64 KiB tail per file).
            Assert.True(new FileInfo(Path.Combine(directory, "rejets.json")).Length > 2_000_000);
            Assert.True(new FileInfo(Path.Combine(directory, "rapport.json")).Length > 1_000_000);
            quarantine.Complete(40_000, valid: false);
        }

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "rejets.json")));
        Assert.Equal(20_000, json.RootElement.GetArrayLength());
        Assert.Equal(20_001, json.RootElement[19_999].GetProperty("ligne").GetInt64());
    }

    [Fact]
    public void A_counting_only_quarantine_counts_and_tells_the_observer_and_has_no_directory()
    {
        var observer = new RejectList();
        using var quarantine = Quarantine.CountingOnly(["siret", "raison_sociale"], observer);
        quarantine.Reject(new RejectedRow(2, [new RowError(2, "siret", "siret-error", "siret", "clé de contrôle invalide")], ["12345678901234", "Société"]));
        quarantine.Warn(new RowError(3, "raison_sociale", "constraint-warning", "maxLength", "longue"));
        quarantine.Complete(10, valid: true);

        Assert.Null(quarantine.Directory);
        Assert.Equal(1, quarantine.RejectedRows);
        Assert.Equal(1, quarantine.WarningCount);
        Assert.Equal(1, quarantine.Counts[("siret-error", "siret")]);
        Assert.Equal(1, quarantine.WarningCounts[("constraint-warning", "raison_sociale")]);
        Assert.Single(observer.Rows);
        Assert.Single(observer.Warnings);
    }

    [Fact]
    public void Counts_are_rows_a_row_breaking_two_rules_of_one_type_on_one_field_counts_once()
    {
        // The public summary's column is "Lignes" (rows): a row whose "nom" is both too short and
        // too long for a contradictory pair of constraints, or breaks two constraints of one type,
        // is one row, not two; 250 rows read must never show 253 rows in error.
        using var quarantine = Quarantine.CountingOnly(["nom", "ville"]);
        quarantine.Reject(new RejectedRow(2, [new RowError(2, "nom", "constraint-error", "minLength", "trop court"), new RowError(2, "nom", "constraint-error", "pattern", "motif"), new RowError(2, "ville", "constraint-error", "required", "manquant")], ["x", ""]));
        quarantine.Reject(new RejectedRow(3, [new RowError(3, "nom", "constraint-error", "minLength", "trop court")], ["y", "Albi"]));
        quarantine.Warn(new RowError(4, "nom", "constraint-warning", "maxLength", "long"));
        quarantine.Warn(new RowError(4, "nom", "constraint-warning", "pattern", "motif"));
        quarantine.Warn(new RowError(5, "nom", "constraint-warning", "maxLength", "long"));

        Assert.Equal(2, quarantine.Counts[("constraint-error", "nom")]);
        Assert.Equal(1, quarantine.Counts[("constraint-error", "ville")]);
        Assert.Equal(2, quarantine.WarningCounts[("constraint-warning", "nom")]);
        Assert.Equal(4, quarantine.ErrorCount); // errors are still counted one by one
        Assert.Equal(3, quarantine.WarningCount);
    }

    [Fact]
    public void Counts_are_in_ordinal_order_whatever_the_machines_culture()
    {
        // The public summary (releases.json, the site) lists counts in this order: it must not
        // depend on the culture of the machine that publishes (ICU puts "code_a" before "codeB";
        // ordinal order, and a machine in invariant-globalization mode, put it after).
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("en-US");
        try
        {
            using var quarantine = Quarantine.CountingOnly(["code_a", "codeB"]);
            quarantine.Reject(new RejectedRow(2, [new RowError(2, "code_a", "required", "required", "manquant")], ["", "x"]));
            quarantine.Reject(new RejectedRow(3, [new RowError(3, "codeB", "required", "required", "manquant")], ["x", ""]));
            quarantine.Warn(new RowError(4, "code_a", "constraint-warning", "maxLength", "longue"));
            quarantine.Warn(new RowError(5, "codeB", "constraint-warning", "maxLength", "longue"));

            Assert.Equal(["codeB", "code_a"], quarantine.Counts.Keys.Select(k => k.Field));
            Assert.Equal(["codeB", "code_a"], quarantine.WarningCounts.Keys.Select(k => k.Field));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_writing_quarantine_refuses_a_missing_directory_instead_of_writing_nothing(string? directory)
    {
        Assert.ThrowsAny<ArgumentException>(() => Quarantine.WritingTo(directory!, ["siret"]));
    }

    [Theory]
    [InlineData("rejets.json")]
    [InlineData("rapport.json")]
    public void A_quarantine_whose_later_file_cannot_be_created_closes_the_ones_already_open(string blocked)
    {
        using var temp = new TempFolder();
        var directory = temp.Combine("q");
        // A folder has the file's name: it cannot be created.
        Directory.CreateDirectory(Path.Combine(directory, blocked));

        var e = Assert.ThrowsAny<Exception>(() => Quarantine.WritingTo(directory, ["siret"]));

        Assert.True(e is IOException or UnauthorizedAccessException, e.ToString());
        Assert.Contains(blocked, e.Message, StringComparison.Ordinal);
        // Every file created before it is closed: it can be opened exclusively.
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
            }
        }

        Assert.Contains(Path.Combine(directory, "rejets.csv"), Directory.EnumerateFiles(directory));
    }
}
