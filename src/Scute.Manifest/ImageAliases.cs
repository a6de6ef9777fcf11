using System.Collections.Frozen;

namespace Scute.Manifest;

/// <summary>What an alias names on the image server: the <c>&lt;os&gt;:&lt;release&gt;</c> part of a simplestreams product key.</summary>
public sealed record ImageAlias(string Name, string Os, string Release);

/// <summary>
/// Karapace's alias table (image-aliases.txt, embedded), read once. Kept as data rather than code so
/// the table can be compared line by line with Karapace's and updated without touching the parser.
/// </summary>
public static class ImageAliases
{
    private const string ResourceName = "Scute.Manifest.image-aliases.txt";

    private static readonly Lazy<FrozenDictionary<string, ImageAlias>> Table = new(Load);

    /// <summary>Every alias, by its lower-case name.</summary>
    public static IReadOnlyDictionary<string, ImageAlias> All => Table.Value;

    /// <summary>Karapace lower-cases the name before matching; so does this.</summary>
    public static bool TryGet(string name, out ImageAlias alias)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Table.Value.TryGetValue(name.ToLowerInvariant(), out alias!);
    }

    /// <summary>The aliases whose name starts with <paramref name="os"/>, for error messages that suggest one.</summary>
    public static IEnumerable<string> NamesFor(string os) =>
        Table.Value.Keys.Where(k => k == os || k.StartsWith(os + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    private static FrozenDictionary<string, ImageAlias> Load()
    {
        using var stream = typeof(ImageAliases).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<string, ImageAlias>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3 || !table.TryAdd(fields[0], new ImageAlias(fields[0], fields[1], fields[2])))
            {
                throw new InvalidOperationException($"{ResourceName}: bad or repeated line '{text}'");
            }
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
