using Appliance.Codecs.Flv;
using Appliance.Core.Buffers;

namespace Appliance.Relay.Pull;

/// <summary>One media message from upstream: an RTMP message or an FLV tag, same type ids.</summary>
public readonly record struct FeedMessage(byte TypeId, uint Timestamp, SharedBuffer Payload)
{
    public const byte AudioTypeId = 8;
    public const byte VideoTypeId = 9;
    public const byte AggregateTypeId = 22;

    /// <summary>Audio or video frames (an aggregate message carries some), not metadata or a sequence header: what shows that media flows, not just that a session opened.</summary>
    public bool IsMediaFrame => TypeId switch
    {
        AudioTypeId => AudioTagInfo.TryParse(Payload.Span, out var audio) && !audio.IsSequenceHeader,
        VideoTypeId => VideoTagInfo.TryParse(Payload.Span, out var video) && video.Kind == VideoPacketKind.CodedFrames,
        AggregateTypeId => true,
        _ => false,
    };
}
