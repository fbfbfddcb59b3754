using Appliance.Load.Targets;
using Appliance.Transport.Tls;

namespace Appliance.Load.Cli;

/// <summary>The command line, parsed and checked; <see cref="Error"/> says what is wrong with it.</summary>
/// <remarks>Reading the arguments is in LoadOptions.Parse.cs, the rules between options in LoadOptions.Rules.cs.</remarks>
internal sealed partial class LoadOptions
{
    public List<StreamUrl> Urls { get; } = [];

    public int Viewers { get; private set; } = 1;

    public double DurationSeconds { get; private set; } = 30;

    public double RampPerSecond { get; private set; } = 200;

    /// <summary>HLS: the longest a playlist or segment request may take, response body included.</summary>
    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(10);

    public bool Json { get; private set; }

    public string? JsonFile { get; private set; }

    public string? ViewersCsv { get; private set; }

    public bool Progress { get; private set; }

    public bool AllowRemote { get; private set; }

    /// <summary>What rtmps:// and https:// connections trust: the CAs of --ca, or the system store.</summary>
    public TlsClientTrust Trust { get; private set; } = TlsClientTrust.SystemStore;

    /// <summary>Hostile connections to make instead of viewers; 0 = a viewer run.</summary>
    public int Hostile { get; private set; }

    public int HostileConcurrency { get; private set; } = 100;

    /// <summary>Hostile: the longest a connection may stay open, from its connect, before the tool closes it itself.</summary>
    public TimeSpan HostileWait { get; private set; } = TimeSpan.FromSeconds(30);

    public int Seed { get; private set; } = 1;

    /// <summary>Viewers stopped and started each second after the ramp; 0 = none.</summary>
    public int Churn { get; private set; }

    /// <summary>The stamped publisher's stream; null: no publisher.</summary>
    public StreamUrl? PublishUrl { get; private set; }

    public string? Source { get; private set; }

    public long PublishStartMs { get; private set; }

    public TimeSpan ViewersAfter { get; private set; }

    /// <summary>Viewers read the latency stamps.</summary>
    public bool Stamps { get; private set; }

    /// <summary>--source-addresses: where viewers connect from; null: the kernel's choice.</summary>
    public SourceAddresses? SourceAddresses { get; private set; }

    public bool Help { get; private set; }

    public string? Error { get; private set; }
}
