using Microsoft.Extensions.Logging;

namespace Automotech.OpenData.Pipelines;

/// <summary>The run's log messages (source-generated). None carries a value from the data or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: {Records} record(s) aggregated into {Rows} row(s); cells under secret: {Secret}.")]
    public static partial void Aggregated(ILogger logger, string pipeline, long records, int rows, string secret);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: source read ({Details}); {Warnings} warning(s).")]
    public static partial void Format(ILogger logger, string pipeline, string details, long warnings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pipeline}: warning {Type} on {Field}: {Count} row(s), kept.")]
    public static partial void WarningCount(ILogger logger, string pipeline, string type, string field, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pipeline}: NO Anonymisation:Key CONFIGURED — using the PUBLIC built-in demo key. Pseudonyms made with it protect nothing; this is allowed only for the bundled fictional demo data, and every page says so.")]
    public static partial void DemoKeyInUse(ILogger logger, string pipeline);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pipeline}: --source replaces the bundled file, but pipeline.yaml still says metadata.demo: true, so every page and the catalogue will call these data FICTIONAL. For real data, publish with a copy of the pipeline whose metadata says demo: false, with its own title and description.")]
    public static partial void DemoLabelOnOwnSource(ILogger logger, string pipeline);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pipeline}: no Anonymisation:Key configured; validate checks the pseudonyms with a random one-off key, since it publishes nothing. publish needs the real key.")]
    public static partial void OneOffKeyInUse(ILogger logger, string pipeline);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: read {Read} rows from {Source}, published {Published}, rejected {Rejected} ({NaturalPersons} natural persons anonymised, {Suppressed} withheld by k-anonymity).")]
    public static partial void Counts(ILogger logger, string pipeline, long read, string source, long published, long rejected, long naturalPersons, long suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: stage timings — read {Read} ms, validate {Validate} ms, anonymise {Anonymise} ms, write {Write} ms (writing overlaps the other stages).")]
    public static partial void Timings(ILogger logger, string pipeline, long read, long validate, long anonymise, long write);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: garbage collector since the process started — {Gen0} gen0, {Gen1} gen1, {Gen2} gen2 collections, {PausedMs} ms paused, {AllocatedMb} MB allocated.")]
    public static partial void Collector(ILogger logger, string pipeline, int gen0, int gen1, int gen2, long pausedMs, long allocatedMb);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Pipeline}: the stream's spilled key sets released: heap committed {BeforeMiB} MiB at the last collection, {AfterMiB} MiB after a compacting one ({Milliseconds} ms).")]
    public static partial void StreamMemoryReturned(ILogger logger, string pipeline, long beforeMiB, long afterMiB, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: {Type} on {Field}: {Count} row(s).")]
    public static partial void ErrorCount(ILogger logger, string pipeline, string type, string field, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: content unchanged since version {Version}; no new version.")]
    public static partial void Unchanged(ILogger logger, string pipeline, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A publish that stopped part-way at {Published} left a new version that releases.json does not list yet: this run completes it, dated as it was.")]
    public static partial void Resuming(ILogger logger, string published);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pipeline}: {Folder} holds files of a publish that stopped part-way (or of another publisher), other than this run's, and releases.json does not list it: version {Version} was never released; this run numbers past it and leaves that folder as it is.")]
    public static partial void NumberingPast(ILogger logger, string pipeline, string version, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pipeline}: the page of version {Version} ({Page}) is missing from {Target} (deleted, or lost in storage): it is rendered again from the version's published datapackage.json and CSV; the version's files are not touched.")]
    public static partial void RestoringVersionPage(ILogger logger, string pipeline, string version, string page, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Pipeline}: new version {Version}.")]
    public static partial void NewVersion(ILogger logger, string pipeline, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published to {Target}: {Written} file(s) written, {Unchanged} unchanged, {Deleted} no longer published removed from latest/, in {Milliseconds} ms.")]
    public static partial void Published(ILogger logger, string target, int written, int unchanged, int deleted, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Site rendered: {Pages} dataset page(s) in {Milliseconds} ms.")]
    public static partial void SiteRendered(ILogger logger, int pages, long milliseconds);
}
