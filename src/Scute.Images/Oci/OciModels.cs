using System.Text.Json.Serialization;
using Scute.Store;

namespace Scute.Images.Oci;

/// <summary>An OCI content descriptor (image-spec descriptor.md): what a blob is, its digest and size.</summary>
public sealed record OciDescriptor
{
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("digest")]
    public required Digest Digest { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("platform")]
    public OciPlatform? Platform { get; init; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; init; }
}

public sealed record OciPlatform
{
    [JsonPropertyName("architecture")]
    public required string Architecture { get; init; }

    [JsonPropertyName("os")]
    public required string Os { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    public override string ToString() => $"{Os}/{Architecture}" + (Variant is null ? "" : "/" + Variant);
}

/// <summary>
/// An image manifest or an image index (OCI, or Docker v2 schema 2 and its manifest list): the
/// same JSON shape with either config + layers or manifests. <see cref="OciDocuments"/> tells which.
/// </summary>
public sealed record OciDocument
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("config")]
    public OciDescriptor? Config { get; init; }

    [JsonPropertyName("layers")]
    public List<OciDescriptor>? Layers { get; init; }

    [JsonPropertyName("manifests")]
    public List<OciDescriptor>? Manifests { get; init; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; init; }
}

/// <summary>The parts of an image config Scute checks: the platform and the uncompressed layer digests.</summary>
public sealed record OciImageConfig
{
    [JsonPropertyName("os")]
    public string? Os { get; init; }

    [JsonPropertyName("architecture")]
    public string? Architecture { get; init; }

    [JsonPropertyName("rootfs")]
    public OciRootfs? Rootfs { get; init; }
}

public sealed record OciRootfs
{
    [JsonPropertyName("diff_ids")]
    public List<Digest>? DiffIds { get; init; }
}

/// <summary>One image in a docker-archive's manifest.json (docker save / podman save).</summary>
public sealed record DockerArchiveEntry
{
    [JsonPropertyName("Config")]
    public required string Config { get; init; }

    [JsonPropertyName("RepoTags")]
    public List<string>? RepoTags { get; init; }

    [JsonPropertyName("Layers")]
    public required List<string> Layers { get; init; }
}

/// <summary>A registry token endpoint's answer (distribution token spec: "token", or OAuth's "access_token").</summary>
public sealed record RegistryToken
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }
}

/// <summary>A containers-auth.json / Docker config.json: the "auths" map, host → base64 "user:password".</summary>
public sealed record AuthFileContent
{
    [JsonPropertyName("auths")]
    public Dictionary<string, AuthEntry>? Auths { get; init; }
}

public sealed record AuthEntry
{
    [JsonPropertyName("auth")]
    public string? Auth { get; init; }
}

/// <summary>Source-generated JSON for everything images read (NativeAOT: no reflection). Unknown fields are ignored: these are other tools' formats.</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(OciDocument))]
[JsonSerializable(typeof(OciImageConfig))]
[JsonSerializable(typeof(List<DockerArchiveEntry>))]
[JsonSerializable(typeof(RegistryToken))]
[JsonSerializable(typeof(AuthFileContent))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
