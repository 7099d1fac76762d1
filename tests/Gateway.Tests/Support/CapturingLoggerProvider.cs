using System.Collections.Concurrent;

namespace Gateway.Tests.Support;

/// <summary>Captures log entries (category, event id, structured state) so tests assert event ids, not text.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, EventId EventId, IReadOnlyList<KeyValuePair<string, object?>> State, string Message)
    {
        /// <summary>The exception logged with the entry (its stack trace would be in the log).</summary>
        public Exception? Exception { get; init; }
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            entries.Enqueue(new Entry(category, logLevel, eventId, [.. values], formatter(state, exception)) { Exception = exception });
        }
    }
}
