namespace Appliance.Live.Streams;

/// <summary>Whatever feeds a stream: a publishing RTMP session today, an upstream pull later.</summary>
public interface IStreamSource
{
    string Description { get; }

    /// <summary>Ends the source (another publisher took over, or an operator dropped it).</summary>
    void Kick(string reason);
}
