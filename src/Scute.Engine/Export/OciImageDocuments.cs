using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Scute.Store;

namespace Scute.Engine.Export;

/// <summary>A blob of an OCI image: its sha256 and size in bytes.</summary>
public readonly record struct OciBlob(Digest Digest, long Size);

/// <summary>What an environment's image config says about running it.</summary>
public sealed record ImageConfigInput
{
    public required int Uid { get; init; }

    public required int Gid { get; init; }

    public required IReadOnlyList<string> Cmd { get; init; }

    /// <summary>NAME → value, in the order given; written sorted by name.</summary>
    public required IReadOnlyDictionary<string, string> Env { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>Uncompressed layer digests, bottom first (the layers are uncompressed: digest = diff_id).</summary>
    public required IReadOnlyList<Digest> DiffIds { get; init; }

    public string Architecture { get; init; } = HostArchitecture;

    /// <summary>GOARCH names, as image configs use them.</summary>
    public static string HostArchitecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// The JSON documents of an OCI image layout (image-spec 1.1): config, manifest, index and the
/// oci-layout marker. Canonical JSON (sorted keys, no whitespace) and a fixed creation time, so
/// the same environment always gives the same bytes and digests.
/// </summary>
public static class OciImageDocuments
{
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string IndexMediaType = "application/vnd.oci.image.index.v1+json";
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>Image creation time: the epoch, as reproducible builds write it.</summary>
    public const string Created = "1970-01-01T00:00:00Z";

    public static byte[] Config(ImageConfigInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var labels = new JsonObject();
        foreach (var (k, v) in input.Labels)
        {
            labels[k] = v;
        }

        return Canonical(new JsonObject
        {
            ["architecture"] = input.Architecture,
            ["os"] = "linux",
            ["created"] = Created,
            ["config"] = new JsonObject
            {
                ["User"] = FormattableString.Invariant($"{input.Uid}:{input.Gid}"),
                // No Entrypoint: whatever the operator runs replaces Cmd whole, as with `scute exec`.
                ["Cmd"] = Strings(input.Cmd),
                ["Env"] = Strings(input.Env.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")),
                ["Labels"] = labels,
            },
            ["rootfs"] = new JsonObject
            {
                ["type"] = "layers",
                ["diff_ids"] = Strings(input.DiffIds.Select(d => d.ToString())),
            },
        });
    }

    public static byte[] Manifest(OciBlob config, IReadOnlyList<OciBlob> layers, IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(annotations);
        var doc = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestMediaType,
            ["config"] = Descriptor(ConfigMediaType, config),
            ["layers"] = new JsonArray([.. layers.Select(l => (JsonNode?)Descriptor(LayerMediaType, l))]),
        };
        if (annotations.Count > 0)
        {
            doc["annotations"] = Annotations(annotations);
        }

        return Canonical(doc);
    }

    /// <summary>The layout's index: one manifest, named by <paramref name="refName"/>.</summary>
    public static byte[] Index(OciBlob manifest, string refName)
    {
        var descriptor = Descriptor(ManifestMediaType, manifest);
        descriptor["annotations"] = new JsonObject { [RefNameAnnotation] = refName };
        return Canonical(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = IndexMediaType,
            ["manifests"] = new JsonArray(descriptor),
        });
    }

    public static byte[] Layout() => Canonical(new JsonObject { ["imageLayoutVersion"] = "1.0.0" });

    private static JsonObject Descriptor(string mediaType, OciBlob blob) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = blob.Digest.ToString(),
        ["size"] = blob.Size,
    };

    private static JsonObject Annotations(IReadOnlyDictionary<string, string> values)
    {
        var o = new JsonObject();
        foreach (var (k, v) in values)
        {
            o[k] = v;
        }

        return o;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static byte[] Canonical(JsonObject doc) => CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(doc.ToJsonString()));
}
