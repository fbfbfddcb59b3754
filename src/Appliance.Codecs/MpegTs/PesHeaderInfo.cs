namespace Appliance.Codecs.MpegTs;

/// <summary>
/// What a PES header says. <see cref="PacketLength"/> is the raw PES_packet_length (0 = unbounded);
/// <see cref="HeaderLength"/> is where the elementary stream data starts. Timestamps are 90 kHz,
/// -1 when absent; <see cref="Dts"/> equals <see cref="Pts"/> when only PTS was sent.
/// </summary>
public readonly record struct PesHeaderInfo(byte StreamId, int PacketLength, int HeaderLength, long Pts, long Dts);
