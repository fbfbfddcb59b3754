using System.Runtime.InteropServices;
using System.Text;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Support;

/// <summary>
/// Leaves a Unix socket file nobody listens on, as a daemon killed with SIGKILL does. (.NET's own
/// Socket removes its file on dispose, so this goes through libc.)
/// </summary>
internal static partial class StaleUnixSocket
{
    public static void Create(string path)
    {
        var fd = Socket(1, 1, 0);
        Assert.True(fd >= 0, "socket(AF_UNIX) failed");
        try
        {
            // struct sockaddr_un: sa_family_t (2 bytes) then the path, NUL-terminated.
            var address = new byte[110];
            address[0] = 1;
            Encoding.UTF8.GetBytes(path).CopyTo(address, 2);
            Assert.Equal(0, Bind(fd, address, address.Length));
        }
        finally
        {
            Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "socket")]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind")]
    private static partial int Bind(int fd, byte[] address, int length);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
