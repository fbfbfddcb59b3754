using Appliance.Transport.Native;

namespace Appliance.Transport.Uring;

/// <summary>
/// One io_uring: its descriptor and the mapped submission and completion rings. Not thread-safe:
/// only the send ring's thread touches it (the ring is set up single-issuer where the kernel can).
/// </summary>
internal sealed unsafe class UringRing : IDisposable
{
    private readonly int _fd;
    private readonly nint _sqMap;
    private readonly nuint _sqMapLength;
    private readonly nint _cqMap;
    private readonly nuint _cqMapLength;
    private readonly nint _sqeMap;
    private readonly nuint _sqeMapLength;
    private readonly uint* _sqHead;
    private readonly uint* _sqTail;
    private readonly uint _sqMask;
    private readonly uint* _sqArray;
    private readonly UringAbi.Sqe* _sqes;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly UringAbi.Cqe* _cqes;
    private uint _sqLocalTail;
    private uint _unsubmitted;

    private UringRing(int fd, in UringAbi.Params p)
    {
        _fd = fd;
        Entries = p.SqEntries;
        Features = p.Features;
        _sqMapLength = p.SqOff.Array + p.SqEntries * sizeof(uint);
        _cqMapLength = p.CqOff.Cqes + p.CqEntries * (uint)sizeof(UringAbi.Cqe);
        var single = (p.Features & UringAbi.FeatSingleMmap) != 0;
        if (single)
        {
            _sqMapLength = _cqMapLength = Math.Max(_sqMapLength, _cqMapLength);
        }
        _sqMap = Map(fd, _sqMapLength, UringAbi.OffSqRing);
        _cqMap = single ? _sqMap : Map(fd, _cqMapLength, UringAbi.OffCqRing);
        _sqeMapLength = p.SqEntries * (uint)sizeof(UringAbi.Sqe);
        _sqeMap = Map(fd, _sqeMapLength, UringAbi.OffSqes);
        var sq = (byte*)_sqMap;
        var cq = (byte*)_cqMap;
        _sqHead = (uint*)(sq + p.SqOff.Head);
        _sqTail = (uint*)(sq + p.SqOff.Tail);
        _sqMask = *(uint*)(sq + p.SqOff.RingMask);
        _sqArray = (uint*)(sq + p.SqOff.Array);
        _sqes = (UringAbi.Sqe*)_sqeMap;
        _cqHead = (uint*)(cq + p.CqOff.Head);
        _cqTail = (uint*)(cq + p.CqOff.Tail);
        _cqMask = *(uint*)(cq + p.CqOff.RingMask);
        _cqes = (UringAbi.Cqe*)(cq + p.CqOff.Cqes);
        _sqLocalTail = *_sqTail;
    }

    public uint Entries { get; }

    public uint Features { get; }

    /// <summary>Entries filled since the last enter.</summary>
    public uint Unsubmitted => _unsubmitted;

    /// <summary>
    /// Sets up a ring, trying the cheapest mode first (completion work run only when this thread
    /// asks for events), then older kernels' modes. Returns null with the errno of the last refusal.
    /// </summary>
    public static UringRing? TryCreate(uint entries, out int errno)
    {
        uint[] modes =
        [
            UringAbi.SetupSubmitAll | UringAbi.SetupCoopTaskRun | UringAbi.SetupSingleIssuer | UringAbi.SetupDeferTaskRun,
            UringAbi.SetupSubmitAll | UringAbi.SetupCoopTaskRun,
            0,
        ];
        errno = 0;
        foreach (var mode in modes)
        {
            var p = new UringAbi.Params { Flags = mode | UringAbi.SetupCqSize, CqEntries = entries * 4 };
            var fd = UringAbi.Setup(entries, &p);
            if (fd >= 0)
            {
                if ((p.Features & UringAbi.FeatNoDrop) == 0)
                {
                    // Before 5.5 a full completion ring drops completions: a writer would wait forever.
                    LibC.Close(fd);
                    errno = LibC.ENoSys;
                    return null;
                }
                try
                {
                    return new UringRing(fd, p);
                }
                catch (IOException)
                {
                    LibC.Close(fd);
                    errno = 12;
                    return null;
                }
            }
            errno = LibC.LastError;
            // EINVAL: a flag this kernel does not know; try the next mode. Anything else is final.
            if (errno != 22)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>The next free submission entry, zeroed; null when the ring is full until the next enter.</summary>
    public UringAbi.Sqe* TryGetSqe()
    {
        var head = Volatile.Read(ref *_sqHead);
        if (_sqLocalTail - head >= Entries)
        {
            return null;
        }
        var index = _sqLocalTail & _sqMask;
        _sqArray[index] = index;
        var sqe = &_sqes[index];
        *sqe = default;
        _sqLocalTail++;
        _unsubmitted++;
        return sqe;
    }

    /// <summary>
    /// Publishes the filled entries and makes one io_uring_enter: submits them, runs the kernel's
    /// completion work and, with <paramref name="wait"/>, sleeps until a completion arrives.
    /// Returns how many entries the kernel took, or -errno.
    /// </summary>
    public int Enter(bool wait)
    {
        Volatile.Write(ref *_sqTail, _sqLocalTail);
        var submitted = UringAbi.Enter(_fd, _unsubmitted, wait ? 1u : 0u, UringAbi.EnterGetEvents);
        if (submitted < 0)
        {
            return -LibC.LastError;
        }
        _unsubmitted -= (uint)Math.Min(submitted, (int)_unsubmitted);
        return submitted;
    }

    public bool HasCompletions => Volatile.Read(ref *_cqTail) != *_cqHead;

    /// <summary>The oldest completion not yet consumed; false when there is none.</summary>
    public bool TryPeek(out UringAbi.Cqe cqe)
    {
        var head = *_cqHead;
        if (head == Volatile.Read(ref *_cqTail))
        {
            cqe = default;
            return false;
        }
        cqe = _cqes[head & _cqMask];
        // The slot is copied: hand it back at once, before the handler runs.
        Volatile.Write(ref *_cqHead, head + 1);
        return true;
    }

    private static nint Map(int fd, nuint length, long offset)
    {
        var address = LibC.Mmap(0, length, UringAbi.ProtReadWrite, LibC.MapShared | UringAbi.MapPopulate, fd, offset);
        if (address == LibC.MapFailed)
        {
            throw new IOException($"mmap of the io_uring rings failed (errno {LibC.LastError})");
        }
        return address;
    }

    public void Dispose()
    {
        LibC.Munmap(_sqeMap, _sqeMapLength);
        if (_cqMap != _sqMap)
        {
            LibC.Munmap(_cqMap, _cqMapLength);
        }
        LibC.Munmap(_sqMap, _sqMapLength);
        LibC.Close(_fd);
    }
}
