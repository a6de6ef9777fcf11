using System.Text.Json.Nodes;

namespace Scute.Policy;

/// <summary>
/// The security context a backend must apply, after profile defaults and overrides. Validated
/// once, before anything touches the disk; backends only ever see this, never the manifest.
/// </summary>
public sealed record EffectiveSecurityContext
{
    public required string Profile { get; init; }

    /// <summary>uid inside; null means "the invoking user, at the same uid" (profile dev).</summary>
    public int? User { get; init; }

    public int? Group { get; init; }

    public required bool ReadOnlyRoot { get; init; }

    public required bool NoNewPrivileges { get; init; }

    /// <summary>Added capabilities (after all are dropped), name → reason, sorted.</summary>
    public required IReadOnlyDictionary<string, string> Capabilities { get; init; }

    /// <summary>"default", "unconfined" or the path of an OCI seccomp profile.</summary>
    public required string Seccomp { get; init; }

    public required IReadOnlyList<string> Devices { get; init; }

    public required IReadOnlyList<string> EnvironmentAllowed { get; init; }

    public required bool NetworkIsolation { get; init; }

    /// <summary>Accepted overrides, field → reason.</summary>
    public required IReadOnlyDictionary<string, string> Overrides { get; init; }

    /// <summary>What of the user's desktop session the environment gets (display, audio, GPU, bus names).</summary>
    public IReadOnlyList<DesktopGrant> Desktop { get; init; } = [];

    /// <summary>Canonical JSON (sorted keys) of every field: part of the environment's identity.</summary>
    public JsonObject ToJson()
    {
        var caps = new JsonObject();
        foreach (var (k, v) in Capabilities.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            caps[k] = v;
        }

        var overrides = new JsonObject();
        foreach (var (k, v) in Overrides.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            overrides[k] = v;
        }

        var json = new JsonObject
        {
            ["capabilities"] = caps,
            ["devices"] = new JsonArray([.. Devices.Select(d => (JsonNode?)JsonValue.Create(d))]),
            ["environment_allowed"] = new JsonArray([.. EnvironmentAllowed.Select(d => (JsonNode?)JsonValue.Create(d))]),
            ["group"] = Group is { } g ? JsonValue.Create(g) : JsonValue.Create("invoking-user"),
            ["network_isolation"] = NetworkIsolation,
            ["no_new_privileges"] = NoNewPrivileges,
            ["overrides"] = overrides,
            ["profile"] = Profile,
            ["readonly_root"] = ReadOnlyRoot,
            ["seccomp"] = Seccomp,
            ["user"] = User is { } u ? JsonValue.Create(u) : JsonValue.Create("invoking-user"),
        };

        // Only when there is a grant: contexts without one keep the bytes (and env_ids) they had.
        if (Desktop.Count > 0)
        {
            json["desktop"] = new JsonArray([.. Desktop.Select(g => (JsonNode?)new JsonObject
            {
                ["asked_by"] = g.AskedBy,
                ["kind"] = g.Kind,
                ["name"] = g.Name,
            })]);
        }

        return json;
    }
}
