using System.Diagnostics;
using System.Runtime.Versioning;
using Automotech.OpenData.Validation;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// The quarantine (rejected rows and their values) and the work folder (staged outputs, spilled
/// keys, held rows) are owner-only on Unix whatever the umask; the published files keep the mode
/// the umask gives, since they are public (the security review's note: both were 0644/0755).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PrivateFileModeTests
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OwnerOnlyFolder = OwnerOnlyFile | UnixFileMode.UserExecute;

    private const UnixFileMode Everyone = (UnixFileMode)0x1FF; // 0777

    [Fact]
    public async Task Quarantine_and_work_files_are_owner_only_under_a_permissive_umask_and_published_files_keep_its_mode()
    {
        using var temp = new TempFolder();

        // umask 000: left to it, every file would be 0666 and every folder 0777. Twice: the second
        // run's data are unchanged, so its build outputs stay in the work folder, unpublished.
        for (var run = 0; run < 2; run++)
        {
            var (code, _, stderr) = await RunUnderUmaskAsync(temp, "000", "publish", $"--Publishing:Output={temp.Combine("site")}");
            Assert.True(code == 0, stderr);
        }

        var quarantine = temp.Combine("nested", "q");
        var work = temp.Combine("nested", "work");
        Assert.True(File.Exists(Path.Combine(quarantine, "acteurs", "rejets.csv")));
        Assert.NotEmpty(File.ReadAllLines(Path.Combine(quarantine, "acteurs", "rejets.csv")).Skip(1)); // the demo's rejected rows, values included
        Assert.True(File.Exists(Path.Combine(work, "build", "acteurs", "acteurs.csv")), "an unpublished build output stays in the work folder");

        var files = new List<string>();
        foreach (var root in new[] { quarantine, work })
        {
            Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(root));
            foreach (var folder in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
            {
                Assert.True(File.GetUnixFileMode(folder) == OwnerOnlyFolder, $"{folder}: {File.GetUnixFileMode(folder)}");
            }

            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                Assert.True(File.GetUnixFileMode(file) == OwnerOnlyFile, $"{file}: {File.GetUnixFileMode(file)}");
                files.Add(Path.GetRelativePath(temp.Combine("nested"), file));
            }
        }

        foreach (var expected in new[] { "q/acteurs/rejets.csv", "q/acteurs/rejets.json", "q/acteurs/rapport.json", "work/.lock", "work/build/acteurs/acteurs.parquet" })
        {
            Assert.Contains(expected.Replace('/', Path.DirectorySeparatorChar), files);
        }

        // The published tree is public: its files and folders have what the umask gives (0666, 0777).
        var site = temp.Combine("site");
        Assert.Equal(Everyone, File.GetUnixFileMode(site));
        Assert.All(Directory.EnumerateDirectories(site, "*", SearchOption.AllDirectories), f => Assert.Equal(Everyone, File.GetUnixFileMode(f)));
        Assert.All(Directory.EnumerateFiles(site, "*", SearchOption.AllDirectories), f => Assert.Equal(Everyone & ~(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute), File.GetUnixFileMode(f)));
        Assert.True(File.Exists(Path.Combine(site, "datasets", "acteurs", "latest", "acteurs.csv")));

        // The configured folders' parent is made as any folder: it may also hold the published one.
        Assert.Equal(Everyone, File.GetUnixFileMode(temp.Combine("nested")));
    }

    [Fact]
    public void Spilled_keys_are_owner_only()
    {
        using var temp = new TempFolder();
        var directory = temp.Combine("private", "keys");
        using var keys = new KeySet(directory, memoryCapacity: 10, bloomBytes: 1 << 10);
        for (var i = 0; i < 100; i++)
        {
            keys.Add((UInt128)(ulong)i * 7919);
        }

        var spilled = Directory.GetFiles(directory);
        Assert.NotEmpty(spilled);
        Assert.All(spilled, f => Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(f)));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(directory));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(temp.Combine("private")));
    }

    /// <summary>The built Worker in a shell that sets the umask first, with the quarantine and work folders under a folder it creates.</summary>
    private static async Task<(int Code, string Stdout, string Stderr)> RunUnderUmaskAsync(TempFolder temp, string umask, params string[] args)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "Automotech.OpenData.Worker.dll");
        var start = new ProcessStartInfo("/bin/sh")
 { WorkingDirectory = Repo.Root };
        start.Environment.Remove("Anonymisation__Key");
        start.Environment["CI"] = "true";
        string[] arguments =
        [
            "-c", $"umask {umask} && exec dotnet exec \"$@\"", "sh", worker, .. args.Take(1),
            $"--Pipeline:WorkDirectory={temp.Combine("nested", "work")}", $"--Pipeline:QuarantineDirectory={temp.Combine("nested", "q")}", .. args.Skip(1),
        ];
        return await ChildProcess.RunAsync(start, arguments);
    }
}
