using System.Globalization;

namespace Appliance.Node.Transcoding;

/// <summary>One report of ffmpeg's <c>-progress</c> output: frames encoded so far, their rate, and the speed against real time.</summary>
internal readonly record struct ProgressReport(long Frames, double Fps, double Speed, long OutTimeUs, long DroppedFrames, bool Ended);

/// <summary>
/// Reads ffmpeg's <c>-progress</c> output, a block of key=value lines per report closed by
/// "progress=continue" (or "progress=end"). Values it cannot read ("N/A" while nothing is out)
/// stay as they were; unknown keys are skipped.
/// </summary>
internal sealed class FfmpegProgress
{
    private long _frames;
    private double _fps;
    private double _speed;
    private long _outTimeUs;
    private long _dropped;

    /// <summary>Takes one line; returns the report when the line closes a block.</summary>
    public ProgressReport? Take(string line)
    {
        var equals = line.IndexOf('=');
        if (equals <= 0)
        {
            return null;
        }
        var key = line.AsSpan(0, equals).Trim();
        var value = line.AsSpan(equals + 1).Trim();
        switch (key)
        {
            case "frame":
                _frames = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var frames) ? frames : _frames;
                break;
            case "fps":
                _fps = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var fps) ? fps : _fps;
                break;
            case "speed":
                var number = value.EndsWith("x") ? value[..^1] : value;
                _speed = double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) ? speed : _speed;
                break;
            case "out_time_us":
                _outTimeUs = long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var us) ? us : _outTimeUs;
                break;
            case "drop_frames":
                _dropped = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var dropped) ? dropped : _dropped;
                break;
            case "progress":
                return new ProgressReport(_frames, _fps, _speed, _outTimeUs, _dropped, value.SequenceEqual("end"));
        }
        return null;
    }
}
