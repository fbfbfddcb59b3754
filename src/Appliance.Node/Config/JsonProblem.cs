using System.Text.Json;
using System.Text.RegularExpressions;

namespace Appliance.Node.Config;

/// <summary>
/// Says what a JSON reader's complaint means to the operator who wrote the file: "unknown key",
/// "must be a whole number", rather than the serializer's words about .NET types and members.
/// </summary>
internal static partial class JsonProblem
{
    public static string Describe(JsonException ex)
    {
        var message = ex.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "unknown key";
        }
        if (ConvertedTo().Match(message) is { Success: true } converted)
        {
            return converted.Groups[1].Value switch
            {
                "System.Int32" or "System.Int64" => "must be a whole number in range",
                "System.Double" => "must be a number",
                "System.Boolean" => "must be true or false",
                "System.String" => "must be a string",
                var type when type.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "must be an array",
                _ => "must be an object",
            };
        }
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var sentence = cut > 0 ? message[..cut] : message;
        return ex.LineNumber is { } line ? $"{sentence.TrimEnd('.')} (line {line + 1})" : sentence;
    }

    [GeneratedRegex(@"could not be converted to ([\w.`\[\], =]+?)\.?( Path:|$)")]
    private static partial Regex ConvertedTo();
}
