using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scute.Images.Providers.SimpleStreams;

/// <summary>The root.tar.xz of one version of one product, as the image index describes it.</summary>
public sealed record RootfsItem(string Product, string Version, string Path, string Sha256, long? Size);

/// <summary>
/// Reads the simplestreams documents images.linuxcontainers.org publishes (the format LXD and
/// Incus read): streams/v1/index.json names the product catalog (images.json), whose products are
/// keyed &lt;os&gt;:&lt;release&gt;:&lt;arch&gt;:&lt;variant&gt; and hold versions → items.
/// </summary>
public static class SimpleStreamsCatalog
{
    public const string IndexPath = "streams/v1/index.json";
    public const string RootfsItemName = "root.tar.xz";

    /// <summary>The catalog path the index gives for image downloads (streams/v1/images.json on the real server).</summary>
    /// <exception cref="ImageException">The document is not a simplestreams index with an image catalog.</exception>
    public static string FindImagesPath(Stream indexJson, string source, CancellationToken cancel = default)
    {
        var index = Deserialize(indexJson, SimpleStreamsJsonContext.Default.StreamsIndex, source, cancel);
        var entries = index.Index ?? throw new ImageException($"{source}: not a simplestreams index (no \"index\" object)");
        // The real server names it "images"; any other name with the image-downloads datatype is the same thing.
        var entry = entries.TryGetValue("images", out var images) ? images
            : entries.Values.FirstOrDefault(e => e.Datatype == "image-downloads");
        return entry?.Path is { Length: > 0 } path
            ? path
            : throw new ImageException($"{source}: the simplestreams index lists no image catalog (an \"images\" entry with a path)");
    }

    /// <summary>
    /// The root.tar.xz item of <paramref name="product"/>: of <paramref name="version"/> when given,
    /// else of the newest version that has one (versions are build stamps such as 20250101_05:24,
    /// so the newest sorts last).
    /// </summary>
    /// <exception cref="ImageException">No such product, version or item, or a malformed item.</exception>
    public static RootfsItem FindRootfs(Stream imagesJson, string source, string product, string? version, CancellationToken cancel = default)
    {
        var catalog = Deserialize(imagesJson, SimpleStreamsJsonContext.Default.ProductCatalog, source, cancel);
        if (catalog.Products is null || !catalog.Products.TryGetValue(product, out var entry) || entry.Versions is null)
        {
            throw new ImageException($"{source}: the image server has no product {product}");
        }

        var withRootfs = entry.Versions
            .Where(v => v.Value.Items is not null && FindItem(v.Value.Items) is not null)
            .Select(v => v.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        var chosen = version ?? withRootfs.LastOrDefault()
            ?? throw new ImageException($"{source}: product {product} has no version with a {RootfsItemName}");
        if (!withRootfs.Contains(chosen, StringComparer.Ordinal))
        {
            throw new ImageException($"{source}: the image server no longer has version {chosen} of {product} (it has {(withRootfs.Count == 0 ? "none" : string.Join(", ", withRootfs))}); delete the lock file to take the newest");
        }

        var item = FindItem(entry.Versions[chosen].Items!)!;
        if (item.Path is not { Length: > 0 } path || item.Sha256 is not { Length: 64 } sha256 || !IsLowerHex(sha256))
        {
            throw new ImageException($"{source}: the {RootfsItemName} item of {product} version {chosen} has no path or no 64-hex sha256");
        }

        return new RootfsItem(product, chosen, path, sha256, item.Size);
    }

    private static ProductItem? FindItem(Dictionary<string, ProductItem> items) =>
        items.TryGetValue(RootfsItemName, out var item) ? item : items.Values.FirstOrDefault(i => i.Ftype == RootfsItemName);

    private static bool IsLowerHex(string s) => !s.AsSpan().ContainsAnyExcept("0123456789abcdef");

    /// <param name="cancel">Bounds the whole read: a server that stops sending mid-document must not hang the build.</param>
    private static T Deserialize<T>(Stream json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string source, CancellationToken cancel)
        where T : class
    {
        try
        {
            return JsonSerializer.DeserializeAsync(json, type, cancel).AsTask().GetAwaiter().GetResult()
                ?? throw new ImageException($"{source}: the document is JSON null");
        }
        catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
        {
            throw new ImageException($"{source}: the image server did not send the index within {ImageServer.IndexTimeout.TotalMinutes:0} minutes", e);
        }
        catch (JsonException e)
        {
            throw new ImageException($"{source}: not a valid simplestreams document ({e.Message})", e);
        }
    }
}

internal sealed class StreamsIndex
{
    public Dictionary<string, StreamsIndexEntry>? Index { get; set; }
}

internal sealed class StreamsIndexEntry
{
    public string? Datatype { get; set; }

    public string? Path { get; set; }
}

internal sealed class ProductCatalog
{
    public Dictionary<string, Product>? Products { get; set; }
}

internal sealed class Product
{
    public Dictionary<string, ProductVersion>? Versions { get; set; }
}

internal sealed class ProductVersion
{
    public Dictionary<string, ProductItem>? Items { get; set; }
}

internal sealed class ProductItem
{
    public string? Ftype { get; set; }

    public string? Path { get; set; }

    public string? Sha256 { get; set; }

    public long? Size { get; set; }
}

/// <summary>Source-generated (NativeAOT: no reflection). Unknown fields are skipped: the real documents carry many more.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = 16)]
[JsonSerializable(typeof(StreamsIndex))]
[JsonSerializable(typeof(ProductCatalog))]
internal sealed partial class SimpleStreamsJsonContext : JsonSerializerContext;
