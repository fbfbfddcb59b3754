namespace Appliance.Codecs.Flv;

/// <summary>The only exception <see cref="FlvStreamReader"/> throws for bad input.</summary>
public sealed class FlvFormatException : FormatException
{
    public FlvFormatException(string message)
        : base(message)
    {
    }
}
