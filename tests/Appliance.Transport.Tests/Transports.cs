using Appliance.Transport.Uring;

namespace Appliance.Transport.Tests;

/// <summary>The two ways a socket's writes go out; sink tests run on both.</summary>
public static class Transports
{
    public const string Epoll = "epoll";
    public const string IoUring = "io_uring";

    // One ring for the test process, as a node has one: every io_uring test shares its thread.
    private static readonly Lazy<SendRing> Ring = new(() =>
        SendRing.TryStart(out var refusal) ?? throw new InvalidOperationException($"this machine refuses io_uring ({refusal}): the io_uring half of the transport tests cannot run"));

    public static TheoryData<string> Both => new() { Epoll, IoUring };

    public static SendRing? RingFor(string transport) => transport switch
    {
        Epoll => null,
        IoUring => Ring.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "epoll or io_uring"),
    };
}
