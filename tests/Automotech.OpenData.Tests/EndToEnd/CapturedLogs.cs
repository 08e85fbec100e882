using System.Text;
using Microsoft.Extensions.Logging;

namespace Automotech.OpenData.Tests.EndToEnd;

/// <summary>
/// A logger provider that keeps every message of an in-process run, at every level, with its
/// category and any exception whole (message, inner exceptions, stack): what a secret or a
/// personal value would have to avoid to stay out of the run's log.
/// </summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly StringBuilder text = new();

    public string Text
    {
        get
        {
            lock (text)
            {
                return text.ToString();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner.text)
            {
                owner.text.Append(logLevel).Append(": ").Append(category).Append(": ").Append(formatter(state, exception)).Append('\n');
                if (exception is not null)
                {
                    owner.text.Append(exception).Append('\n');
                }
            }
        }
    }
}
