namespace Appliance.Codecs.Tests.MpegTs;

/// <summary>A fact that runs only where ffmpeg and ffprobe are on the PATH, and says so when skipped.</summary>
public sealed class FfmpegFactAttribute : FactAttribute
{
    public FfmpegFactAttribute()
    {
        if (!ExternalTool.IsInstalled("ffmpeg") || !ExternalTool.IsInstalled("ffprobe"))
        {
            Skip = "ffmpeg and ffprobe are not installed: the interoperability check against them cannot run here";
        }
    }
}
