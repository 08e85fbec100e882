using Automotech.OpenData.Publishing;

namespace Automotech.OpenData.Tests.Publishing;

public class PublisherTests
{
    [Theory]
    [InlineData("datasets/acteurs/2026-11-25/acteurs.csv", 0)]
    [InlineData("datasets/acteurs/2026-11-25/index.html", 0)]
    [InlineData("datasets/acteurs/latest/acteurs.csv", 1)]
    [InlineData("datasets/acteurs/index.html", 3)]
    [InlineData("assets/site.css", 3)]
    [InlineData("releases.json", 4)]
    [InlineData("index.html", 5)]
    public void Files_are_published_data_first_home_page_last(string path, int stage) => Assert.Equal(stage, Publisher.Stage(path));

    [Fact]
    public async Task Only_changed_files_are_written_and_a_second_publish_writes_nothing()
    {
        using var temp = new TempFolder();
        var tree = await TreeAsync(temp, ("index.html", "home"), ("datasets/a/2026-11-25/a.csv", "x"));
        var target = new LocalFolderTarget(temp.Combine("site"));
        var first = await new Publisher(target).PublishAsync(tree, new HashSet<string>(), CancellationToken.None);
        var second = await new Publisher(target).PublishAsync(tree, new HashSet<string>(), CancellationToken.None);
        Assert.Equal(new PublishResult(2, 0), first);
        Assert.Equal(new PublishResult(0, 2), second);
    }

    [Fact]
    public async Task A_published_version_is_never_rewritten()
    {
        using var temp = new TempFolder();
        var target = new LocalFolderTarget(temp.Combine("site"));
        await new Publisher(target).PublishAsync(await TreeAsync(temp, ("datasets/a/2026-11-25/a.csv", "x")), new HashSet<string>(), CancellationToken.None);
        var changed = await TreeAsync(temp, ("datasets/a/2026-11-25/a.csv", "y"));
        var e = await Assert.ThrowsAsync<PipelineException>(() =>
            new Publisher(target).PublishAsync(changed, new HashSet<string> { "datasets/a/2026-11-25/" }, CancellationToken.None));
        Assert.Contains("immutable", e.Message, StringComparison.Ordinal);
        Assert.Equal("x", await File.ReadAllTextAsync(temp.Combine("site", "datasets", "a", "2026-11-25", "a.csv")));
    }

    [Fact]
    public async Task A_file_deep_in_a_published_version_folder_is_never_rewritten_either()
    {
        using var temp = new TempFolder();
        var target = new LocalFolderTarget(temp.Combine("site"));
        const string part = "datasets/a/2026-11-25/a/code_departement=31/part-0.parquet";
        await new Publisher(target).PublishAsync(await TreeAsync(temp, (part, "x")), new HashSet<string>(), CancellationToken.None);
        var e = await Assert.ThrowsAsync<PipelineException>(() =>
            new Publisher(target).PublishAsync(TreeAsync(temp, (part, "y")).Result, new HashSet<string> { "datasets/a/2026-11-25/" }, CancellationToken.None));
        Assert.Contains("immutable", e.Message, StringComparison.Ordinal);
        Assert.Equal("x", await File.ReadAllTextAsync(temp.Combine("site", "datasets", "a", "2026-11-25", "a", "code_departement=31", "part-0.parquet")));
    }

    [Fact]
    public async Task A_partition_or_a_format_no_longer_published_leaves_latest_and_stays_in_its_version()
    {
        using var temp = new TempFolder();
        var site = temp.Combine("site");
        var target = new LocalFolderTarget(site);
        var first = await TreeAsync(temp,
            ("datasets/a/v1/a.csv", "1"), ("datasets/a/v1/a.geojson", "g"), ("datasets/a/v1/a/p=1/part-0.parquet", "p1"), ("datasets/a/v1/a/p=2/part-0.parquet", "p2"),
            ("datasets/a/latest/a.csv", "1"), ("datasets/a/latest/a.geojson", "g"), ("datasets/a/latest/a/p=1/part-0.parquet", "p1"), ("datasets/a/latest/a/p=2/part-0.parquet", "p2"),
            ("datasets/b/latest/b.csv", "b"), ("datasets/b/latest/b/p=9/part-0.parquet", "b9"));
        Assert.Equal(new PublishResult(10, 0, 0), await new Publisher(target).PublishAsync(first, new HashSet<string>(), CancellationToken.None, Latest(first)));

        // The next version of a has no geojson and no partition 2; b has no new version: its files are kept as releases.json lists them.
        // Single-use, as the pipeline's: its files are moved out as they are published.
        var next = await TreeAsync(temp, singleUse: true,
            ("datasets/a/v2/a.csv", "2"), ("datasets/a/v2/a/p=1/part-0.parquet", "q1"),
            ("datasets/a/latest/a.csv", "2"), ("datasets/a/latest/a/p=1/part-0.parquet", "q1"));
        var result = await new Publisher(target).PublishAsync(next, new HashSet<string> { "datasets/a/v1/" }, CancellationToken.None, Latest(next, ("datasets/b/latest/", ["b.csv", "b/p=9/part-0.parquet"])));

        Assert.Equal(new PublishResult(4, 0, 2), result);
        var files = Contents(site).ToDictionary(f => f.Key.Replace(Path.DirectorySeparatorChar, '/'), f => f.Value);
        Assert.Equal(["datasets/a/latest/a.csv", "datasets/a/latest/a/p=1/part-0.parquet"], files.Keys.Where(k => k.StartsWith("datasets/a/latest/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(site, "datasets", "a", "latest", "a", "p=2")));
        Assert.Equal("p2", files["datasets/a/v1/a/p=2/part-0.parquet"]);
        Assert.Equal("g", files["datasets/a/v1/a.geojson"]);
        Assert.Equal("b9", files["datasets/b/latest/b/p=9/part-0.parquet"]);

        // Nothing else is ever mirrored: a version folder or the root would lose published files.
        var again = await TreeAsync(temp, ("datasets/a/latest/a.csv", "2"));
        await Assert.ThrowsAsync<ArgumentException>(() => new Publisher(target).PublishAsync(again, new HashSet<string>(), CancellationToken.None, new Dictionary<string, IReadOnlySet<string>> { ["datasets/a/v1/"] = new HashSet<string>() }));
        await Assert.ThrowsAsync<ArgumentException>(() => new Publisher(target).PublishAsync(again, new HashSet<string>(), CancellationToken.None, new Dictionary<string, IReadOnlySet<string>> { [""] = new HashSet<string>() }));
        await Assert.ThrowsAsync<ArgumentException>(() => new Publisher(target).PublishAsync(again, new HashSet<string>(), CancellationToken.None, new Dictionary<string, IReadOnlySet<string>> { ["datasets/a/latest/a/"] = new HashSet<string>() }));
        Assert.Equal("p2", await File.ReadAllTextAsync(Path.Combine(site, "datasets", "a", "v1", "a", "p=2", "part-0.parquet")));
    }

    [Fact]
    public async Task An_interrupted_publish_leaves_the_previous_release_live_and_a_rerun_completes_it()
    {
        using var temp = new TempFolder();
        var first = await TreeAsync(temp, ("index.html", "v1"), ("releases.json", "v1"), ("datasets/a/v1/a.csv", "d1"), ("datasets/a/latest/a.csv", "d1"));
        var next = await TreeAsync(temp, ("index.html", "v2"), ("releases.json", "v2"), ("datasets/a/v2/a.csv", "d2"), ("datasets/a/latest/a.csv", "d2"), ("datasets/a/index.html", "p"));
        var clean = new LocalFolderTarget(temp.Combine("clean"));
        await new Publisher(clean).PublishAsync(first, new HashSet<string>(), CancellationToken.None);
        await new Publisher(clean).PublishAsync(next, new HashSet<string>(), CancellationToken.None);

        // Interrupt after k successful writes, for every k before the last file.
        for (var k = 0; k < 5; k++)
        {
            var site = temp.Combine($"site-{k}");
            await new Publisher(new LocalFolderTarget(site)).PublishAsync(first, new HashSet<string>(), CancellationToken.None);
            var failing = new FailingTarget(new LocalFolderTarget(site), k);
            await Assert.ThrowsAsync<IOException>(() => new Publisher(failing).PublishAsync(next, new HashSet<string>(), CancellationToken.None));
            Assert.Equal("v1", await File.ReadAllTextAsync(Path.Combine(site, "index.html")));
            Assert.Equal(k < 4 ? "v1" : "v2", await File.ReadAllTextAsync(Path.Combine(site, "releases.json")));
            Assert.Equal("d1", await File.ReadAllTextAsync(Path.Combine(site, "datasets", "a", "v1", "a.csv")));

            await new Publisher(new LocalFolderTarget(site)).PublishAsync(next, new HashSet<string>(), CancellationToken.None);
            Assert.Equal(Contents(clean.Root), Contents(site));
        }
    }

    [Fact]
    public async Task A_staged_copy_holds_no_bytes_of_its_own_and_keeps_the_old_ones_when_its_source_changes()
    {
        using var temp = new TempFolder();
        var tree = await TreeAsync(temp, ("datasets/a/v1/a.csv", "d1"));
        tree.Copy("datasets/a/v1/a.csv", "datasets/a/latest/a.csv");
        Assert.Single(Directory.EnumerateFiles(tree.Root, "*", SearchOption.AllDirectories));
        Assert.True(tree.Contains("datasets/a/latest/a.csv"));
        var files = tree.Files();
        Assert.Equal(["datasets/a/latest/a.csv", "datasets/a/v1/a.csv"], files.Select(f => f.Path));
        Assert.Equal(files[0].Sha256, files[1].Sha256);

        // New bytes for the source: the copy keeps what it was copied with.
        await tree.WriteAsync("datasets/a/v1/a.csv", "d2"u8.ToArray(), CancellationToken.None);
        Assert.Equal("d1", await File.ReadAllTextAsync(tree.LocalPath("datasets/a/latest/a.csv")));
        Assert.Equal("d2", await File.ReadAllTextAsync(tree.LocalPath("datasets/a/v1/a.csv")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_single_use_tree_moves_each_file_to_a_folder_at_its_last_path(bool singleUse)
    {
        using var temp = new TempFolder();
        var tree = new StagedTree(temp.Combine("staging")) { SingleUse = singleUse };
        await tree.WriteAsync("datasets/a/v1/a.csv", "d1"u8.ToArray(), CancellationToken.None);
        tree.Copy("datasets/a/v1/a.csv", "datasets/a/latest/a.csv");
        await tree.WriteAsync("index.html", "home"u8.ToArray(), CancellationToken.None);
        var site = temp.Combine("site");
        var result = await new Publisher(new LocalFolderTarget(site)).PublishAsync(tree, new HashSet<string>(), CancellationToken.None);

        Assert.Equal(new PublishResult(3, 0), result);
        Assert.Equal(
            new Dictionary<string, string>
            {
                [Path.Combine("datasets", "a", "v1", "a.csv")] = "d1",
                [Path.Combine("datasets", "a", "latest", "a.csv")] = "d1",
                ["index.html"] = "home",
            },
            Contents(site));

        // Moved, not copied, when the tree is used once; kept for another publish otherwise.
        Assert.Equal(singleUse ? 0 : 2, Directory.EnumerateFiles(tree.Root, "*", SearchOption.AllDirectories).Count());
    }

    /// <summary>Each latest folder of the tree with the tree's files in it, and the extra folders given with their file names.</summary>
    private static Dictionary<string, IReadOnlySet<string>> Latest(StagedTree tree, params (string Folder, string[] Names)[] more)
    {
        var latest = tree.Files().Select(f => f.Path).Where(p => Publisher.Stage(p) == 1)
            .GroupBy(p => string.Join('/', p.Split('/')[..3]) + "/")
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.ToHashSet(StringComparer.Ordinal));
        foreach (var (folder, names) in more)
        {
            latest[folder] = names.Select(n => folder + n).ToHashSet(StringComparer.Ordinal);
        }

        return latest;
    }

    private static Dictionary<string, string> Contents(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText);

    // A disk that fills up while a file is copied into the served folder (the copy seam writes half
    // the bytes, then fails as ENOSPC does): the copy's .partial file must not stay in the served
    // tree, where nothing lists it and a later run may not write that path again.
    [Fact]
    public async Task A_copy_that_fails_part_way_removes_its_partial_file_and_names_the_file()
    {
        using var temp = new TempFolder();
        var tree = await TreeAsync(temp, ("datasets/a/2026-11-25/a.csv", "x,y\r\n1,2\r\n"), ("datasets/a/latest/b.csv", "other\r\n"));
        var target = new LocalFolderTarget(temp.Combine("site"))
        {
            CopyFile = (from, to) =>
            {
                var bytes = File.ReadAllBytes(from);
                File.WriteAllBytes(to, bytes[..(bytes.Length / 2)]);
                throw new IOException("No space left on device");
            },
        };

        var e = await Assert.ThrowsAsync<IOException>(() => new Publisher(target).PublishAsync(tree, new HashSet<string>(), CancellationToken.None));

        Assert.Contains("datasets/a/", e.Message, StringComparison.Ordinal);
        Assert.Contains("No space left on device", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(temp.Combine("site"), "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_rename_that_fails_removes_its_partial_file_and_names_the_file()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("site", "datasets", "a", "latest", "b.csv")); // a directory where the file goes: rename(2) fails
        var tree = await TreeAsync(temp, ("datasets/a/latest/b.csv", "other\r\n"));

        var e = await Assert.ThrowsAsync<IOException>(() => new Publisher(new LocalFolderTarget(temp.Combine("site"))).PublishAsync(tree, new HashSet<string>(), CancellationToken.None));

        Assert.Contains("datasets/a/latest/b.csv", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(temp.Combine("site"), "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_run_removes_the_partial_files_a_stopped_run_left_in_the_folder()
    {
        using var temp = new TempFolder();
        var site = temp.Combine("site");
        string[] stale = ["datasets/a/2026-11-24/a.csv.partial", "datasets/a/index.html.partial", "catalog.jsonld.partial", "datasets/a/latest/a.parquet.partial"];
        foreach (var path in stale)
        {
            var local = Path.Combine(site, path);
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            File.WriteAllText(local, "half a fi");
            File.SetLastWriteTimeUtc(local, DateTime.UtcNow.AddDays(-2));
        }

        // A copy under way (another publisher's, written to a moment ago) is not a stopped run's.
        var fresh = Path.Combine(site, "datasets", "b", "latest", "b.csv.partial");
        Directory.CreateDirectory(Path.GetDirectoryName(fresh)!);
        File.WriteAllText(fresh, "being writ");

        await new Publisher(new LocalFolderTarget(site)).PublishAsync(await TreeAsync(temp, ("index.html", "home")), new HashSet<string>(), CancellationToken.None);

        Assert.Equal([fresh], Directory.EnumerateFiles(site, "*.partial", SearchOption.AllDirectories));
        Assert.Equal("home", File.ReadAllText(Path.Combine(site, "index.html")));
    }

    private static Task<StagedTree> TreeAsync(TempFolder temp, params (string Path, string Content)[] files) => TreeAsync(temp, singleUse: false, files);

    private static async Task<StagedTree> TreeAsync(TempFolder temp, bool singleUse, params (string Path, string Content)[] files)
    {
        var tree = new StagedTree(temp.Combine("staging-" + Guid.NewGuid().ToString("N"))) { SingleUse = singleUse };
        foreach (var (path, content) in files)
        {
            await tree.WriteAsync(path, System.Text.Encoding.UTF8.GetBytes(content), CancellationToken.None);
        }

        return tree;
    }
}
