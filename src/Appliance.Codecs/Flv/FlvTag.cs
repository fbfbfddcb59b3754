using Appliance.Core.Buffers;

namespace Appliance.Codecs.Flv;

/// <summary>One tag read from an FLV stream. The receiver owns one reference to <see cref="Payload"/> and releases it.</summary>
public readonly record struct FlvTag(FlvTagType Type, uint Timestamp, SharedBuffer Payload);
