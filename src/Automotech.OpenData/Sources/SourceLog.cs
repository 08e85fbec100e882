using Microsoft.Extensions.Logging;

namespace Automotech.OpenData.Sources;

/// <summary>The sources' log messages (source-generated). URLs are logged without their query; never a token.</summary>
internal static partial class SourceLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} (page {Page}): attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms.")]
    public static partial void Retrying(ILogger logger, string source, int page, int attempt, string reason, long delayMs);
}
