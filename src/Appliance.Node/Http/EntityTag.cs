namespace Appliance.Node.Http;

/// <summary>If-None-Match (RFC 9110 §13.1.2): "*", or a list of entity tags compared weakly.</summary>
public static class EntityTag
{
    public static bool Matches(string? ifNoneMatch, string etag)
    {
        if (ifNoneMatch is null)
        {
            return false;
        }
        var list = ifNoneMatch.AsSpan();
        foreach (var range in list.Split(','))
        {
            var candidate = list[range].Trim();
            if (candidate is "*")
            {
                return true;
            }
            if (candidate.StartsWith("W/", StringComparison.Ordinal))
            {
                candidate = candidate[2..];
            }
            if (candidate.SequenceEqual(etag))
            {
                return true;
            }
        }
        return false;
    }
}
