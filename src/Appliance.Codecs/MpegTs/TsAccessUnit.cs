namespace Appliance.Codecs.MpegTs;

/// <summary>
/// One reassembled PES payload: an Annex-B access unit for video, one or more ADTS frames for audio.
/// <see cref="Pts"/> and <see cref="Dts"/> are 33-bit 90 kHz values as sent (-1 when the PES had
/// none; DTS equals PTS when only PTS was sent). <see cref="IsKeyFrame"/> is the
/// random_access_indicator or, for video, an IDR/IRAP first picture; every audio unit is a key
/// frame, AAC frames being independently decodable. <see cref="Discontinuity"/> says packets of
/// this PID were lost (and a unit dropped) before this one, or the stream signalled a discontinuity.
/// The payload is the receiver's own copy.
/// </summary>
public readonly record struct TsAccessUnit(int Pid, TsStreamType StreamType, long Pts, long Dts, bool IsKeyFrame, bool Discontinuity, ReadOnlyMemory<byte> Payload);
