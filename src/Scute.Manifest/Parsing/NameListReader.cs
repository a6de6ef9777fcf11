namespace Scute.Manifest.Parsing;

/// <summary>[system] packages and [gui] apps: lists of names, normalized so order and repeats do not matter.</summary>
internal static class NameListReader
{
    private const string Accepted = "an array of non-empty names, at most 256 characters each, at most 4096 names";

    /// <param name="siblings">Other keys the table may hold (read elsewhere).</param>
    public static IReadOnlyList<string> Read(TableReader? table, string key, params string[] siblings)
    {
        table?.RejectUnknownKeys([key, .. siblings]);
        var items = table?.GetStringArray(key, TextRules.MaxPackages, Accepted);
        if (items is null)
        {
            return [];
        }

        var path = table!.Path + "." + key;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (raw, line) in items)
        {
            var name = raw.Trim();
            if (name.Length == 0)
            {
                throw table.Context.Error(line, path, "empty name", Accepted);
            }

            if (name.Length > TextRules.MaxPackageName)
            {
                throw table.Context.Error(line, path, $"name is {name.Length} characters long", Accepted);
            }

            if (TextRules.HasControl(name))
            {
                throw table.Context.Error(line, path, "name contains a control character", Accepted);
            }

            names.Add(name);
        }

        return [.. names];
    }
}
