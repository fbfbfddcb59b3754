using System.Diagnostics.CodeAnalysis;

namespace Appliance.Core;

internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowDoubleRelease() =>
        throw new InvalidOperationException("SharedBuffer released more times than it was referenced.");
}
