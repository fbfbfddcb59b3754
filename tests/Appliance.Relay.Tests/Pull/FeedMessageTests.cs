using Appliance.Core.Buffers;
using Appliance.Relay.Pull;

namespace Appliance.Relay.Tests.Pull;

/// <summary><see cref="FeedMessage.IsMediaFrame"/>: what wins a pull's race is a frame, not the headers before it.</summary>
public sealed class FeedMessageTests
{
    [Theory]
    [InlineData(9, new byte[] { 0x17, 0x01, 0, 0, 0, 0x65 }, true)] // AVC keyframe
    [InlineData(9, new byte[] { 0x27, 0x01, 0, 0, 0, 0x41 }, true)] // AVC inter frame
    [InlineData(9, new byte[] { 0x17, 0x00, 0, 0, 0, 0x01 }, false)] // AVC sequence header
    [InlineData(9, new byte[] { 0x17, 0x02, 0, 0, 0 }, false)] // AVC end of sequence
    [InlineData(8, new byte[] { 0xAF, 0x01, 0x21 }, true)] // AAC raw frame
    [InlineData(8, new byte[] { 0xAF, 0x00, 0x12, 0x10 }, false)] // AAC sequence header
    [InlineData(8, new byte[] { 0x2F, 0xFF }, true)] // MP3
    [InlineData(18, new byte[] { 0x02, 0x00, 0x0A }, false)] // onMetaData
    [InlineData(22, new byte[] { 0x09 }, true)] // an aggregate of frames
    [InlineData(9, new byte[0], false)] // too short to tell
    public void Frames_count_and_headers_do_not(byte typeId, byte[] payload, bool isFrame)
    {
        var buffer = SharedBuffer.CopyOf(payload);
        try
        {
            Assert.Equal(isFrame, new FeedMessage(typeId, 0, buffer).IsMediaFrame);
        }
        finally
        {
            buffer.Release();
        }
    }
}
