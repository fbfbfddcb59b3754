using System.Globalization;
using System.Text.RegularExpressions;

namespace Appliance.Tests.Shared;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4), so tests check the format
/// itself and read values back: every sample belongs to a family declared by HELP and TYPE before
/// it, names and labels are well-formed, values parse, no series repeats, counters end in _total.
/// </summary>
public sealed partial class PrometheusText
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        var lines = text.Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new FormatException("the exposition must end with a newline");
        }
        string? family = null;
        var helped = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var at = $"line {i + 1} '{line}'";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var name = line[7..].Split(' ')[0];
                Require(MetricName().IsMatch(name), $"{at}: bad metric name");
                Require(helped.Add(name), $"{at}: HELP repeated");
                family = name;
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ');
                Require(parts.Length == 2 && parts[0] == family, $"{at}: TYPE must follow the HELP of the same family");
                Require(parts[1] is "counter" or "gauge" or "histogram" or "summary" or "untyped", $"{at}: unknown type");
                Require(parsed.Types.TryAdd(parts[0], parts[1]), $"{at}: TYPE repeated");
                Require(parts[1] != "counter" || parts[0].EndsWith("_total", StringComparison.Ordinal), $"{at}: a counter's name ends in _total");
                continue;
            }
            Require(!line.StartsWith('#') && line.Length > 0, $"{at}: unexpected comment or blank line");
            var match = Sample().Match(line);
            Require(match.Success, $"{at}: not a sample line");
            var metric = match.Groups["name"].Value;
            Require(metric == family && parsed.Types.ContainsKey(metric), $"{at}: sample outside its family's block (family {family})");
            var labels = match.Groups["labels"].Value;
            if (labels.Length > 0)
            {
                Require(Labels().IsMatch(labels), $"{at}: malformed labels");
            }
            var value = match.Groups["value"].Value;
            Require(value is "+Inf" or "-Inf" or "NaN" || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"{at}: bad value");
            var series = metric + "{" + labels + "}";
            Require(parsed._samples.TryAdd(series, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }), $"{at}: series repeated");
        }
        return parsed;
    }

    /// <summary>The value of one series: <c>Value("appliance_viewers", "protocol=\"rtmp\"")</c>; null when absent.</summary>
    public double? Value(string metric, string labels = "") =>
        _samples.TryGetValue(metric + "{" + labels + "}", out var value) ? value : null;

    /// <summary>Every series of a metric, by its label text.</summary>
    public IReadOnlyDictionary<string, double> Series(string metric) =>
        _samples.Where(s => s.Key.StartsWith(metric + "{", StringComparison.Ordinal))
            .ToDictionary(s => s.Key[(metric.Length + 1)..^1], s => s.Value, StringComparer.Ordinal);

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new FormatException(problem);
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>(?:[^"}]|"(?:[^"\\]|\\.)*")*)\})? (?<value>\S+)$""")]
    private static partial Regex Sample();

    [GeneratedRegex("""^[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*$""")]
    private static partial Regex Labels();
}
