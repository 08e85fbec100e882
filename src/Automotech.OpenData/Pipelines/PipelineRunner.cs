using System.Diagnostics;
using Automotech.OpenData.Publishing;
using Automotech.OpenData.Releases;
using Automotech.OpenData.Site;
using Automotech.OpenData.Writers;
using Microsoft.Extensions.Logging;

namespace Automotech.OpenData.Pipelines;

/// <summary>What a publish run did.</summary>
public sealed record PublishReport(IReadOnlyList<DatasetBuild> Builds, IReadOnlyList<string> NewVersions, PublishResult Result);

/// <summary>
/// One run, end to end: build every selected dataset, number new versions from the target's
/// <c>releases.json</c>, render the site, then publish. Nothing reaches the target until every
/// dataset has built and the whole tree is staged: a bad run publishes nothing.
/// </summary>
public sealed class PipelineRunner(RunOptions options, IPublishTarget target, TimeProvider clock, ILogger logger)
{
    /// <summary>Receives progress (a terminal's display); null in CI.</summary>
    public IRunProgress? Progress { get; set; }

    public IReadOnlyList<PipelineDefinition> LoadPipelines()
    {
        var all = PipelineLoader.LoadAll(options.PipelinesDirectory);
        if (options.PipelineId is { } id)
        {
            var one = all.FirstOrDefault(p => p.Id == id)
                ?? throw new PipelineException($"No pipeline '{id}' under {options.PipelinesDirectory} (known: {string.Join(", ", all.Select(p => p.Id))}).");

            // A pipeline comes with the datasets derived from its records, and a derived dataset with its parent.
            var parent = one.IsDerived ? one.Source.From : one.Id;
            return [.. all.Where(p => p.Id == parent || (p.IsDerived && p.Source.From == parent))];
        }

        if (options.SourceOverride is not null && all.Count(p => !p.IsDerived) > 1)
        {
            throw new PipelineException("--source replaces one pipeline's source: name it with --pipeline.");
        }

        return all;
    }

    /// <summary>
    /// Runs the stages and publishes nothing (only the private scratch of the work folder); throws
    /// when a dataset would not publish.
    /// </summary>
    public async Task<IReadOnlyList<DatasetBuild>> ValidateAsync(CancellationToken cancellationToken)
    {
        var builder = new DatasetBuilder(options, logger, Progress);
        var builds = new List<DatasetBuild>();
        var pipelines = LoadPipelines();
        RefuseSpecialFiles(pipelines);
        using var workLock = WorkDirectoryLock.Acquire(options.WorkDirectory);
        ClearPrivateFiles();
        foreach (var pipeline in pipelines.Where(p => !p.IsDerived))
        {
            builds.AddRange(await FailureContext.InStageAsync("validate (read, check, anonymise)", pipeline.Id,
                () => builder.ValidateAsync(pipeline, clock.GetUtcNow(), [.. DerivedFrom(pipeline, pipelines)], cancellationToken)));
        }

        return builds;
    }

    public async Task<PublishReport> PublishAsync(CancellationToken cancellationToken)
    {
        CheckFolders();
        var pipelines = LoadPipelines();
        CheckSources(pipelines);
        RefuseSpecialFiles(pipelines);
        using var workLock = WorkDirectoryLock.Acquire(options.WorkDirectory);

        // One publisher at a time, by the target's own lock, from the reading of releases.json to
        // the last upload: a second publisher (on any machine) stops here, having read nothing.
        await using var publishLock = await target.LockAsync(cancellationToken);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, publishLock.Lost);
        try
        {
            return await PublishLockedAsync(pipelines, run.Token);
        }
        catch (OperationCanceledException e) when (publishLock.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PipelineException(publishLock.LostReason ?? $"{target.Description}: the publish lock was lost.", e);
        }
    }

    private async Task<PublishReport> PublishLockedAsync(IReadOnlyList<PipelineDefinition> pipelines, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var published = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var manifestBytes = await ReadManifestAsync(cancellationToken);
        var manifest = ParseManifest(manifestBytes);
        if (await InterruptedPublicationAsync(pipelines, manifest, published, cancellationToken) is { } interrupted)
        {
            Log.Resuming(logger, PublicationTime.Iso(interrupted));
            published = interrupted;
        }

        var previouslyPublished = manifest.Datasets
            .SelectMany(d => d.Versions.Select(v => $"datasets/{d.Id}/{v.Version}/"))
            .ToHashSet(StringComparer.Ordinal);

        // Released versions whose page is missing from the target (deleted by hand, lost in
        // storage): the permalink journalists cite. The page is derived from the version's
        // published files, so it is rendered again; the version's files are never rewritten.
        var missingPages = await MissingVersionPagesAsync(manifest, cancellationToken);

        // Versions a run stopped while uploading left in the target with other content than this
        // run's: never released (releases.json does not list them), so numbered past, never rewritten.
        var unreleased = new HashSet<(string Id, string Version)>();
        var builder = new DatasetBuilder(options, logger, Progress);
        List<DatasetBuild> builds;
        StagedTree tree;
        List<string> newVersions;
        List<(string Id, ReleaseVersion Version)> newVersionPages;
        while (true)
        {
            manifest = ParseManifest(manifestBytes);

            // 1. Build every dataset into the work folder. Any failure stops the run here.
            ClearPrivateFiles();
            builds = [];
            (string Version, string Directory) Prepare(PipelineDefinition pipeline)
            {
                var history = (manifest.Find(pipeline.Id)?.Versions.Select(v => v.Version) ?? [])
                    .Concat(unreleased.Where(u => u.Id == pipeline.Id).Select(u => u.Version));
                var version = VersionNumbering.Next(history, PublicationTime.Date(published));
                var directory = Path.Combine(options.WorkDirectory, "build", pipeline.Id);
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                return (version, directory);
            }

            foreach (var pipeline in pipelines.Where(p => !p.IsDerived))
            {
                var (version, directory) = Prepare(pipeline);
                var derived = DerivedFrom(pipeline, pipelines).Select(d =>
                {
                    var (v, dir) = Prepare(d);
                    return new DerivedTarget(d, v, dir);
                }).ToList();
                builds.AddRange(await FailureContext.InStageAsync("build (read, validate, anonymise, write)", pipeline.Id,
                    () => builder.BuildAllAsync(pipeline, version, published, directory, derived, cancellationToken)));
            }

            // 2. Stage new versions: files, datapackage.json, then latest/ copies.
            tree = new StagedTree(Path.Combine(options.WorkDirectory, "staging")) { SingleUse = true };
            newVersions = [];
            newVersionPages = [];
            foreach (var build in builds)
            {
                var releases = manifest.Find(build.Pipeline.Id);
                if (releases?.Latest is { } latest && latest.Fingerprint == build.Fingerprint
                    && await SameMetadataAsync(build, latest, published, cancellationToken))
                {
                    Log.Unchanged(logger, build.Pipeline.Id, latest.Version);
                    continue;
                }

                var version = await FailureContext.InStageAsync("release (changelog, version files)", build.Pipeline.Id, async () =>
                {
                    var changelog = await ChangelogAsync(build, releases?.Latest, cancellationToken);
                    if (releases?.Latest is { } previous)
                    {
                        changelog.Structure = await StructureChangesAsync(build, previous, cancellationToken);
                    }

                    return await StageVersionAsync(build, published, changelog, tree, cancellationToken);
                });

                if (releases is null)
                {
                    releases = new DatasetReleases { Id = build.Pipeline.Id };
                    manifest.Datasets.Add(releases);
                }

                // Versions listed before each kept its title were shown (in the feed) under the title
                // releases.json held until now: they keep it, so a new title edits no published entry.
                foreach (var listed in releases.Versions.Where(v => v.Title is null))
                {
                    listed.Title = releases.Title;
                }

                releases.Title = build.Pipeline.Metadata.Title;
                releases.Versions.Add(version);
                newVersions.Add($"{build.Pipeline.Id} {version.Version}");
                newVersionPages.Add((build.Pipeline.Id, version));
            }

            // 3. Pages for every published dataset, from published (or staged) files only.
            var clockSite = Stopwatch.StartNew();
            var pages = new List<DatasetPage>();
            foreach (var releases in manifest.Datasets.OrderBy(d => d.Id, StringComparer.Ordinal))
            {
                pages.Add(await BuildPageAsync(releases, releases.Latest!, tree, cancellationToken));
            }

            var versionPages = new List<DatasetPage>();
            foreach (var (id, version) in newVersionPages)
            {
                versionPages.Add(await BuildPageAsync(manifest.Find(id)!, version, tree, cancellationToken));
            }

            foreach (var (id, version) in missingPages)
            {
                var releases = manifest.Find(id)!;
                versionPages.Add(await BuildPageAsync(releases, releases.Versions.First(v => v.Version == version), tree, cancellationToken));
            }

            await FailureContext.InStageAsync("site (pages, catalogue, feed)", null,
                () => new SiteRenderer(options.TemplatesDirectory).RenderAsync(new SiteModel(pages), versionPages, manifest, options.BaseUrl, tree, cancellationToken));

            await tree.WriteAsync(ReleaseManifest.FileName, manifest.ToUtf8Bytes(), cancellationToken);
            Log.SiteRendered(logger, pages.Count, clockSite.ElapsedMilliseconds);

            var taken = await UnreleasedWithOtherContentAsync(tree, newVersionPages, cancellationToken);
            if (taken.Count == 0)
            {
                break;
            }

            foreach (var (id, version) in taken)
            {
                Log.NumberingPast(logger, id, version, $"datasets/{id}/{version}/");
                unreleased.Add((id, version));
            }
        }

        foreach (var (id, version) in newVersionPages)
        {
            Log.NewVersion(logger, id, version.Version);
        }

        foreach (var (id, version) in missingPages)
        {
            Log.RestoringVersionPage(logger, id, version, VersionPage(id, version), target.Description);
        }

        // 4. Publish, in the order that keeps the live catalogue consistent.
        var clockPublish = Stopwatch.StartNew();
        // Every dataset's latest/ holds its latest version's files and nothing else, whether or not
        // this run made a new version (a run stopped before its clean-up is completed here).
        var latestFiles = manifest.Datasets.Where(d => d.Latest is not null).ToDictionary(
            d => $"datasets/{d.Id}/latest/",
            d => (IReadOnlySet<string>)d.Latest!.Files.Select(f => $"datasets/{d.Id}/latest/{f.Name}").ToHashSet(StringComparer.Ordinal));
        var result = await FailureContext.InStageAsync($"publish (to {target.Description})", null,
            () => new Publisher(target, Progress).PublishAsync(tree, previouslyPublished, cancellationToken, latestFiles,
                missingPages.Select(p => VersionPage(p.Id, p.Version)).ToHashSet(StringComparer.Ordinal)));

        Log.Published(logger, target.Description, result.Written, result.Unchanged, result.Deleted, clockPublish.ElapsedMilliseconds);
        return new PublishReport(builds, newVersions, result);
    }

    /// <summary>
    /// The time of a publish that stopped part-way today (its process killed, the network lost)
    /// after it had written a new version's <c>datapackage.json</c>, which <c>releases.json</c> does
    /// not list yet; null when there is none. This run then dates its release as that one was: the
    /// same data give the same bytes (datapackage.json and the version pages carry the time), which
    /// the publish keeps instead of refusing as other content, so the rerun completes the release
    /// rather than stopping until someone deletes the folder. Other data still stop the run there.
    /// </summary>
    private async Task<DateTimeOffset?> InterruptedPublicationAsync(IEnumerable<PipelineDefinition> pipelines, ReleaseManifest manifest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = PublicationTime.Date(now);
        foreach (var pipeline in pipelines)
        {
            var version = VersionNumbering.Next(manifest.Find(pipeline.Id)?.Versions.Select(v => v.Version) ?? [], today);
            await using var stream = await target.TryOpenReadAsync($"datasets/{pipeline.Id}/{version}/{DataPackage.FileName}", cancellationToken);
            if (stream is null)
            {
                continue;
            }

            System.Text.Json.Nodes.JsonNode? package;
            try
            {
                package = await System.Text.Json.Nodes.JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
            }
            catch (System.Text.Json.JsonException)
            {
                continue; // not ours to read: the publish reports the folder as it stands
            }

            if (package is System.Text.Json.Nodes.JsonObject o && o["created"] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var text)
                && DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var created)
                && created <= now && PublicationTime.Date(created) == today)
            {
                return created;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the latest version's datapackage.json already says what pipeline.yaml's metadata
    /// says (title, description, licence, publisher, contact, key figures…). The fingerprint covers
    /// the data and the schema only; pages, the DCAT catalogue and datapackage.json are built from a
    /// version's files, so a corrected licence or contact needs a version to be published at all.
    /// Read from the target, so releases published before this check was made count too.
    /// </summary>
    private async Task<bool> SameMetadataAsync(DatasetBuild build, ReleaseVersion latest, DateTimeOffset published, CancellationToken cancellationToken)
    {
        await using var stream = await target.TryOpenReadAsync($"datasets/{build.Pipeline.Id}/{latest.Version}/{DataPackage.FileName}", cancellationToken);
        if (stream is null)
        {
            return false;
        }

        var previous = await System.Text.Json.Nodes.JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
        var current = System.Text.Json.Nodes.JsonNode.Parse(DataPackage.Build(build.Pipeline, build.Version, published, []));
        return System.Text.Json.Nodes.JsonNode.DeepEquals(DataPackage.Metadata(previous), DataPackage.Metadata(current));
    }

    /// <summary>
    /// How the published schema changed since the previous version: its schema.json, read back from
    /// the target (or, for a version published before schema.json was, the schema its
    /// datapackage.json embeds), against this build's. Null when neither can be read.
    /// </summary>
    private async Task<List<StructureChange>?> StructureChangesAsync(DatasetBuild build, ReleaseVersion previous, CancellationToken cancellationToken)
    {
        var folder = $"datasets/{build.Pipeline.Id}/{previous.Version}";
        System.Text.Json.Nodes.JsonObject? schema = null;
        foreach (var name in new[] { "schema.json", DataPackage.FileName })
        {
            if (previous.Files.Find(f => f.Name == name) is null)
            {
                continue;
            }

            await using var stream = await target.TryOpenReadAsync($"{folder}/{name}", cancellationToken);
            if (stream is null)
            {
                continue;
            }

            try
            {
                var node = await System.Text.Json.Nodes.JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
                schema = name == DataPackage.FileName ? StructureChange.SchemaOfDataPackage(node) : node as System.Text.Json.Nodes.JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                schema = null; // not readable: the next candidate, or no comparison
            }

            if (schema is not null)
            {
                break;
            }
        }

        return schema is null ? null : StructureChange.Compare(schema, System.Text.Json.Nodes.JsonNode.Parse(build.Pipeline.SchemaJson)!.AsObject());
    }

    /// <summary>Compares the new CSV with the previous version's, read back from the target.</summary>
    private async Task<Changelog> ChangelogAsync(DatasetBuild build, ReleaseVersion? previous, CancellationToken cancellationToken)
    {
        var id = build.Pipeline.Id;
        var current = Path.Combine(build.Directory, id + ".csv");
        var previousCsv = previous?.Files.Find(f => f.Name == id + ".csv");
        if (previousCsv is null || !File.Exists(current))
        {
            return File.Exists(current)
                ? Changelog.Compute(null, current, build.Pipeline.Schema.PrimaryKey, build.Version, null)
                : new Changelog { Version = build.Version };
        }

        var local = Path.Combine(options.WorkDirectory, "previous", id + ".csv");
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(local)!);
        await using (var remote = await target.TryOpenReadAsync(previousCsv.Path, cancellationToken)
            ?? throw new PipelineException($"{target.Description}: {previousCsv.Path} is listed in releases.json but missing."))
        await using (var file = PrivateFiles.Create(local))
        {
            await remote.CopyToAsync(file, cancellationToken);
        }

        try
        {
            return Changelog.Compute(() => File.OpenRead(local), current, build.Pipeline.Schema.PrimaryKey, build.Version, previous!.Version, Path.Combine(options.WorkDirectory, "private"));
        }
        finally
        {
            File.Delete(local);
        }
    }

    private static async Task<ReleaseVersion> StageVersionAsync(DatasetBuild build, DateTimeOffset published, Changelog changelog, StagedTree tree, CancellationToken cancellationToken)
    {
        var id = build.Pipeline.Id;
        var folder = $"datasets/{id}/{build.Version}";
        var dataFiles = new List<DataFile>();
        foreach (var name in build.FileNames)
        {
            var local = Path.Combine(build.Directory, name);
            var format = Path.GetExtension(name).TrimStart('.');
            var mediaType = PublishedFiles.MediaType(name).Split(';')[0];
            var sha256 = build.FileHashes.TryGetValue(name, out var known) ? known : FileHash.Sha256(local);
            dataFiles.Add(new DataFile(name, format, mediaType, new FileInfo(local).Length, sha256));
            tree.Add($"{folder}/{name}", local, sha256);
        }

        var package = DataPackage.Build(build.Pipeline, build.Version, published, dataFiles);
        await tree.WriteAsync($"{folder}/{DataPackage.FileName}", package, cancellationToken);
        var schema = System.Text.Encoding.UTF8.GetBytes(build.Pipeline.SchemaJson);
        await tree.WriteAsync($"{folder}/schema.json", schema, cancellationToken);
        var changes = changelog.ToUtf8Bytes();
        await tree.WriteAsync($"{folder}/{Changelog.FileName}", changes, cancellationToken);
        var files = dataFiles
            .Select(f => new ReleaseFile { Name = f.Name, Path = $"{folder}/{f.Name}", MediaType = f.MediaType, Bytes = f.Bytes, Sha256 = f.Sha256 })
            .Append(new ReleaseFile { Name = DataPackage.FileName, Path = $"{folder}/{DataPackage.FileName}", MediaType = "application/json", Bytes = package.Length, Sha256 = FileHash.Sha256(package) })
            .Append(new ReleaseFile { Name = "schema.json", Path = $"{folder}/schema.json", MediaType = "application/json", Bytes = schema.Length, Sha256 = FileHash.Sha256(schema) })
            .ToList();
        if (build.Pipeline.Outputs.PartitionBy is { } partitionBy && dataFiles.Any(f => f.Name.Contains('/', StringComparison.Ordinal)))
        {
            // What each part of the partitioned Parquet conforms to (catalog.jsonld's dct:conformsTo):
            // schema.json less the partition field, which a part does not hold.
            var partSchema = DataPackage.PartSchemaFile(build.Pipeline.SchemaJson, partitionBy);
            await tree.WriteAsync($"{folder}/{DataPackage.PartSchemaFileName}", partSchema, cancellationToken);
            files.Add(new ReleaseFile { Name = DataPackage.PartSchemaFileName, Path = $"{folder}/{DataPackage.PartSchemaFileName}", MediaType = "application/json", Bytes = partSchema.Length, Sha256 = FileHash.Sha256(partSchema) });
        }

        files.Add(new ReleaseFile { Name = Changelog.FileName, Path = $"{folder}/{Changelog.FileName}", MediaType = "application/json", Bytes = changes.Length, Sha256 = FileHash.Sha256(changes) });
        foreach (var file in files)
        {
            tree.Copy(file.Path, $"datasets/{id}/latest/{file.Name}");
        }

        return new ReleaseVersion
        {
            Version = build.Version,
            Published = published,
            Title = build.Pipeline.Metadata.Title,
            Fingerprint = build.Fingerprint,
            Rows = build.Validation.RowsPublished,
            Files = files,
            Validation = build.Validation,
            Privacy = build.Privacy,
            Changes = new ChangeSummary(changelog.Previous, changelog.Added, changelog.Removed, changelog.Modified)
            {
                Structure = changelog.Structure is { Count: > 0 } structure ? structure : null,
            },
        };
    }

    private async Task<DatasetPage> BuildPageAsync(DatasetReleases releases, ReleaseVersion version, StagedTree tree, CancellationToken cancellationToken)
    {
        var folder = $"datasets/{releases.Id}/{version.Version}";
        await using var package = await OpenAsync($"{folder}/{DataPackage.FileName}", tree, cancellationToken)
            ?? throw new PipelineException($"{target.Description}: {folder}/{DataPackage.FileName} is listed in releases.json but missing.");
        var csvName = DatasetPageBuilder.FiguresCsv(version)?.Name;
        await using var csv = csvName is null ? null : await OpenAsync($"{folder}/{csvName}", tree, cancellationToken);
        Changelog? changelog = null;
        await using (var changes = await OpenAsync($"{folder}/{Changelog.FileName}", tree, cancellationToken))
        {
            if (changes is not null)
            {
                changelog = System.Text.Json.JsonSerializer.Deserialize<Changelog>(changes, ReleaseManifest.Json);
            }
        }

        return DatasetPageBuilder.Build(package, releases, version, csv, changelog);
    }

    private async Task<Stream?> OpenAsync(string path, StagedTree tree, CancellationToken cancellationToken) =>
        tree.Contains(path) ? File.OpenRead(tree.LocalPath(path)) : await target.TryOpenReadAsync(path, cancellationToken);

    /// <summary>releases.json as read from the target, or null when there is none yet.</summary>
    private async Task<byte[]?> ReadManifestAsync(CancellationToken cancellationToken)
    {
        await using var stream = await target.TryOpenReadAsync(ReleaseManifest.FileName, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private ReleaseManifest ParseManifest(byte[]? bytes) =>
        bytes is null ? new ReleaseManifest() : ReleaseManifest.Parse(new MemoryStream(bytes), target.Description);

    /// <summary>
    /// The new versions whose folder the target already holds, unlisted in releases.json, with
    /// content other than this run's: a file at one of its paths with other bytes, or a file this
    /// run does not publish. Left by a publish that stopped while uploading (killed, the network
    /// lost) before the data changed, the same day; or by another publisher still uploading. Such a
    /// folder was never released: this run numbers past it rather than overwrite it or stop until
    /// someone deletes it. A folder holding only this run's files, as they are, is completed instead.
    /// </summary>
    private async Task<List<(string Id, string Version)>> UnreleasedWithOtherContentAsync(StagedTree tree, List<(string Id, ReleaseVersion Version)> versions, CancellationToken cancellationToken)
    {
        var staged = tree.Files().ToDictionary(f => f.Path, StringComparer.Ordinal);
        var taken = new List<(string, string)>();
        foreach (var (id, version) in versions)
        {
            foreach (var path in await target.ListAsync($"datasets/{id}/{version.Version}/", cancellationToken))
            {
                if (!staged.TryGetValue(path, out var file) || !await target.HoldsAsync(file, cancellationToken))
                {
                    taken.Add((id, version.Version));
                    break;
                }
            }
        }

        return taken;
    }

    private static string VersionPage(string id, string version) => $"datasets/{id}/{version}/index.html";

    /// <summary>The released versions (dataset id, version) whose page the target does not hold, from one listing of <c>datasets/</c>.</summary>
    private async Task<List<(string Id, string Version)>> MissingVersionPagesAsync(ReleaseManifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.Datasets.Count == 0)
        {
            return [];
        }

        var present = (await target.ListAsync("datasets/", cancellationToken)).ToHashSet(StringComparer.Ordinal);
        return [.. manifest.Datasets
            .SelectMany(d => d.Versions.Select(v => (d.Id, v.Version)))
            .Where(p => !present.Contains(VersionPage(p.Id, p.Version)))];
    }

    /// <summary>Private spill files of a previous run that died (the folder is this run's only).</summary>
    private void ClearPrivateFiles()
    {
        var folder = Path.Combine(options.WorkDirectory, "private");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<PipelineDefinition> DerivedFrom(PipelineDefinition parent, IReadOnlyList<PipelineDefinition> pipelines) =>
        pipelines.Where(p => p.IsDerived && p.Source.From == parent.Id);

    /// <summary>
    /// A source file inside the published folder would be served with the site: refused, as the
    /// quarantine is. One inside the quarantine or the work folder would be their private rows
    /// (rejets.csv, the k-anonymity hold) published under a definition's rules: refused too (the
    /// security review's note).
    /// </summary>
    private void CheckSources(IEnumerable<PipelineDefinition> pipelines)
    {
        foreach (var pipeline in pipelines.Where(p => !p.IsDerived))
        {
            var files = Sources.SourceFactory.LocalFiles(pipeline, options).ToList();
            if (files.FirstOrDefault(f => PublishedFolder.Overlaps(options.OutputDirectory, f, orHolds: false)) is { } inside)
            {
                throw new PipelineException($"{pipeline.Id}: the source file {inside} must be outside the published folder ({options.OutputDirectory}): it holds private data, and everything in that folder is served.");
            }

            foreach (var (key, folder) in new[] { ("Pipeline:QuarantineDirectory", options.QuarantineDirectory), ("Pipeline:WorkDirectory", options.WorkDirectory) })
            {
                if (files.FirstOrDefault(f => PublishedFolder.Overlaps(folder, f, orHolds: false)) is { } held)
                {
                    throw new PipelineException($"{pipeline.Id}: the source file {held} is inside {key} ({folder}): the run's private files (rejected rows, held rows) are never a source.");
                }
            }
        }
    }

    /// <summary>
    /// Every local source file is a regular file, checked before any is read: a named pipe would
    /// block the run at its opening, /dev/zero would never end (<see cref="Sources.SourceFile"/>).
    /// </summary>
    private void RefuseSpecialFiles(IEnumerable<PipelineDefinition> pipelines)
    {
        foreach (var pipeline in pipelines.Where(p => !p.IsDerived))
        {
            foreach (var file in Sources.SourceFactory.LocalFiles(pipeline, options))
            {
                Sources.SourceFile.RequireRegular(file, $"source file of {pipeline.Id}");
            }
        }
    }

    private void CheckFolders()
    {
        foreach (var (key, folder) in new[] { ("Pipeline:QuarantineDirectory", options.QuarantineDirectory), ("Pipeline:WorkDirectory", options.WorkDirectory) })
        {
            if (PublishedFolder.Overlaps(options.OutputDirectory, folder, orHolds: true))
            {
                throw new PipelineException($"{key} ({folder}) must be outside the published folder ({options.OutputDirectory}): it holds private data.");
            }
        }
    }

}
