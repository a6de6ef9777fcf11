using Tomlyn.Syntax;

namespace Scute.Manifest.Parsing;

/// <summary>Typed, strict access to one TOML table: unknown keys and wrong types become ManifestExceptions.</summary>
internal sealed class TableReader(ParseContext context, TomlNode node)
{
    public ParseContext Context { get; } = context;

    public string Path => node.Path;

    public int Line => node.Line;

    /// <summary>Entries in the order they were written, so the first offending key is reported.</summary>
    public IEnumerable<TomlEntry> Entries => node.Entries.Values.OrderBy(e => e.Line).ThenBy(e => e.Key, StringComparer.Ordinal);

    public void RejectUnknownKeys(params string[] accepted)
    {
        foreach (var entry in Entries)
        {
            if (Array.IndexOf(accepted, entry.Key) < 0)
            {
                throw Context.Error(entry.Line, entry.Path, "unknown key", string.Join(", ", accepted));
            }
        }
    }

    public TomlEntry? Find(string key)
    {
        if (!node.Entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        Context.RecordLine(entry.Path, entry.Line);
        return entry;
    }

    public TableReader? GetTable(string key)
    {
        var entry = Find(key);
        if (entry is null)
        {
            return null;
        }

        if (entry.Table is null)
        {
            throw TypeError(entry, "a table", string.Empty);
        }

        return new TableReader(Context, entry.Table);
    }

    public string? GetString(string key, string accepted)
    {
        var entry = Find(key);
        return entry is null ? null : ReadString(entry, accepted);
    }

    public bool? GetBool(string key)
    {
        var entry = Find(key);
        if (entry is null)
        {
            return null;
        }

        return entry.Value is BooleanValueSyntax b ? b.Value : throw TypeError(entry, "a boolean", "true or false");
    }

    public long? GetInteger(string key, string accepted)
    {
        var entry = Find(key);
        if (entry is null)
        {
            return null;
        }

        return entry.Value is IntegerValueSyntax i ? i.Value : throw TypeError(entry, "an integer", accepted);
    }

    /// <summary>A string value, trimmed, checked for size and NUL; control characters are checked by callers that care.</summary>
    public string ReadString(TomlEntry entry, string accepted, int maxLength = TextRules.MaxString)
    {
        if (entry.Value is not StringValueSyntax s)
        {
            throw TypeError(entry, "a string", accepted);
        }

        var value = (s.Value ?? string.Empty).Trim();
        if (value.Length > maxLength)
        {
            throw Context.Error(entry.Line, entry.Path, $"is {value.Length} characters long", $"at most {maxLength} characters");
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw Context.Error(entry.Line, entry.Path, "contains a NUL character", accepted);
        }

        return value;
    }

    /// <summary>The items of an array of strings with their lines, untrimmed; callers normalize.</summary>
    public IReadOnlyList<(string Value, int Line)>? GetStringArray(string key, int maxItems, string accepted)
    {
        var entry = Find(key);
        if (entry is null)
        {
            return null;
        }

        if (entry.Value is not ArraySyntax array)
        {
            throw TypeError(entry, "an array of strings", accepted);
        }

        var items = new List<(string, int)>();
        foreach (var item in array.Items)
        {
            var line = item.Value is null ? entry.Line : TomlTypes.LineOf(item.Value);
            if (item.Value is not StringValueSyntax s)
            {
                throw Context.Error(line, entry.Path, $"expected an array of strings, found {TomlTypes.Describe(item.Value)} in the array", accepted);
            }

            if (items.Count == maxItems)
            {
                throw Context.Error(entry.Line, entry.Path, $"has more than {maxItems} items", $"at most {maxItems} items");
            }

            items.Add((s.Value ?? string.Empty, line));
        }

        return items;
    }

    public ManifestException TypeError(TomlEntry entry, string expected, string accepted) =>
        Context.Error(entry.Line, entry.Path, $"expected {expected}, found {entry.TypeName}", accepted);
}
