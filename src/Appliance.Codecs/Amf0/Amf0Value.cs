namespace Appliance.Codecs.Amf0;

/// <summary>
/// One immutable AMF0 value. A single class (rather than a hierarchy) keeps consumers to one
/// switch on <see cref="Kind"/> and lets the two unit values be shared singletons.
/// </summary>
public sealed class Amf0Value
{
    private static readonly KeyValuePair<string, Amf0Value>[] NoProperties = [];
    private static readonly Amf0Value[] NoItems = [];

    private Amf0Value(
        Amf0Kind kind,
        double number = 0,
        bool boolean = false,
        string? text = null,
        IReadOnlyList<KeyValuePair<string, Amf0Value>>? properties = null,
        IReadOnlyList<Amf0Value>? items = null,
        short timeZone = 0)
    {
        Kind = kind;
        Number = number;
        Boolean = boolean;
        String = text;
        Properties = properties ?? NoProperties;
        Items = items ?? NoItems;
        TimeZone = timeZone;
    }

    public Amf0Kind Kind { get; }

    /// <summary>The number; for <see cref="Amf0Kind.Date"/> the milliseconds since the Unix epoch.</summary>
    public double Number { get; }

    public bool Boolean { get; }

    /// <summary>The text of a string, whether it came as a short (0x02) or long (0x0C) string.</summary>
    public string? String { get; }

    /// <summary>Key/value pairs in wire order for objects and ECMA arrays; empty otherwise.</summary>
    public IReadOnlyList<KeyValuePair<string, Amf0Value>> Properties { get; }

    /// <summary>Elements of a strict array; empty otherwise.</summary>
    public IReadOnlyList<Amf0Value> Items { get; }

    /// <summary>Time-zone field of a date (minutes; the spec says senders should write 0).</summary>
    public short TimeZone { get; }

    public static Amf0Value Null { get; } = new(Amf0Kind.Null);

    public static Amf0Value Undefined { get; } = new(Amf0Kind.Undefined);

    public bool IsObjectLike => Kind is Amf0Kind.Object or Amf0Kind.EcmaArray;

    /// <summary>
    /// The first property named <paramref name="key"/> (ordinal), or null when missing or when this
    /// value is not an object or ECMA array.
    /// </summary>
    public Amf0Value? this[string key]
    {
        get
        {
            foreach (var property in Properties)
            {
                if (string.Equals(property.Key, key, StringComparison.Ordinal))
                {
                    return property.Value;
                }
            }
            return null;
        }
    }

    public static Amf0Value FromNumber(double v) => new(Amf0Kind.Number, number: v);

    public static Amf0Value FromBoolean(bool v) => new(Amf0Kind.Boolean, boolean: v);

    public static Amf0Value FromString(string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(Amf0Kind.String, text: v);
    }

    public static Amf0Value Date(double ms, short tz = 0) => new(Amf0Kind.Date, number: ms, timeZone: tz);

    public static Amf0Value Object(params KeyValuePair<string, Amf0Value>[] props) =>
        new(Amf0Kind.Object, properties: CheckedCopy(props));

    public static Amf0Value EcmaArray(params KeyValuePair<string, Amf0Value>[] props) =>
        new(Amf0Kind.EcmaArray, properties: CheckedCopy(props));

    public static Amf0Value StrictArray(params Amf0Value[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
        }
        return new(Amf0Kind.StrictArray, items: (Amf0Value[])items.Clone());
    }

    /// <summary>Shorthand for building property lists: <c>Amf0Value.Prop("app", "live")</c>.</summary>
    public static KeyValuePair<string, Amf0Value> Prop(string key, Amf0Value value) => new(key, value);

    public static KeyValuePair<string, Amf0Value> Prop(string key, string value) => new(key, FromString(value));

    public static KeyValuePair<string, Amf0Value> Prop(string key, double value) => new(key, FromNumber(value));

    public static KeyValuePair<string, Amf0Value> Prop(string key, bool value) => new(key, FromBoolean(value));

    public string? GetString(string key) => this[key] is { Kind: Amf0Kind.String } v ? v.String : null;

    public double? GetNumber(string key) => this[key] is { Kind: Amf0Kind.Number } v ? v.Number : null;

    public override string ToString() => Kind switch
    {
        Amf0Kind.Number => Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Amf0Kind.Boolean => Boolean ? "true" : "false",
        Amf0Kind.String => "\"" + String + "\"",
        Amf0Kind.Null => "null",
        Amf0Kind.Undefined => "undefined",
        Amf0Kind.Date => "Date(" + Number.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")",
        Amf0Kind.StrictArray => "[" + string.Join(", ", Items) + "]",
        _ => "{" + string.Join(", ", Properties.Select(p => p.Key + ": " + p.Value)) + "}",
    };

    // Built only from the reader (trusted) or from callers, whose arrays we copy so the value stays immutable.
    internal static Amf0Value FromParsed(Amf0Kind kind, List<KeyValuePair<string, Amf0Value>> props) =>
        new(kind, properties: props);

    internal static Amf0Value FromParsed(List<Amf0Value> items) => new(Amf0Kind.StrictArray, items: items);

    internal static Amf0Value FromParsedString(string text) => new(Amf0Kind.String, text: text);

    private static KeyValuePair<string, Amf0Value>[] CheckedCopy(KeyValuePair<string, Amf0Value>[] props)
    {
        ArgumentNullException.ThrowIfNull(props);
        foreach (var property in props)
        {
            if (property.Key is null || property.Value is null)
            {
                throw new ArgumentException("AMF0 property keys and values must not be null.", nameof(props));
            }
        }
        return (KeyValuePair<string, Amf0Value>[])props.Clone();
    }
}
