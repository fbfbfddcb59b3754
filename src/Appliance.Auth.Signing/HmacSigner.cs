using System.Globalization;
using System.Text;

namespace Appliance.Auth.Signing;

/// <summary>
/// HMAC (EdgeAuth style): <c>[ip=]~[st=]~exp=~[acl=]~[id=]~[data=]~hmac={hex}</c>, hex being
/// HMAC-SHA256(hexDecode(key)) of every field before "~hmac"; without an acl (URL mode) the signed
/// text also holds <c>~url={path}</c> right after exp. In the query parameter <c>{tokenName}</c> (the
/// default) or as the path element <c>/{tokenName}={token}</c>: first in an HTTP path, so that a
/// playlist's relative URLs inherit it, and before the stream name in an RTMP one.
/// </summary>
internal static class HmacSigner
{
    public static string Sign(SignRequest request, TargetUrl target)
    {
        byte[] key;
        try
        {
            key = Convert.FromHexString(request.Key);
        }
        catch (FormatException)
        {
            throw new SigningException("an hmac key is hex (an even number of 0-9, a-f)");
        }
        if (request.Start is { } start && start >= request.Expires)
        {
            throw new SigningException("the token would start after it expires");
        }
        var head = new List<string>();
        Add(head, "ip", request.Ip);
        Add(head, "st", request.Start?.ToString(CultureInfo.InvariantCulture));
        Add(head, "exp", request.Expires.ToString(CultureInfo.InvariantCulture));
        var tail = new List<string>();
        Add(tail, "acl", request.Acl);
        Add(tail, "id", request.Id);
        Add(tail, "data", request.Data);
        var carried = string.Join('~', head.Concat(tail));
        var signed = request.Acl is null ? string.Join('~', head.Append($"url={target.Path}").Concat(tail)) : carried;
        var token = Escape($"{carried}~hmac={Digests.HmacSha256Hex(key, signed)}");
        if (request.Form == TokenForm.Path)
        {
            var element = $"/{request.TokenName}={token}";
            if (!target.IsRtmp)
            {
                return target.With(element + target.Path);
            }
            var nameStart = target.Path.LastIndexOf('/');
            return target.With(target.Path[..nameStart] + element + target.Path[nameStart..]);
        }
        target.CheckFree(request.TokenName);
        return target.With(target.Path, $"{request.TokenName}={token}");
    }

    private static void Add(List<string> fields, string name, string? value)
    {
        if (value is null)
        {
            return;
        }
        // '~' would split the field; '%' would be read as an escape; the node takes ASCII tokens only.
        if (value.Length == 0 || value.AsSpan().ContainsAnyExceptInRange('!', '}') || value.Contains('%', StringComparison.Ordinal))
        {
            throw new SigningException($"the hmac field {name} must be visible ASCII without '~', '%' or spaces, not '{value}'");
        }
        fields.Add($"{name}={value}");
    }

    /// <summary>What would end the token early in a query or a path goes as %XX, which the node decodes before it checks.</summary>
    private static string Escape(string token)
    {
        var escaped = new StringBuilder(token.Length);
        foreach (var c in token)
        {
            if (c is '&' or '#' or '?' or '+')
            {
                escaped.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }
}
