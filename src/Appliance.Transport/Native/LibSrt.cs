using System.Reflection;
using System.Runtime.InteropServices;

namespace Appliance.Transport.Native;

/// <summary>
/// The libsrt calls the SRT listener and caller use (libsrt 1.5, srt.h), with source-generated
/// marshalling (AOT-safe). Debian ships the library twice, built against OpenSSL
/// (libsrt1.5-openssl: libsrt.so.1.5) or GnuTLS (libsrt1.5-gnutls, which ffmpeg pulls in:
/// libsrt-gnutls.so.1.5); the two may be installed together and either one serves, so the
/// resolver takes whichever it finds first. Nothing here loads until <see cref="TryLoad"/> is called.
/// </summary>
internal static unsafe partial class LibSrt
{
    private const string Library = "srt";

    /// <summary>The file names tried, in order.</summary>
    public static readonly string[] FileNames = ["libsrt.so.1.5", "libsrt-gnutls.so.1.5"];

    public const int Error = -1;
    public const int InvalidSocket = -1;

    // SRT_SOCKOPT values (srt.h).
    public const int OptSndSyn = 1;
    public const int OptRcvSyn = 2;
    public const int OptSndTimeo = 13;
    public const int OptRcvTimeo = 14;
    public const int OptMaxBw = 16;
    public const int OptLatency = 23;
    public const int OptOheadBw = 25;
    public const int OptPassphrase = 26;
    public const int OptPbKeyLen = 27;
    public const int OptConnTimeo = 36;
    public const int OptPeerLatency = 44;
    public const int OptStreamId = 46;
    public const int OptPayloadSize = 49;

    /// <summary>The longest stream id SRT carries (SRTO_STREAMID).</summary>
    public const int MaxStreamIdLength = 512;

    // SRT_REJX_* (access control): 1000 + an HTTP status.
    public const int RejectBadRequest = 1400;
    public const int RejectUnauthorized = 1401;
    public const int RejectForbidden = 1403;
    public const int RejectNotFound = 1404;
    public const int RejectConflict = 1409;

    private static nint s_handle;
    private static string? s_loadProblem;
    private static readonly Lock LoadLock = new();

    /// <summary>The file that was loaded, once <see cref="TryLoad"/> succeeded.</summary>
    public static string? LoadedFrom { get; private set; }

    /// <summary>Loads libsrt and starts it once; false with the reason when no copy is installed.</summary>
    public static bool TryLoad(out string problem)
    {
        lock (LoadLock)
        {
            if (s_handle == 0 && s_loadProblem is null)
            {
                foreach (var name in FileNames)
                {
                    if (NativeLibrary.TryLoad(name, out var handle))
                    {
                        s_handle = handle;
                        LoadedFrom = name;
                        break;
                    }
                }
                if (s_handle == 0)
                {
                    s_loadProblem = $"libsrt not found (tried {string.Join(", ", FileNames)}; install libsrt1.5-openssl or libsrt1.5-gnutls)";
                }
                else
                {
                    NativeLibrary.SetDllImportResolver(typeof(LibSrt).Assembly, Resolve);
                    // libsrt writes its own warnings to stderr (a closed peer, a refused handshake);
                    // the node logs what matters itself, in its own format, so only critical ones pass.
                    SetLogLevel(LogCritical);
                    if (Startup() < 0)
                    {
                        s_loadProblem = $"srt_startup failed: {LastErrorText()}";
                    }
                }
            }
            problem = s_loadProblem ?? "";
            return s_loadProblem is null;
        }
    }

    // Every other library of this assembly (libc) resolves the default way.
    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Library ? s_handle : 0;

    public static string LastErrorText()
    {
        var text = GetLastErrorStr();
        return text == 0 ? "unknown SRT error" : Marshal.PtrToStringUTF8(text) ?? "unknown SRT error";
    }

    private const int LogCritical = 2;

    [LibraryImport(Library, EntryPoint = "srt_setloglevel")]
    private static partial void SetLogLevel(int level);

    [LibraryImport(Library, EntryPoint = "srt_startup")]
    private static partial int Startup();

    [LibraryImport(Library, EntryPoint = "srt_getlasterror_str")]
    private static partial nint GetLastErrorStr();

    [LibraryImport(Library, EntryPoint = "srt_getlasterror")]
    public static partial int GetLastError(int* errnoLocation);

    [LibraryImport(Library, EntryPoint = "srt_create_socket")]
    public static partial int CreateSocket();

    [LibraryImport(Library, EntryPoint = "srt_bind")]
    public static partial int Bind(int socket, byte* address, int addressLength);

    [LibraryImport(Library, EntryPoint = "srt_listen")]
    public static partial int Listen(int socket, int backlog);

    [LibraryImport(Library, EntryPoint = "srt_listen_callback")]
    public static partial int ListenCallback(int socket, delegate* unmanaged<nint, int, int, nint, nint, int> hook, nint opaque);

    [LibraryImport(Library, EntryPoint = "srt_accept")]
    public static partial int Accept(int socket, byte* address, int* addressLength);

    [LibraryImport(Library, EntryPoint = "srt_connect")]
    public static partial int Connect(int socket, byte* address, int addressLength);

    [LibraryImport(Library, EntryPoint = "srt_close")]
    public static partial int Close(int socket);

    [LibraryImport(Library, EntryPoint = "srt_getsockname")]
    public static partial int GetSockName(int socket, byte* address, int* addressLength);

    [LibraryImport(Library, EntryPoint = "srt_setsockflag")]
    public static partial int SetSockFlag(int socket, int option, void* value, int length);

    [LibraryImport(Library, EntryPoint = "srt_getsockflag")]
    public static partial int GetSockFlag(int socket, int option, void* value, int* length);

    [LibraryImport(Library, EntryPoint = "srt_sendmsg2")]
    public static partial int SendMsg2(int socket, byte* buffer, int length, nint control);

    [LibraryImport(Library, EntryPoint = "srt_recvmsg")]
    public static partial int RecvMsg(int socket, byte* buffer, int length);

    [LibraryImport(Library, EntryPoint = "srt_setrejectreason")]
    public static partial int SetRejectReason(int socket, int reason);

    [LibraryImport(Library, EntryPoint = "srt_getrejectreason")]
    public static partial int GetRejectReason(int socket);

    [LibraryImport(Library, EntryPoint = "srt_rejectreason_str")]
    public static partial nint RejectReasonStr(int reason);

    [LibraryImport(Library, EntryPoint = "srt_bstats")]
    public static partial int BStats(int socket, byte* stats, int clear);
}
