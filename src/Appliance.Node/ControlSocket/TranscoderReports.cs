using Appliance.Control.Contract;
using Appliance.Node.Transcoding;

namespace Appliance.Node.ControlSocket;

/// <summary>A transcoder as the control protocol shows it.</summary>
internal static class TranscoderReports
{
    public static TranscoderReport From(TranscoderStatus status) => new()
    {
        Source = status.Source.ToString(),
        State = status.State,
        Encoder = status.Encoder,
        Pid = status.Pid,
        Frames = status.Frames,
        Fps = status.Fps,
        Speed = status.Speed,
        Restarts = status.Restarts,
        CpuSeconds = Math.Round(status.CpuSeconds, 2),
        CpuPercent = Math.Round(status.CpuPercent, 1),
        UptimeSeconds = status.UptimeMs / 1000,
        Rungs = [.. status.Rungs.Select(r => new RungReport
        {
            Label = r.Label,
            Stream = r.Key.ToString(),
            Width = r.Width,
            Height = r.Height,
            TargetBitsPerSecond = r.TargetBitsPerSecond,
            MeasuredBitsPerSecond = r.MeasuredBitsPerSecond,
        })],
    };
}
