using System.IO.Pipelines;

namespace Appliance.Core.Connections;

/// <summary>What a connection without a transport of its own does with input nobody parses.</summary>
public static class PipeInput
{
    /// <summary>Reads and drops everything until the writer completes; returns the bytes dropped.</summary>
    public static async Task<long> DiscardUntilCompletedAsync(PipeReader input)
    {
        ArgumentNullException.ThrowIfNull(input);
        long discarded = 0;
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            discarded += result.Buffer.Length;
            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return discarded;
            }
        }
    }
}
