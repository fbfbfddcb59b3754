using Appliance.Auth.Tokens;

namespace Appliance.Auth;

/// <summary>Refusals by reason, for the status endpoint and metrics.</summary>
public sealed class AuthStats
{
    private readonly long[] _refusals = new long[Enum.GetValues<AuthRefusal>().Length];
    private long _allowed;

    public long Allowed => Interlocked.Read(ref _allowed);

    public void Record(in AuthResult result)
    {
        if (result.Allowed)
        {
            Interlocked.Increment(ref _allowed);
        }
        else
        {
            Interlocked.Increment(ref _refusals[(int)result.Reason]);
        }
    }

    public long Refusals(AuthRefusal reason) => Interlocked.Read(ref _refusals[(int)reason]);
}
