using System.Buffers;
using System.Globalization;
using System.Text;

namespace Appliance.Codecs.Text;

/// <summary>
/// Appends playlist and manifest text to an <see cref="IBufferWriter{T}"/> as UTF-8 without
/// allocating: literals, integers, milliseconds written as seconds, UTC times.
/// </summary>
internal readonly struct Utf8Output(IBufferWriter<byte> output)
{
    public void Append(ReadOnlySpan<byte> utf8) => output.Write(utf8);

    public void Append(char ascii)
    {
        output.GetSpan(1)[0] = (byte)ascii;
        output.Advance(1);
    }

    public void Append(ReadOnlySpan<char> text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    public void Append(long value)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    /// <summary>A count of thousandths as a decimal with exactly three places: milliseconds as seconds ("2.000", "0.333").</summary>
    public void AppendThousandths(long thousandths)
    {
        if (thousandths < 0)
        {
            Append('-');
            thousandths = -thousandths;
        }
        Append(thousandths / 1000);
        Append('.');
        var fraction = thousandths % 1000;
        Append((char)('0' + fraction / 100));
        Append((char)('0' + fraction / 10 % 10));
        Append((char)('0' + fraction % 10));
    }

    /// <summary>A count of thousandths as a decimal without trailing zeros: milliseconds as seconds ("2", "1.5", "0.04").</summary>
    public void AppendThousandthsTrimmed(long thousandths)
    {
        if (thousandths < 0)
        {
            Append('-');
            thousandths = -thousandths;
        }
        Append(thousandths / 1000);
        var fraction = thousandths % 1000;
        if (fraction == 0)
        {
            return;
        }
        Append('.');
        for (var unit = 100; fraction > 0; unit /= 10)
        {
            Append((char)('0' + fraction / unit));
            fraction %= unit;
        }
    }

    /// <summary>Up to three decimals, trailing zeros dropped ("0.96", "1").</summary>
    public void AppendDecimal(double value)
    {
        var span = output.GetSpan(32);
        value.TryFormat(span, out var written, "0.###", CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    /// <summary>The UTC time to the millisecond, ISO 8601 ("2019-02-14T02:13:36.106Z"), as HLS and xs:dateTime take it.</summary>
    public void AppendUtc(DateTimeOffset time)
    {
        var span = output.GetSpan(32);
        time.UtcDateTime.TryFormat(span, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        output.Advance(written);
    }
}
