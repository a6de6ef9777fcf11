using System.Text.Json;

namespace Scute.Store;

/// <summary>Layer descriptions as canonical JSON in store/layers/&lt;sha256 of those bytes&gt;.</summary>
public sealed class LayerStore
{
    private readonly StoreLayout _layout;

    internal LayerStore(StoreLayout layout) => _layout = layout;

    public static byte[] CanonicalBytes(LayerDescription description) =>
        CanonicalJson.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(description, StoreJsonContext.Default.LayerDescription));

    public Digest Put(LayerDescription d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var bytes = CanonicalBytes(d);
        var digest = Digest.Compute(bytes);
        var path = _layout.LayerPath(digest);
        if (!File.Exists(path))
        {
            AtomicFile.WriteAllBytes(path, bytes, _layout.TempFolder());
        }

        return digest;
    }

    /// <summary>
    /// Stores a description received as bytes (from a registry): only when they are the canonical
    /// bytes of a description, so the digest they are named by is the one this store would give.
    /// </summary>
    public (Digest Digest, LayerDescription Description) PutCanonical(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        LayerDescription? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(bytes, StoreJsonContext.Default.LayerDescription);
        }
        catch (JsonException ex)
        {
            throw new ContentDigestMismatchException($"{source}: not a layer description ({ex.Message})", ex);
        }

        if (parsed is null || !CanonicalBytes(parsed).AsSpan().SequenceEqual(bytes))
        {
            throw new ContentDigestMismatchException($"{source}: not the canonical bytes of a layer description");
        }

        return (Put(parsed), parsed);
    }

    public LayerDescription Get(Digest d)
    {
        var path = _layout.LayerPath(d);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new StoreException($"layer {d} is not in the store ({path})", ex);
        }

        var actual = Digest.Compute(bytes);
        if (actual != d)
        {
            throw new StoreCorruptionException(path, $"layer description hashes to {actual}, expected {d}");
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, StoreJsonContext.Default.LayerDescription)
                ?? throw new JsonException("null layer description");
        }
        catch (JsonException ex)
        {
            throw new StoreCorruptionException(path, $"unreadable layer description: {ex.Message}", ex);
        }
    }

    public bool Contains(Digest d) => File.Exists(_layout.LayerPath(d));

    public void Delete(Digest d)
    {
        File.Delete(_layout.LayerPath(d));
        Interop.FSyncDirectory(_layout.LayersDir);
    }

    public IEnumerable<Digest> List()
    {
        if (!Directory.Exists(_layout.LayersDir))
        {
            return [];
        }

        return Directory.EnumerateFiles(_layout.LayersDir)
            .Select(p => Digest.TryParse(Path.GetFileName(p), out var d) ? d : (Digest?)null)
            .OfType<Digest>()
            .Order()
            .ToList();
    }
}
