using Appliance.Codecs.Aac;
using Appliance.Codecs.MpegTs;

namespace Appliance.Codecs.Tests.MpegTs;

public sealed class AdtsFrameTests
{
    // AAC LC, 48 kHz (index 3), stereo: the header the muxer writes, on a 10-byte payload.
    private static byte[] Frame(int payload = 10)
    {
        Assert.True(AdtsHeader.TryCreate(new AacConfig(2, 48000, 2) { CoreObjectType = 2, SampleRateIndex = 3, ChannelConfiguration = 2 }, out var header));
        var bytes = new byte[AdtsHeader.Length + payload];
        header.Write(bytes, payload);
        return bytes;
    }

    [Fact]
    public void Reads_what_the_muxer_writes_and_gives_its_audio_specific_config()
    {
        Assert.True(AdtsFrame.TryRead(Frame(), out var frame));

        Assert.Equal(new AdtsFrame(2, 3, 2, 7, 17), frame);
        Assert.Equal(48000, frame.SampleRate);
        Assert.True(AudioSpecificConfig.TryParse(frame.AudioSpecificConfig(), out var config));
        Assert.Equal((2, 48000, 2), (config.ObjectType, config.SampleRate, config.Channels));
    }

    [Fact]
    public void A_header_with_a_crc_is_nine_bytes()
    {
        var bytes = Frame(12);
        bytes[1] &= 0xFE;

        Assert.True(AdtsFrame.TryRead(bytes, out var frame));
        Assert.Equal(9, frame.HeaderLength);
    }

    [Theory]
    [InlineData("no sync")]
    [InlineData("reserved rate")]
    [InlineData("longer than the data")]
    [InlineData("shorter than its header")]
    [InlineData("two raw blocks")]
    [InlineData("truncated header")]
    public void Refuses_what_is_not_one_whole_adts_frame(string damage)
    {
        var bytes = Frame();
        switch (damage)
        {
            case "no sync": bytes[1] = 0x00; break;
            case "reserved rate": bytes[2] = (byte)((bytes[2] & 0xC3) | (13 << 2)); break;
            case "longer than the data": bytes = bytes[..^1]; break;
            case "shorter than its header": bytes[4] = 0; bytes[3] &= 0xFC; bytes[5] = (byte)((bytes[5] & 0x1F) | (5 << 5)); break;
            case "two raw blocks": bytes[6] |= 0x01; break;
            case "truncated header": bytes = bytes[..6]; break;
        }

        Assert.False(AdtsFrame.TryRead(bytes, out _));
    }
}
