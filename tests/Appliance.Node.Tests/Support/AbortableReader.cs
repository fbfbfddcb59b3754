using System.IO.Pipelines;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Support;

/// <summary>A pipe reader that fails like a reset socket once aborted: pending and later reads throw IOException.</summary>
internal sealed class AbortableReader(PipeReader inner) : PipeReader
{
    private volatile bool _aborted;

    public void Abort()
    {
        _aborted = true;
        inner.CancelPendingRead();
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfAborted();
        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (_aborted)
        {
            inner.AdvanceTo(result.Buffer.Start);
            ThrowIfAborted();
        }
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        ThrowIfAborted();
        return inner.TryRead(out result);
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    private void ThrowIfAborted()
    {
        if (_aborted)
        {
            throw new IOException("connection aborted");
        }
    }
}
