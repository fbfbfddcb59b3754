using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The metric names a Grafana dashboard queries: every panel target's PromQL "expr" and every
/// query variable (label_values(metric, label) or a PromQL query). What is left of an expression
/// once strings, label matchers, ranges, grouping clauses and function calls are taken out is
/// metric names, so a misspelt metric is found however deep in an expression it sits.
/// </summary>
internal static partial class DashboardQueries
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "inf", "nan",
    };

    /// <summary>Every PromQL expression of the dashboard: targets of panels (rows included) and query variables.</summary>
    public static IReadOnlyList<string> Expressions(JsonNode dashboard)
    {
        var expressions = new List<string>();
        Collect(dashboard["panels"], expressions);
        foreach (var variable in dashboard["templating"]?["list"]?.AsArray() ?? [])
        {
            if ((string?)variable?["type"] != "query")
            {
                continue;
            }
            var query = variable!["query"] is JsonObject queryObject ? (string?)queryObject["query"] : (string?)variable["query"];
            if (!string.IsNullOrEmpty(query))
            {
                var labelValues = LabelValues().Match(query);
                expressions.Add(labelValues.Success ? labelValues.Groups[1].Value : query);
            }
        }
        return expressions;
    }

    /// <summary>The panels (not rows) that have no PromQL target: a panel whose queries are missing or misnamed checks nothing.</summary>
    public static IReadOnlyList<string> PanelsWithoutQueries(JsonNode dashboard) =>
        [.. AllPanels(dashboard["panels"])
            .Where(panel => (string?)panel["type"] != "row")
            .Where(panel => !(panel["targets"]?.AsArray() ?? []).Any(target => !string.IsNullOrWhiteSpace((string?)target?["expr"])))
            .Select(panel => (string?)panel["title"] ?? "(untitled)")];

    /// <summary>The metric names in one PromQL expression, in order of first use.</summary>
    public static IReadOnlyList<string> MetricNames(string expression)
    {
        var text = QuotedString().Replace(expression, " ");
        text = LabelMatchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = GroupingClause().Replace(text, " ");
        text = OffsetClause().Replace(text, " ");
        var names = new List<string>();
        foreach (Match token in Token().Matches(text))
        {
            if (!token.Groups["name"].Success)
            {
                continue;
            }
            var name = token.Groups["name"].Value;
            var next = text.AsSpan(token.Index + token.Length).TrimStart();
            var isCall = next.Length > 0 && next[0] == '(';
            if (!isCall && !Keywords.Contains(name) && !names.Contains(name))
            {
                names.Add(name);
            }
        }
        return names;
    }

    public static IReadOnlyList<string> MetricNames(JsonNode dashboard) =>
        [.. Expressions(dashboard).SelectMany(MetricNames).Distinct(StringComparer.Ordinal)];

    private static void Collect(JsonNode? panels, List<string> expressions)
    {
        foreach (var panel in AllPanels(panels))
        {
            foreach (var target in panel["targets"]?.AsArray() ?? [])
            {
                if ((string?)target?["expr"] is { Length: > 0 } expr)
                {
                    expressions.Add(expr);
                }
            }
        }
    }

    private static IEnumerable<JsonNode> AllPanels(JsonNode? panels)
    {
        foreach (var panel in panels?.AsArray() ?? [])
        {
            if (panel is null)
            {
                continue;
            }
            yield return panel;
            foreach (var nested in AllPanels(panel["panels"]))
            {
                yield return nested;
            }
        }
    }

    [GeneratedRegex(@"label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,")]
    private static partial Regex LabelValues();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex GroupingClause();

    [GeneratedRegex(@"\boffset\s+-?[0-9a-zA-Z_$]+", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetClause();

    // Numbers (1e3, 0x1f, 2.5) and Grafana variables ($instance) come first, so their letters are not names.
    [GeneratedRegex(@"(?<number>0[xX][0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)|(?<variable>\$\{?\w+\}?)|(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)")]
    private static partial Regex Token();
}
