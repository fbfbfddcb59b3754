namespace Appliance.Auth.Config;

/// <summary>The token scheme for one action (publish or play) of an app.</summary>
public sealed class AuthRule
{
    /// <summary>One of <see cref="AuthSchemes"/>: none, typeA, typeB, typeC, streamSecret, hmac, callback.</summary>
    public string Scheme { get; set; } = AuthSchemes.None;

    /// <summary>The signing key; for hmac a hex string (EdgeAuth keys are hex-decoded before use).</summary>
    public string? Key { get; set; }

    /// <summary>Accepted as well as <see cref="Key"/>, so keys rotate without refusing live URLs.</summary>
    public string? BackupKey { get; set; }

    /// <summary>Type A/B/C: how long a URL stays valid after the time it carries.</summary>
    public int TtlSeconds { get; set; } = 1800;

    /// <summary>streamSecret and hmac: tolerated clock difference with the customer's token signer.</summary>
    public int GraceSeconds { get; set; }

    /// <summary>Type C query form: the parameter holding the hash.</summary>
    public string SignName { get; set; } = "sign";

    /// <summary>Type C query form: the parameter holding the hex time.</summary>
    public string TimeName { get; set; } = "t";

    /// <summary>streamSecret: the parameter holding the hash.</summary>
    public string TxSecretName { get; set; } = "txSecret";

    /// <summary>streamSecret: the parameter holding the expiry time.</summary>
    public string TxTimeName { get; set; } = "txTime";

    /// <summary>hmac: the query parameter, or path element prefix "/{name}=", holding the token.</summary>
    public string TokenName { get; set; } = "__token__";

    /// <summary>callback: the customer's http(s) URL that is POSTed each request.</summary>
    public string? CallbackUrl { get; set; }

    /// <summary>callback: no answer within this long denies.</summary>
    public int CallbackTimeoutMs { get; set; } = 3000;

    /// <summary>callback: how long an allowed answer is reused for the same action, stream and params; 0 never.</summary>
    public int CallbackCacheSeconds { get; set; } = 10;

    /// <summary>
    /// Client networks for this action alone, checked after the app's "ip" rule: the packaged
    /// config lets only this machine publish while anyone may play.
    /// </summary>
    public IpAccessConfig Ip { get; set; } = new();
}
