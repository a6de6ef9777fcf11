using Tomlyn.Syntax;

namespace Scute.Manifest.Parsing;

/// <summary>A TOML table whose entries keep the line they were written on.</summary>
internal sealed class TomlNode(string path, int line)
{
    /// <summary>Dotted path of this table; empty for the document root.</summary>
    public string Path { get; } = path;

    public int Line { get; } = line;

    public Dictionary<string, TomlEntry> Entries { get; } = new(StringComparer.Ordinal);

    public string ChildPath(string key) => Path.Length == 0 ? key : Path + "." + key;
}

/// <summary>One key of a table: a scalar or array (kept as syntax), a table, or an array of tables.</summary>
internal sealed class TomlEntry
{
    public required string Key { get; init; }

    public required string Path { get; init; }

    public required int Line { get; init; }

    public ValueSyntax? Value { get; init; }

    public TomlNode? Table { get; init; }

    public bool IsTableArray { get; init; }

    public string TypeName => Table is not null ? "a table"
        : IsTableArray ? "an array of tables"
        : TomlTypes.Describe(Value);
}

/// <summary>Names of TOML value types, as used in messages.</summary>
internal static class TomlTypes
{
    public static string Describe(ValueSyntax? value) => value switch
    {
        StringValueSyntax => "a string",
        IntegerValueSyntax => "an integer",
        FloatValueSyntax => "a float",
        BooleanValueSyntax => "a boolean",
        DateTimeValueSyntax => "a date-time",
        ArraySyntax => "an array",
        InlineTableSyntax => "a table",
        _ => "an unknown value",
    };

    public static int LineOf(SyntaxNode node) => node.Span.Start.Line + 1;
}
