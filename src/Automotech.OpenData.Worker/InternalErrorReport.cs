using System.Text;
using System.Text.RegularExpressions;

namespace Automotech.OpenData.Worker;

/// <summary>
/// The one line that reports an unexpected exception (exit 70), on standard error or in the
/// schedule's log. An unexpected exception's message is free text that may quote what the code
/// held: a cell's value (a person's name or SIRET), a URL with its user info, a connection string
/// (it happened: <c>UnreachableBlobTests</c>). CI logs may be public, and there is no redaction that
/// could tell such text apart, so the message is never shown. What an operator needs to act is:
/// the exception's type and those of its inner exceptions, the dataset and stage it came from
/// (<see cref="FailureContext"/>), and the place in our code that threw it or called what threw
/// it (method, file and line: names from the code, never data).
/// </summary>
internal static partial class InternalErrorReport
{
    public static string Describe(Exception exception)
    {
        var text = new StringBuilder("internal error (").Append(Types(exception)).Append(')');
        if (FailureContext.Dataset(exception) is { } dataset)
        {
            text.Append(" in dataset ").Append(dataset);
        }

        if (FailureContext.Stage(exception) is { } stage)
        {
            text.Append(", stage ").Append(stage);
        }

        if (Where(exception) is { } where)
        {
            text.Append(", at ").Append(where);
        }

        return text.Append(". Its message is not shown, as it may quote a value of the source or a secret: report this line.").ToString();
    }

    /// <summary>The exception's type and its inner exceptions' (the first of an aggregate's), outermost first.</summary>
    private static string Types(Exception exception)
    {
        var types = new List<string>();
        for (Exception? e = exception; e is not null && types.Count < 5; e = e is AggregateException a && a.InnerExceptions.Count > 0 ? a.InnerExceptions[0] : e.InnerException)
        {
            types.Add(e.GetType().FullName ?? e.GetType().Name);
        }

        return string.Join(" ← ", types);
    }

    /// <summary>
    /// The innermost exception's first frame in our code, from its stack trace (frames only: the
    /// message is not part of <see cref="Exception.StackTrace"/>), the file named without its folder.
    /// </summary>
    private static string? Where(Exception exception)
    {
        var innermost = exception;
        while ((innermost is AggregateException a && a.InnerExceptions.Count > 0 ? a.InnerExceptions[0] : innermost.InnerException) is { } inner)
        {
            innermost = inner;
        }

        foreach (var e in new[] { innermost, exception })
        {
            var line = e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("at Automotech.", StringComparison.Ordinal));
            if (line is not null)
            {
                var frame = Frame().Match(line);
                return frame.Success
                    ? frame.Groups["method"].Value + (frame.Groups["file"].Success ? $" ({frame.Groups["file"].Value}:{frame.Groups["line"].Value})" : "")
                    : null;
            }
        }

        return null;
    }

    // "at Namespace.Type.Method(Type arg, …) in /path/File.cs:line 12": the method without its
    // parameters' list, the file without its folder.
    [GeneratedRegex(@"^at (?<method>[^(]+)\(.*?\)(?: in (?:.*[/\\])?(?<file>[^/\\]+):line (?<line>\d+))?$")]
    private static partial Regex Frame();
}
