namespace Appliance.Codecs.MpegTs;

/// <summary>
/// The outcome of one muxer call: on <see cref="TsMuxStatus.Ok"/>, <see cref="BytesWritten"/> TS
/// bytes (a multiple of 188) were written; otherwise nothing was written, no counter moved, and
/// the caller drops the frame and logs <see cref="Status"/>.
/// </summary>
public readonly record struct TsMuxResult(TsMuxStatus Status, int BytesWritten)
{
    public bool IsOk => Status == TsMuxStatus.Ok;

    internal static TsMuxResult Fail(TsMuxStatus status) => new(status, 0);
}
