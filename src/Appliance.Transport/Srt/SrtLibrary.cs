using Appliance.Transport.Native;

namespace Appliance.Transport.Srt;

/// <summary>Whether libsrt can be used on this machine, and which file was loaded.</summary>
public static class SrtLibrary
{
    /// <summary>Loads libsrt once (later calls repeat the answer); false with the reason when it is not installed.</summary>
    public static bool TryLoad(out string problem) => LibSrt.TryLoad(out problem);

    public static string? LoadedFrom => LibSrt.LoadedFrom;
}
