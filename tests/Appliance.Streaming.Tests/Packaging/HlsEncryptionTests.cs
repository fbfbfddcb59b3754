using System.Security.Cryptography;
using System.Text;
using Appliance.Streaming.Packaging.Hls;
using Appliance.Streaming.Settings;
using Appliance.Transport.Files;

namespace Appliance.Streaming.Tests.Packaging;

/// <summary>Encrypted HLS: what a player reads in the playlist and what it decrypts from the segments.</summary>
public class HlsEncryptionTests
{
    private static readonly byte[] Secret = Convert.FromHexString("0f1e2d3c4b5a69788796a5b4c3d2e1f0");

    private static void Encrypt(StreamingAppConfig app, int rotateEverySegments)
    {
        app.Hls.Encryption.Enabled = true;
        app.Hls.Encryption.RotateEverySegments = rotateEverySegments;
        app.Hls.MinSegments = 1;
    }

    [Fact]
    public void TheKeyTagStandsAtTheTopOfTheWindowAndAtEachRotation()
    {
        using var hls = new HlsHarness(app => Encrypt(app, 3), keys: new HlsKeyring(Secret));
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;

        hls.PublishMedia(0, 20_040);

        var playlist = HlsHarness.Playlist(window);
        // Segments 4..9 listed (a window of 6); keys cover 3 segments each: 4-5 key 1, 6-8 key 2, 9 key 3.
        Assert.Equal([4L, 5, 6, 7, 8, 9], playlist.Entries.Select(e => e.Sequence));
        Assert.Equal([true, false, true, false, false, true], playlist.Entries.Select(e => e.KeyTagged));
        Assert.Equal(["cam/key-1.key", "cam/key-1.key", "cam/key-2.key", "cam/key-2.key", "cam/key-2.key", "cam/key-3.key"],
            playlist.Entries.Select(e => e.KeyUri));
        Assert.DoesNotContain("IV=", playlist.Text, StringComparison.Ordinal);

        hls.PublishMedia(20_040, 22_040);

        // The window moved on by one: its new top (5) still names its key.
        var moved = HlsHarness.Playlist(window);
        Assert.Equal([5L, 6, 7, 8, 9, 10], moved.Entries.Select(e => e.Sequence));
        Assert.Equal([true, true, false, false, true, false], moved.Entries.Select(e => e.KeyTagged));
        Assert.Equal("cam/key-1.key", moved.Entries[0].KeyUri);
    }

    [Fact]
    public void EachEncryptedSegmentDecryptsToTheClearSegment()
    {
        using var clear = new HlsHarness(app => app.Hls.MinSegments = 1);
        using var encrypted = new HlsHarness(app => Encrypt(app, 2), keys: new HlsKeyring(Secret));
        foreach (var hls in new[] { clear, encrypted })
        {
            hls.PublishHeaders();
            hls.Stream.RequestHls();
            hls.PublishMedia(0, 10_040);
        }
        var clearSegments = clear.Stream.HlsWindow!.Segments;
        var encryptedSegments = encrypted.Stream.HlsWindow!.Segments;
        Assert.Equal(5, encryptedSegments.Count);
        Assert.Equal(clearSegments.Select(s => s.Sequence), encryptedSegments.Select(s => s.Sequence));

        var keyring = new HlsKeyring(Secret);
        for (var i = 0; i < encryptedSegments.Count; i++)
        {
            var segment = encryptedSegments[i];
            var plain = clearSegments[i].File.Memory.ToArray();
            var cipher = segment.File.Memory.ToArray();
            // PKCS7 always pads: at least one byte, at most a whole block.
            Assert.Equal((plain.Length / 16 + 1) * 16, cipher.Length);
            Assert.NotEqual(0x47, cipher[0]);
            var key = new byte[16];
            keyring.Derive(HlsHarness.Key.ToString(), segment.Sequence / 2, key);
            var iv = new byte[16];
            HlsKeyring.IvOf(segment.Sequence, iv);
            using var aes = Aes.Create();
            aes.Key = key;
            Assert.Equal(plain, aes.DecryptCbc(cipher, iv, PaddingMode.PKCS7));
        }
    }

    [Fact]
    public void AKeyOfAnotherSegmentRunDoesNotDecryptIt()
    {
        using var hls = new HlsHarness(app => Encrypt(app, 2), keys: new HlsKeyring(Secret));
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;
        hls.PublishMedia(0, 6_040);
        var segment = window.Segments[2];
        var wrong = new byte[16];
        new HlsKeyring(Secret).Derive(HlsHarness.Key.ToString(), 0, wrong);
        var iv = new byte[16];
        HlsKeyring.IvOf(segment.Sequence, iv);
        using var aes = Aes.Create();
        aes.Key = wrong;

        var decrypted = aes.DecryptCbc(segment.File.Memory.ToArray(), iv, PaddingMode.None);

        Assert.NotEqual(0x47, decrypted[0]);
    }

    [Fact]
    public void WithoutTheNodesSecretNothingIsPackagedAndTheLogSaysWhy()
    {
        using var hls = new HlsHarness(app => Encrypt(app, 2));
        hls.PublishHeaders();
        hls.PublishMedia(0, 4_040);

        Assert.Null(hls.Stream.RequestHls());
        Assert.Null(hls.Stream.RequestHls());

        Assert.Single(hls.Logs.Lines, l => l.Message.Contains("hls.encryption is on but the node has no security.hlsKeySecret", StringComparison.Ordinal));
    }

    [Fact]
    public void ASegmentWhoseNumberIsNotItsPositionGetsItsIvWrittenOut()
    {
        HlsSegment[] listed = [Segment(4), Segment(5), Segment(7)];
        try
        {
            var text = Encoding.UTF8.GetString(HlsPlaylistWriter.Write(listed, "cam/", 2000, 0, ended: false, keyRotation: 2));

            var keyLines = text.Split('\n').Where(l => l.StartsWith("#EXT-X-KEY:", StringComparison.Ordinal)).ToList();
            // 4 and 5 are where the media sequence puts them (implied IVs); 7 stands where 6 would.
            Assert.Equal(
            [
                "#EXT-X-KEY:METHOD=AES-128,URI=\"cam/key-2.key\"",
                "#EXT-X-KEY:METHOD=AES-128,URI=\"cam/key-3.key\",IV=0x00000000000000000000000000000007",
            ], keyLines);
        }
        finally
        {
            foreach (var segment in listed)
            {
                segment.File.Release();
            }
        }
    }

    private static HlsSegment Segment(long sequence)
    {
        using var writer = MemoryFileWriter.Create($"test-{sequence}");
        writer.Append(new byte[188]);
        return new HlsSegment(sequence, sequence * 2000, 2000, false, DateTimeOffset.UnixEpoch.AddSeconds(sequence * 2), writer.Complete());
    }

    [Fact]
    public void ASessionTokenIsCarriedIntoTheKeyUriAsIntoSegmentUris()
    {
        using var hls = new HlsHarness(app => Encrypt(app, 2), keys: new HlsKeyring(Secret));
        hls.PublishHeaders();
        var window = hls.Stream.RequestHls()!;
        hls.PublishMedia(0, 6_040);

        var text = Encoding.UTF8.GetString(HlsPlaylistWriter.WithQuery(window.Playlist, "hls_session=abc"));

        Assert.Contains("#EXT-X-KEY:METHOD=AES-128,URI=\"cam/key-0.key?hls_session=abc\"\n", text, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-KEY:METHOD=AES-128,URI=\"cam/key-1.key?hls_session=abc\"\n", text, StringComparison.Ordinal);
        Assert.Contains("cam/2.ts?hls_session=abc\n", text, StringComparison.Ordinal);
    }
}
