using Appliance.Auth.Tokens;
using System.Net;
using Appliance.Auth.Access;
using Appliance.Auth.Schemes;
using Appliance.Auth.Config;

namespace Appliance.Auth;

/// <summary>
/// Everything that decides whether one request may publish or play in one app: the app's IP rule
/// (both actions), the action's own IP rule, the Referer rule (play only: encoders send no
/// Referer), then the action's token scheme, cheapest first. Built once per app and config;
/// immutable and thread-safe.
/// </summary>
public sealed class AccessPolicy
{
    private static readonly AuthResult IpRefused = AuthResult.Refuse(AuthRefusal.IpDenied, "client address not allowed");
    private static readonly AuthResult RefererRefused = AuthResult.Refuse(AuthRefusal.Referer, "referer not allowed");

    private readonly IpRule _ip;
    private readonly IpRule _publishIp;
    private readonly IpRule _playIp;
    private readonly RefererRule _referer;
    private readonly CidrSet _trustedProxies;

    public AccessPolicy(ITokenChecker publish, ITokenChecker play, IpRule ip, IpRule publishIp, IpRule playIp, RefererRule referer, CidrSet trustedProxies)
    {
        Publish = publish;
        Play = play;
        _ip = ip;
        _publishIp = publishIp;
        _playIp = playIp;
        _referer = referer;
        _trustedProxies = trustedProxies;
    }

    /// <summary>No rules at all: the embedded default.</summary>
    public static AccessPolicy Open { get; } =
        new(NoTokenChecker.Instance, NoTokenChecker.Instance, IpRule.Open, IpRule.Open, IpRule.Open, RefererRule.Open, CidrSet.Empty);

    public ITokenChecker Publish { get; }

    public ITokenChecker Play { get; }

    /// <param name="config">An app's auth section that passed validation.</param>
    /// <param name="callbackClient">For the callback scheme; null uses a shared client.</param>
    public static AccessPolicy Create(AuthConfig config, TimeProvider time, HttpClient? callbackClient = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new AccessPolicy(
            TokenCheckers.Create(config.Publish, time, callbackClient),
            TokenCheckers.Create(config.Play, time, callbackClient),
            new IpRule(config.Ip.Allow, config.Ip.Deny),
            new IpRule(config.Publish.Ip.Allow, config.Publish.Ip.Deny),
            new IpRule(config.Play.Ip.Allow, config.Play.Ip.Deny),
            new RefererRule(config.Referer.Allow, config.Referer.Deny, config.Referer.AllowEmpty),
            CidrSet.Parse(config.TrustedProxies));
    }

    /// <summary>Whether this action needs no check at all, so a session can skip building the request.</summary>
    public bool IsOpen(AuthAction action) =>
        _ip.IsOpen && IpRuleFor(action).IsOpen && (action == AuthAction.Publish || _referer.IsOpen) && CheckerFor(action) is NoTokenChecker;

    /// <summary>The client's address for this app: the peer, or the forwarded address when the peer is a trusted proxy.</summary>
    public IPAddress ResolveClientIp(IPAddress peer, string? forwardedFor) =>
        ClientAddress.Resolve(peer, forwardedFor, _trustedProxies);

    /// <summary>
    /// Completes synchronously, without allocating, unless the scheme is the remote callback.
    /// Never throws on request content; a refusal carries its reason for the log.
    /// </summary>
    public ValueTask<AuthResult> CheckAsync(AuthRequest request, CancellationToken cancellationToken = default)
    {
        if (!_ip.Permits(request.ClientIp) || !IpRuleFor(request.Action).Permits(request.ClientIp))
        {
            return new(IpRefused);
        }
        if (request.Action == AuthAction.Play && !_referer.Permits(request.Referer))
        {
            return new(RefererRefused);
        }
        var checker = CheckerFor(request.Action);
        return checker is SyncTokenChecker sync ? new(sync.Check(request)) : checker.CheckAsync(request, cancellationToken);
    }

    private ITokenChecker CheckerFor(AuthAction action) => action == AuthAction.Publish ? Publish : Play;

    private IpRule IpRuleFor(AuthAction action) => action == AuthAction.Publish ? _publishIp : _playIp;
}
