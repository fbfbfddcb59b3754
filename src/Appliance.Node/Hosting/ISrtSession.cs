using Appliance.Transport.Srt;

namespace Appliance.Node.Hosting;

/// <summary>An SRT session as the metrics read it (the Srt folder implements it; Hosting does not depend on it).</summary>
public interface ISrtSession
{
    /// <summary>SRT's figures for the connection; null when libsrt has none.</summary>
    SrtStats? Stats { get; }

    bool IsPublishing { get; }

    string StreamPath { get; }
}
