using Appliance.Core.Time;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Logging;

/// <summary>
/// Rate-limits one kind of log line from one source (a stream, the stream directory), so a fault
/// that repeats with every frame or request writes a line per interval, not thousands: the first
/// occurrence is written in full by the caller; the ones after it are only counted, and at the
/// first occurrence once the interval has passed one line says how many there were ("...:
/// repeated 149 more times in the last 5.0 s"). An occurrence after an interval without repeats
/// is written in full again. Owners keep one per kind of line, so the key is (source, kind)
/// without a lookup. Thread-safe; an occurrence that is only counted takes an uncontended lock
/// and allocates nothing (callers format their line only when told to write it).
/// </summary>
public sealed class RepeatedLog
{
    public const long DefaultIntervalMs = 5_000;

    private readonly ILogger _logger;
    private readonly LogLevel _level;
    private readonly string _subject;
    private readonly string _what;
    private readonly long _intervalMs;
    private readonly Func<long> _clock;
    private readonly Lock _lock = new();
    private bool _active;
    private long _windowStartMs;
    private long _repeats;

    /// <param name="level">The level of the count line: that of the line it stands for.</param>
    /// <param name="subject">Whose lines these are, as the log names them ("stream default/live/cam").</param>
    /// <param name="what">The kind of line, for the count line ("video frames left out of TS").</param>
    /// <param name="clock">Monotonic milliseconds; tests pass their own.</param>
    public RepeatedLog(ILogger logger, LogLevel level, string subject, string what, long intervalMs = DefaultIntervalMs, Func<long>? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intervalMs);
        _logger = logger;
        _level = level;
        _subject = subject;
        _what = what;
        _intervalMs = intervalMs;
        _clock = clock ?? (static () => MonotonicClock.NowMs);
    }

    /// <summary>
    /// Notes one occurrence: true when the caller writes its full line now, false when it is only
    /// counted (a count line that is due is written here).
    /// </summary>
    public bool ShouldLog()
    {
        long repeats;
        long elapsedMs;
        lock (_lock)
        {
            var now = _clock();
            if (!_active)
            {
                _active = true;
                _windowStartMs = now;
                _repeats = 0;
                return true;
            }
            elapsedMs = now - _windowStartMs;
            if (elapsedMs < _intervalMs)
            {
                _repeats++;
                return false;
            }
            _windowStartMs = now;
            if (_repeats == 0)
            {
                // Quiet for a whole interval: this is news again.
                return true;
            }
            // This occurrence closes the interval and is counted with it.
            repeats = _repeats + 1;
            _repeats = 0;
        }
        WriteCount(repeats, elapsedMs);
        return false;
    }

    /// <summary>
    /// The fault is over (or its source ends): repeats not yet reported get their count line now,
    /// and the next occurrence is written in full.
    /// </summary>
    public void Flush()
    {
        long repeats;
        long elapsedMs;
        lock (_lock)
        {
            if (!_active)
            {
                return;
            }
            _active = false;
            repeats = _repeats;
            elapsedMs = _clock() - _windowStartMs;
            _repeats = 0;
        }
        if (repeats > 0)
        {
            WriteCount(repeats, elapsedMs);
        }
    }

    private void WriteCount(long repeats, long elapsedMs) =>
        StreamLog.Repeated(_logger, _level, _subject, _what, repeats, elapsedMs / 1000.0);
}
