using System.Text.Json;

namespace Scute.Store;

/// <summary>
/// Environment metadata in store/metadata/&lt;env_id&gt;: canonical JSON plus a
/// "checksum" field, the sha256 of the canonical JSON of all other fields.
/// </summary>
public sealed class MetadataStore
{
    private const string ChecksumField = "checksum";
    private readonly StoreLayout _layout;

    internal MetadataStore(StoreLayout layout) => _layout = layout;

    public void Put(EnvironmentMetadata m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var path = _layout.MetadataPath(m.EnvId);
        var body = CanonicalJson.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(m, StoreJsonContext.Default.EnvironmentMetadata));
        var withChecksum = CanonicalJson.WithExtraProperty(body, ChecksumField, Digest.Compute(body).ToString());
        Directory.CreateDirectory(_layout.MetadataDir);
        AtomicFile.WriteAllBytes(path, withChecksum);
    }

    public EnvironmentMetadata Get(string envId) =>
        TryGet(envId, out var m) ? m! : throw new StoreException($"environment {envId} is not in the store");

    public bool TryGet(string envId, out EnvironmentMetadata? m)
    {
        var path = _layout.MetadataPath(envId);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            m = null;
            return false;
        }

        m = Parse(path, bytes);
        if (m.EnvId != envId)
        {
            throw new StoreCorruptionException(path, $"file holds environment {m.EnvId}");
        }

        return true;
    }

    public IReadOnlyList<EnvironmentMetadata> List()
    {
        if (!Directory.Exists(_layout.MetadataDir))
        {
            return [];
        }

        // Temp files of an interrupted write start with '.', they are not environments.
        return Directory.EnumerateFiles(_layout.MetadataDir)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(Get)
            .ToList();
    }

    public void Delete(string envId)
    {
        File.Delete(_layout.MetadataPath(envId));
        if (Directory.Exists(_layout.MetadataDir))
        {
            Interop.FSyncDirectory(_layout.MetadataDir);
        }
    }

    private static EnvironmentMetadata Parse(string path, byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(ChecksumField, out var checksumElement)
                || checksumElement.ValueKind != JsonValueKind.String
                || !Digest.TryParse(checksumElement.GetString(), out var expected))
            {
                throw new StoreCorruptionException(path, "metadata has no valid checksum field");
            }

            var body = CanonicalJson.Canonicalize(root, name => name != ChecksumField);
            var actual = Digest.Compute(body);
            if (actual != expected)
            {
                throw new StoreCorruptionException(path, $"metadata checksum mismatch (content {actual}, recorded {expected})");
            }

            return JsonSerializer.Deserialize(body, StoreJsonContext.Default.EnvironmentMetadata)
                ?? throw new JsonException("null metadata");
        }
        catch (JsonException ex)
        {
            throw new StoreCorruptionException(path, $"unreadable metadata: {ex.Message}", ex);
        }
    }
}
