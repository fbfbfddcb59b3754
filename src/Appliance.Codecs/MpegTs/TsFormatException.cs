namespace Appliance.Codecs.MpegTs;

/// <summary>The only exception <see cref="TsDemuxer"/> throws for bad input: the bytes are not a transport stream.</summary>
public sealed class TsFormatException : FormatException
{
    public TsFormatException(string message)
        : base(message)
    {
    }
}
