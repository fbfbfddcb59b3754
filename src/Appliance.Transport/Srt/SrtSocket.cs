using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Transport.Native;

namespace Appliance.Transport.Srt;

/// <summary>Options and addresses of one libsrt socket id, and its errors as exceptions.</summary>
internal static unsafe class SrtSocket
{
    private const int SockAddrStorage = 128;
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;

    /// <summary>libsrt error code for "operation not supported in blocking mode / timed out" on a receive (SRT_EASYNCRCV).</summary>
    public const int ErrorAsyncReceive = 6002;

    /// <summary>libsrt error code for a blocking receive whose SRTO_RCVTIMEO passed with nothing to read (SRT_ETIMEOUT).</summary>
    public const int ErrorTimeout = 6003;

    /// <summary>Applies everything the handshake negotiates: before connect (a caller) or in the listen callback (an accepted socket).</summary>
    public static void Apply(int socket, SrtSettings settings)
    {
        SetInt(socket, LibSrt.OptLatency, settings.LatencyMs, "latency");
        SetInt(socket, LibSrt.OptPayloadSize, settings.PayloadSize, "payload size");
        if (settings.MaxBandwidth > 0)
        {
            SetLong(socket, LibSrt.OptMaxBw, settings.MaxBandwidth, "max bandwidth");
        }
        SetInt(socket, LibSrt.OptOheadBw, settings.OverheadPercent, "overhead");
        if (!string.IsNullOrEmpty(settings.Passphrase))
        {
            SetString(socket, LibSrt.OptPassphrase, settings.Passphrase, "passphrase");
            if (settings.KeyLength > 0)
            {
                SetInt(socket, LibSrt.OptPbKeyLen, settings.KeyLength, "key length");
            }
        }
    }

    public static void SetInt(int socket, int option, int value, string what)
    {
        if (LibSrt.SetSockFlag(socket, option, &value, sizeof(int)) < 0)
        {
            throw Failure($"set {what}");
        }
    }

    /// <summary>Sets an option where failing only loses a refinement (no throw).</summary>
    public static bool TrySetInt(int socket, int option, int value) => LibSrt.SetSockFlag(socket, option, &value, sizeof(int)) >= 0;

    public static void SetLong(int socket, int option, long value, string what)
    {
        if (LibSrt.SetSockFlag(socket, option, &value, sizeof(long)) < 0)
        {
            throw Failure($"set {what}");
        }
    }

    public static void SetString(int socket, int option, string value, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        fixed (byte* p = bytes)
        {
            if (LibSrt.SetSockFlag(socket, option, p, bytes.Length) < 0)
            {
                throw Failure($"set {what}");
            }
        }
    }

    public static int GetInt(int socket, int option)
    {
        int value = 0, length = sizeof(int);
        return LibSrt.GetSockFlag(socket, option, &value, &length) < 0 ? -1 : value;
    }

    public static string GetStreamId(int socket)
    {
        var buffer = stackalloc byte[LibSrt.MaxStreamIdLength + 1];
        var length = LibSrt.MaxStreamIdLength + 1;
        return LibSrt.GetSockFlag(socket, LibSrt.OptStreamId, buffer, &length) < 0 || length <= 0
            ? ""
            : Encoding.UTF8.GetString(buffer, Math.Min(length, LibSrt.MaxStreamIdLength));
    }

    public static IPEndPoint? LocalEndPoint(int socket)
    {
        var storage = stackalloc byte[SockAddrStorage];
        var length = SockAddrStorage;
        return LibSrt.GetSockName(socket, storage, &length) < 0 ? null : ToEndPoint(storage);
    }

    /// <summary>Writes <paramref name="endPoint"/> as a sockaddr_in or sockaddr_in6 into <paramref name="storage"/>; returns its length.</summary>
    public static int FromEndPoint(IPEndPoint endPoint, Span<byte> storage)
    {
        storage.Clear();
        var ipv6 = endPoint.AddressFamily == AddressFamily.InterNetworkV6;
        BinaryPrimitives.WriteUInt16LittleEndian(storage, ipv6 ? AfInet6 : AfInet);
        BinaryPrimitives.WriteUInt16BigEndian(storage[2..], (ushort)endPoint.Port);
        if (ipv6)
        {
            endPoint.Address.TryWriteBytes(storage[8..24], out _);
            BinaryPrimitives.WriteUInt32LittleEndian(storage[24..], (uint)endPoint.Address.ScopeId);
            return 28;
        }
        endPoint.Address.TryWriteBytes(storage[4..8], out _);
        return 16;
    }

    public static IPEndPoint? ToEndPoint(byte* address)
    {
        if (address == null)
        {
            return null;
        }
        var span = new ReadOnlySpan<byte>(address, 28);
        var family = BinaryPrimitives.ReadUInt16LittleEndian(span);
        var port = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        return family switch
        {
            AfInet => new IPEndPoint(new IPAddress(span[4..8]), port),
            AfInet6 => new IPEndPoint(new IPAddress(span[8..24], BinaryPrimitives.ReadUInt32LittleEndian(span[24..])), port),
            _ => null,
        };
    }

    public static SrtException Failure(string what) => new($"SRT {what}: {LibSrt.LastErrorText()}");

    /// <summary>libsrt's last error code on this thread (SRT_ERRNO).</summary>
    public static int LastError() => LibSrt.GetLastError(null);
}
