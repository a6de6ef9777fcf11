using System.Text.Json;

namespace Scute.Store;

/// <summary>
/// The names and short ids of the environments, read for shell completion only: no store lock and
/// no checksum, so a tab press never waits for a build nor re-hashes every metadata file. Nothing
/// may act on what this returns; commands find environments through <see cref="MetadataStore"/>.
/// </summary>
public static class MetadataNames
{
    /// <summary>Each environment's name (when it has one) and short id; unreadable files are left out.</summary>
    public static IReadOnlyList<string> Read(string storeRoot)
    {
        var dir = new StoreLayout(storeRoot).MetadataDir;
        var found = new List<string>();
        IEnumerable<string> files;
        try
        {
            files = Directory.EnumerateFiles(dir).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return found;
        }

        foreach (var file in files)
        {
            if (Path.GetFileName(file).StartsWith('.'))
            {
                continue;
            }

            try
            {
                ReadOne(File.ReadAllBytes(file), found);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                // A file being replaced or damaged: completion offers the others; verify-store reports it.
            }
        }

        return found;
    }

    /// <summary>The top-level "name" of one metadata file, without checking its checksum (null when it has none or cannot be read).</summary>
    internal static string? NameIn(string file)
    {
        try
        {
            string? name = null;
            TopLevelStrings(File.ReadAllBytes(file), (key, value) =>
            {
                if (key == "name")
                {
                    name = value;
                    return false;
                }

                return true;
            });
            return name;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // A file being replaced or damaged: the caller reads it properly if it matters.
            return null;
        }
    }

    // Shells expand completion words (bash's compgen -W does): only the characters names may have pass.
    private static bool Plain(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static void ReadOne(byte[] bytes, List<string> found) =>
        TopLevelStrings(bytes, (key, value) =>
        {
            if (key is "name" or "short_id" && Plain(value))
            {
                found.Add(value);
            }

            return true;
        });

    /// <summary>
    /// Hands each string member of the top-level object to <paramref name="take"/> (name, value)
    /// until it returns false; nested objects and arrays are skipped unread.
    /// </summary>
    private static void TopLevelStrings(byte[] bytes, Func<string, string, bool> take)
    {
        var reader = new Utf8JsonReader(bytes);
        var depth = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    depth--;
                    break;
                case JsonTokenType.PropertyName when depth == 1:
                    var key = reader.GetString()!;
                    if (!reader.Read())
                    {
                        return;
                    }

                    if (reader.TokenType == JsonTokenType.String && !take(key, reader.GetString()!))
                    {
                        return;
                    }

                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        depth++;
                    }

                    break;
            }
        }
    }
}
