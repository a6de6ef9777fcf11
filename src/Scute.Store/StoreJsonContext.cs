using System.Text.Json.Serialization;

namespace Scute.Store;

/// <summary>On-disk form of store/version.</summary>
internal sealed record StoreVersionFile
{
    public required int FormatVersion { get; init; }
}

/// <summary>Source-generated JSON for everything the store writes (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(StoreVersionFile))]
[JsonSerializable(typeof(LayerDescription))]
[JsonSerializable(typeof(EnvironmentMetadata))]
[JsonSerializable(typeof(Wal.WalEntry))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
