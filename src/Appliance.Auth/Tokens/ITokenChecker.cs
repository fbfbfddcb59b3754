namespace Appliance.Auth.Tokens;

/// <summary>
/// One token scheme. The hashing schemes finish synchronously (a completed ValueTask, no
/// allocation); only the remote callback really awaits. Implementations never throw on input.
/// </summary>
public interface ITokenChecker
{
    ValueTask<AuthResult> CheckAsync(AuthRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Base of the schemes that need no I/O: the check is a plain method that benchmarks and tests call directly.</summary>
public abstract class SyncTokenChecker : ITokenChecker
{
    public abstract AuthResult Check(in AuthRequest request);

    public ValueTask<AuthResult> CheckAsync(AuthRequest request, CancellationToken cancellationToken = default) =>
        new(Check(request));
}
