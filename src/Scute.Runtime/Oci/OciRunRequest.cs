using System.Text.Json.Serialization;

namespace Scute.Runtime.Oci;

/// <summary>What the oci backend hands its init stage, inside the outer namespaces, through a file.</summary>
public sealed record OciRunRequest
{
    public required RunSpec Spec { get; init; }

    public required string Runtime { get; init; }

    public required string StateDir { get; init; }

    public required string ContainerId { get; init; }

    /// <summary>The command gets a pty of its own, made and relayed by the runtime.</summary>
    public bool Terminal { get; init; }

    /// <summary>The subordinate ranges the outer namespace maps at 1.., or null when it maps the user alone.</summary>
    public IdRange? OuterUids { get; init; }

    public IdRange? OuterGids { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OciRunRequest))]
internal sealed partial class OciRequestJsonContext : JsonSerializerContext;
