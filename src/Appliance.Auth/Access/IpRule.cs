using System.Net;

namespace Appliance.Auth.Access;

/// <summary>Client networks: an allow list (only these) or a deny list (all but these).</summary>
public sealed class IpRule
{
    private readonly CidrSet _networks;
    private readonly bool _isAllowList;

    public IpRule(IReadOnlyList<string>? allow, IReadOnlyList<string>? deny)
    {
        _isAllowList = allow is { Count: > 0 };
        _networks = CidrSet.Parse(_isAllowList ? allow : deny);
    }

    public static IpRule Open { get; } = new([], []);

    public bool IsOpen => _networks.IsEmpty;

    public bool Permits(IPAddress client) => IsOpen || _networks.Contains(client) == _isAllowList;
}
