namespace Appliance.Node.Config;

/// <summary>The values of <c>transport.send</c>.</summary>
public static class SendModes
{
    public const string Epoll = "epoll";
    public const string IoUring = "io_uring";
    public const string Auto = "auto";
}
