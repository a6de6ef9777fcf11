using Tomlyn.Syntax;

namespace Scute.Manifest.Parsing;

/// <summary>
/// Folds Tomlyn's syntax tree (headers, dotted keys, inline tables) into one tree of tables with lines.
/// Runs only on a document Tomlyn validated, so redefinitions were already reported; depth is bounded by
/// Tomlyn's MaxDepth, which keeps the recursion here shallow.
/// </summary>
internal static class TomlTreeBuilder
{
    public static TomlNode Build(DocumentSyntax document, ParseContext context)
    {
        var root = new TomlNode(string.Empty, 1);
        foreach (var keyValue in document.KeyValues)
        {
            AddKeyValue(root, keyValue, context);
        }

        foreach (var table in document.Tables)
        {
            var parts = KeyParts(table.Name);
            var line = TomlTypes.LineOf(table);
            if (table is TableArraySyntax)
            {
                // No manifest key takes an array of tables: record it so the reader reports it, skip its items.
                var parent = GetOrCreateTable(root, parts.AsSpan(0, parts.Length - 1), line, context);
                var key = parts[^1];
                parent.Entries.TryAdd(key, new TomlEntry { Key = key, Path = parent.ChildPath(key), Line = line, IsTableArray = true });
                continue;
            }

            var node = GetOrCreateTable(root, parts, line, context);
            foreach (var keyValue in table.Items)
            {
                AddKeyValue(node, keyValue, context);
            }
        }

        return root;
    }

    private static void AddKeyValue(TomlNode node, KeyValueSyntax keyValue, ParseContext context)
    {
        var line = TomlTypes.LineOf(keyValue);
        var parts = KeyParts(keyValue.Key);
        var target = GetOrCreateTable(node, parts.AsSpan(0, parts.Length - 1), line, context);
        var key = parts[^1];
        var path = target.ChildPath(key);
        TomlEntry entry;
        if (keyValue.Value is InlineTableSyntax inline)
        {
            var table = new TomlNode(path, line);
            foreach (var item in inline.Items)
            {
                if (item.KeyValue is { } inner)
                {
                    AddKeyValue(table, inner, context);
                }
            }

            entry = new TomlEntry { Key = key, Path = path, Line = line, Table = table };
        }
        else
        {
            entry = new TomlEntry { Key = key, Path = path, Line = line, Value = keyValue.Value };
        }

        if (!target.Entries.TryAdd(key, entry))
        {
            throw context.Error(line, path, "key defined twice", "each key once");
        }
    }

    private static TomlNode GetOrCreateTable(TomlNode root, ReadOnlySpan<string> parts, int line, ParseContext context)
    {
        var node = root;
        foreach (var part in parts)
        {
            if (node.Entries.TryGetValue(part, out var existing))
            {
                node = existing.Table ?? throw context.Error(line, existing.Path, $"is {existing.TypeName}, cannot hold keys", "a table");
                continue;
            }

            var child = new TomlNode(node.ChildPath(part), line);
            node.Entries.Add(part, new TomlEntry { Key = part, Path = child.Path, Line = line, Table = child });
            node = child;
        }

        return node;
    }

    private static string[] KeyParts(KeySyntax? key)
    {
        if (key?.Key is null)
        {
            return [string.Empty];
        }

        var parts = new List<string> { KeyText(key.Key) };
        if (key.DotKeys is not null)
        {
            foreach (var dotted in key.DotKeys)
            {
                parts.Add(KeyText(dotted.Key));
            }
        }

        return [.. parts];
    }

    private static string KeyText(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? string.Empty,
        StringValueSyntax quoted => quoted.Value ?? string.Empty,
        _ => string.Empty,
    };
}
