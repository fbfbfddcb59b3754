using Appliance.Codecs.Fmp4;
using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>Files of a packager fetched as the HTTP side fetches them: by name, pinned, copied, released.</summary>
internal static class CmafFiles
{
    public static CmafFileStatus Status(CmafPackager packager, string name)
    {
        Assert.True(CmafName.TryParse(name, out var parsed), $"'{name}' is not a CMAF name");
        var status = packager.Find(parsed, out var resource);
        resource.Release();
        return status;
    }

    /// <summary>The file's bytes; fails the test unless it is found.</summary>
    public static byte[] Bytes(CmafPackager packager, string name)
    {
        Assert.True(CmafName.TryParse(name, out var parsed), $"'{name}' is not a CMAF name");
        var status = packager.Find(parsed, out var resource);
        Assert.True(status == CmafFileStatus.Found, $"{name}: {status}");
        try
        {
            return resource.File is { } file
                ? file.Memory.Span.Slice((int)resource.Offset, (int)resource.Length).ToArray()
                : resource.Buffer!.Span.ToArray();
        }
        finally
        {
            resource.Release();
        }
    }

    public static byte[] Segment(CmafPackager packager, Fmp4TrackKind track, long number) =>
        Bytes(packager, CmafName.SegmentFile(track, number));

    public static byte[] Part(CmafPackager packager, Fmp4TrackKind track, long number, int part) =>
        Bytes(packager, CmafName.PartFile(track, number, part));

    public static CmafTrackSnapshot Track(CmafPackager packager, Fmp4TrackKind track) =>
        packager.Snapshot.Track(track) ?? throw new InvalidOperationException($"no {track} track");

    /// <summary>The complete segments' numbers listed in the track's playlist.</summary>
    public static List<long> Listed(CmafPackager packager, Fmp4TrackKind track) =>
        [.. Track(packager, track).Playlist.Segments.Select(s => s.Number)];
}
