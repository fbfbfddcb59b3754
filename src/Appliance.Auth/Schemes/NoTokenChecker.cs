using Appliance.Auth.Tokens;

namespace Appliance.Auth.Schemes;

/// <summary>Scheme "none": the action needs no token.</summary>
public sealed class NoTokenChecker : SyncTokenChecker
{
    public static NoTokenChecker Instance { get; } = new();

    private NoTokenChecker()
    {
    }

    public override AuthResult Check(in AuthRequest request) => AuthResult.Allow;
}
