namespace Appliance.Auth.Signing;

/// <summary>Type A: <c>?auth_key={timestamp}-{rand}-{uid}-{md5("{path}-{timestamp}-{rand}-{uid}-{key}")}</c>, good until timestamp + ttl.</summary>
internal static class TypeASigner
{
    public const string ParameterName = "auth_key";

    public static string Sign(SignRequest request, TargetUrl target)
    {
        UrlSigner.RequireForm(request, TokenForm.Query, SchemeNames.TypeA);
        CheckField(request.Rand, "rand", dashAllowed: false);
        CheckField(request.Uid, "uid", dashAllowed: true);
        target.CheckFree(ParameterName);
        var fields = $"{UrlSigner.SignedAt(request)}-{request.Rand}-{request.Uid}";
        var hash = Digests.Md5Hex($"{target.Path}-{fields}-{request.Key}");
        return target.With(target.Path, $"{ParameterName}={fields}-{hash}");
    }

    /// <summary>rand ends at its first '-', so only uid may hold one; both stay inside one query value.</summary>
    private static void CheckField(string value, string name, bool dashAllowed)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || dashAllowed && c == '-'))
            {
                throw new SigningException($"typeA's {name} must be letters, digits or '_'{(dashAllowed ? " or '-'" : "")}, not '{value}'");
            }
        }
        if (value.Length == 0)
        {
            throw new SigningException($"typeA's {name} must not be empty");
        }
    }
}
