namespace Appliance.Transport.Uring;

/// <summary>What an operation asks of the ring.</summary>
internal enum UringOperationKind : byte
{
    SendMessage,
    /// <summary>sendmsg with the pages pinned instead of copied (SENDMSG_ZC, Linux 6.1).</summary>
    SendMessageZeroCopy,
    /// <summary>Wait until the socket can take bytes (only when a send came back EAGAIN).</summary>
    PollWritable,
}
