using System.Text.Json;

namespace Scute.Store;

/// <summary>
/// Reads store/version (<c>{"format_version":N}</c>), which every command reads, without building
/// JsonSerializer's type information. Anything but that exact form declines with null and the
/// caller hands the bytes to JsonSerializer, whose result or error stands.
/// </summary>
internal static class StoreVersionReader
{
    public static int? TryRead(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped
                || !reader.ValueSpan.SequenceEqual("format_version"u8)
                || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version)
                || !reader.Read() || reader.TokenType != JsonTokenType.EndObject
                || reader.Read())
            {
                return null;
            }

            return version;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
