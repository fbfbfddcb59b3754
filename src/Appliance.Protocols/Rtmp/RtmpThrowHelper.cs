using System.Diagnostics.CodeAnalysis;

namespace Appliance.Protocols.Rtmp;

/// <summary>Keeps throw sites out of the parsers' hot loops so they stay small enough to inline.</summary>
internal static class RtmpThrowHelper
{
    [DoesNotReturn]
    public static void ThrowProtocol(string message) => throw new RtmpProtocolException(message);
}
