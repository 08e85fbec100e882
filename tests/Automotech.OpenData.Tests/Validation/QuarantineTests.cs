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
        using (var quarantine = new Quarantine(directory, fields))
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
}
