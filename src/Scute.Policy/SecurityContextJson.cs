using System.Text.Json.Nodes;

namespace Scute.Policy;

/// <summary>Reads back the canonical JSON written by <see cref="EffectiveSecurityContext.ToJson"/>.</summary>
public static class SecurityContextJson
{
    public static EffectiveSecurityContext Parse(string json)
    {
        var o = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("security context: not a JSON object");
        return new EffectiveSecurityContext
        {
            Profile = Str(o, "profile"),
            User = Id(o["user"]),
            Group = Id(o["group"]),
            ReadOnlyRoot = o["readonly_root"]!.GetValue<bool>(),
            NoNewPrivileges = o["no_new_privileges"]!.GetValue<bool>(),
            Capabilities = Map(o["capabilities"]),
            Seccomp = Str(o, "seccomp"),
            Devices = List(o["devices"]),
            EnvironmentAllowed = List(o["environment_allowed"]),
            NetworkIsolation = o["network_isolation"]!.GetValue<bool>(),
            Overrides = Map(o["overrides"]),
            Desktop = o["desktop"]?.AsArray().Select(n => new DesktopGrant(Str(n!.AsObject(), "kind"), Str(n.AsObject(), "name"), Str(n.AsObject(), "asked_by"))).ToList() ?? [],
        };
    }

    private static string Str(JsonObject o, string key) => o[key]?.GetValue<string>() ?? throw new FormatException($"security context: {key} missing");

    private static int? Id(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<int>(out var id) ? id : null;

    private static IReadOnlyList<string> List(JsonNode? node) =>
        node?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];

    private static IReadOnlyDictionary<string, string> Map(JsonNode? node)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in node?.AsObject() ?? [])
        {
            map[k] = v!.GetValue<string>();
        }

        return map;
    }
}
