using System.Buffers;
using Appliance.Codecs.Text;

namespace Appliance.Codecs.Hls;

/// <summary>
/// Writes a multivariant playlist (RFC 8216bis 4.4.6): the audio renditions (EXT-X-MEDIA), then each
/// variant (EXT-X-STREAM-INF and its URI line), with the session's query on every URI. It needs no
/// EXT-X-VERSION: nothing in it is newer than version 1. Writing allocates nothing.
/// </summary>
public static class HlsMultivariantPlaylistWriter
{
    public static byte[] Write(IReadOnlyList<HlsVariant> variants, IReadOnlyList<HlsAudioRendition> audio, string? querySuffix = null)
    {
        var output = new ArrayBufferWriter<byte>(256);
        Write(variants, audio, querySuffix, output);
        return output.WrittenSpan.ToArray();
    }

    public static void Write(IReadOnlyList<HlsVariant> variants, IReadOnlyList<HlsAudioRendition> audio, string? querySuffix, IBufferWriter<byte> output)
    {
        var text = new Utf8Output(output);
        text.Append("#EXTM3U\n"u8);
        for (var i = 0; i < audio.Count; i++)
        {
            WriteRendition(text, audio[i], querySuffix);
        }
        for (var i = 0; i < variants.Count; i++)
        {
            WriteVariant(text, variants[i], querySuffix);
        }
    }

    private static void WriteRendition(Utf8Output text, HlsAudioRendition rendition, string? querySuffix)
    {
        text.Append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="u8);
        HlsText.AppendQuoted(text, rendition.GroupId);
        text.Append(",NAME="u8);
        HlsText.AppendQuoted(text, rendition.Name);
        if (rendition.Language is not null)
        {
            text.Append(",LANGUAGE="u8);
            HlsText.AppendQuoted(text, rendition.Language);
        }
        text.Append(rendition.Default ? ",DEFAULT=YES,AUTOSELECT=YES"u8 : ",DEFAULT=NO,AUTOSELECT=YES"u8);
        if (rendition.Channels > 0)
        {
            text.Append(",CHANNELS=\""u8);
            text.Append(rendition.Channels);
            text.Append('"');
        }
        text.Append(",URI="u8);
        HlsText.AppendQuotedUri(text, rendition.Uri, querySuffix);
        text.Append('\n');
    }

    private static void WriteVariant(Utf8Output text, HlsVariant variant, string? querySuffix)
    {
        text.Append("#EXT-X-STREAM-INF:BANDWIDTH="u8);
        text.Append(variant.Bandwidth);
        if (variant.AverageBandwidth > 0)
        {
            text.Append(",AVERAGE-BANDWIDTH="u8);
            text.Append(variant.AverageBandwidth);
        }
        text.Append(",CODECS="u8);
        HlsText.AppendQuoted(text, variant.Codecs);
        if (variant.Width > 0 && variant.Height > 0)
        {
            text.Append(",RESOLUTION="u8);
            text.Append(variant.Width);
            text.Append('x');
            text.Append(variant.Height);
        }
        if (variant.FrameRateNumerator > 0 && variant.FrameRateDenominator > 0)
        {
            // decimal-floating-point rounded to three places: thousandths of a frame per second, rounded.
            var thousandths = ((long)variant.FrameRateNumerator * 1000 + variant.FrameRateDenominator / 2) / variant.FrameRateDenominator;
            text.Append(",FRAME-RATE="u8);
            text.AppendThousandths(thousandths);
        }
        if (variant.AudioGroupId is not null)
        {
            text.Append(",AUDIO="u8);
            HlsText.AppendQuoted(text, variant.AudioGroupId);
        }
        text.Append('\n');
        HlsText.AppendUri(text, variant.Uri, querySuffix);
        text.Append('\n');
    }
}
