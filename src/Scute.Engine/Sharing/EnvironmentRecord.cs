using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scute.Store;

namespace Scute.Engine.Sharing;

/// <summary>One store layer of a pushed environment: its description's canonical bytes and the blob that carries its tar.</summary>
public sealed record RecordLayer(Digest Layer, string Description, Digest Tar, long TarSize);

/// <summary>
/// What `pull` needs beyond the OCI image to recreate an environment in another store with the
/// same identity: the manifest and lock as written, the store metadata that names the base and
/// the security context, and each store layer (description and tar). A blob of its own
/// (<see cref="MediaType"/>), named by the image manifest's <see cref="Annotation"/>.
/// </summary>
public sealed record EnvironmentRecord
{
    public const string MediaType = "application/vnd.scute.environment.v1+json";
    public const string Annotation = "org.scute.environment";
    public const int MaxBytes = 32 * 1024 * 1024;

    public required string EnvId { get; init; }

    public required string ShortId { get; init; }

    public string? Name { get; init; }

    public required string BaseReference { get; init; }

    public required Digest BaseDigest { get; init; }

    public required string ImageKey { get; init; }

    public required string Backend { get; init; }

    public required string ManifestJson { get; init; }

    public required string SecurityJson { get; init; }

    public required string ManifestFile { get; init; }

    public required string ManifestText { get; init; }

    public required string LockText { get; init; }

    public required IReadOnlyList<RecordLayer> Layers { get; init; }

    /// <summary>The packed upper folder (the environment's own changes); null when it had none.</summary>
    public (Digest Tar, long Size)? Upper { get; init; }

    public byte[] ToBytes()
    {
        var doc = new JsonObject
        {
            ["env_id"] = EnvId,
            ["short_id"] = ShortId,
            ["name"] = Name,
            ["base_reference"] = BaseReference,
            ["base_digest"] = BaseDigest.ToString(),
            ["image_key"] = ImageKey,
            ["backend"] = Backend,
            ["manifest_json"] = ManifestJson,
            ["security_json"] = SecurityJson,
            ["manifest_file"] = ManifestFile,
            ["manifest_text"] = ManifestText,
            ["lock_text"] = LockText,
            ["layers"] = new JsonArray([.. Layers.Select(l => (JsonNode?)new JsonObject
            {
                ["layer"] = l.Layer.ToString(),
                ["description"] = l.Description,
                ["tar"] = l.Tar.ToString(),
                ["tar_size"] = l.TarSize,
            })]),
            ["upper"] = Upper is { } u ? new JsonObject { ["tar"] = u.Tar.ToString(), ["size"] = u.Size } : null,
        };
        return CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(doc.ToJsonString()));
    }

    public static EnvironmentRecord Parse(byte[] bytes, string what)
    {
        try
        {
            var doc = JsonNode.Parse(bytes)?.AsObject() ?? throw new JsonException("null");
            var upper = doc["upper"] as JsonObject;
            var manifestFile = Text(doc, "manifest_file");
            if (manifestFile.Length == 0 || manifestFile != Path.GetFileName(manifestFile) || manifestFile is "." or "..")
            {
                throw new JsonException($"manifest_file \"{manifestFile}\" is not a plain file name");
            }

            return new EnvironmentRecord
            {
                // Both name folders of the store: refused here, before any path is made of them.
                EnvId = Segment(Text(doc, "env_id"), "env_id"),
                ShortId = Text(doc, "short_id"),
                Name = doc["name"]?.GetValue<string>(),
                BaseReference = Text(doc, "base_reference"),
                BaseDigest = DigestOf(doc, "base_digest"),
                ImageKey = Segment(Text(doc, "image_key"), "image_key"),
                Backend = Text(doc, "backend"),
                ManifestJson = Text(doc, "manifest_json"),
                SecurityJson = Text(doc, "security_json"),
                ManifestFile = manifestFile,
                ManifestText = Text(doc, "manifest_text"),
                LockText = Text(doc, "lock_text"),
                Layers = [.. (doc["layers"] as JsonArray ?? throw new JsonException("no layers")).Select(n => n as JsonObject ?? throw new JsonException("a layer is not an object")).Select(l =>
                    new RecordLayer(DigestOf(l, "layer"), Text(l, "description"), DigestOf(l, "tar"), l["tar_size"]?.GetValue<long>() ?? throw new JsonException("no tar_size")))],
                Upper = upper is null ? null : (DigestOf(upper, "tar"), upper["size"]?.GetValue<long>() ?? throw new JsonException("no upper size")),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ContentDigestMismatchException($"{what}: not an environment record Scute can read ({e.Message})", e);
        }
    }

    private static string Segment(string name, string key) =>
        name.Length is > 0 and <= 128 && name is not ("." or "..") && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? name
            : throw new JsonException($"{key} \"{name}\" is not a plain name");

    private static string Text(JsonObject o, string key) => o[key]?.GetValue<string>() ?? throw new JsonException($"no {key}");

    private static Digest DigestOf(JsonObject o, string key) =>
        Digest.TryParse(Text(o, key), out var d) ? d : throw new JsonException($"{key} is not a sha256 digest");
}
