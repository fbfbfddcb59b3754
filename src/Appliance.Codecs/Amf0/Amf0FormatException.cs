namespace Appliance.Codecs.Amf0;

/// <summary>The only exception <see cref="Amf0Reader"/> throws for bad input.</summary>
public sealed class Amf0FormatException : FormatException
{
    public Amf0FormatException(string message)
        : base(message)
    {
    }
}
