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
            var reader = new Utf8JsonReader(File.ReadAllBytes(file));
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
                    case JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals("name"u8):
                        return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // A file being replaced or damaged: the caller reads it properly if it matters.
        }

        return null;
    }

    // Shells expand completion words (bash's compgen -W does): only the characters names may have pass.
    private static bool Plain(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static void ReadOne(byte[] bytes, List<string> found)
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
                case JsonTokenType.PropertyName when depth == 1 && (reader.ValueTextEquals("name"u8) || reader.ValueTextEquals("short_id"u8)):
                    if (reader.Read() && reader.TokenType == JsonTokenType.String && reader.GetString() is { } value && Plain(value))
                    {
                        found.Add(value);
                    }

                    break;
            }
        }
    }
}
