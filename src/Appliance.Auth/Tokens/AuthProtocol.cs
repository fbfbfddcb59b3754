namespace Appliance.Auth.Tokens;

/// <summary>How the request arrived; told to the customer's callback, which may decide by it.</summary>
public enum AuthProtocol : byte
{
    Rtmp,
    HttpFlv,
    HttpTs,
    Hls,
    Dash,
    Srt,
}

internal static class AuthNames
{
    // Spelled out rather than Enum.ToString so the callback body is fixed, lower-case wire text.
    public static string Of(AuthProtocol protocol) => protocol switch
    {
        AuthProtocol.Rtmp => "rtmp",
        AuthProtocol.HttpFlv => "flv",
        AuthProtocol.HttpTs => "ts",
        AuthProtocol.Hls => "hls",
        AuthProtocol.Dash => "dash",
        AuthProtocol.Srt => "srt",
        _ => "unknown",
    };

    public static string Of(AuthAction action) => action == AuthAction.Publish ? "publish" : "play";
}
