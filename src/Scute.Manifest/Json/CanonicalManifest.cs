using System.Text.Json.Nodes;

namespace Scute.Manifest;

/// <summary>
/// The normalized manifest as canonical JSON: everything that changes what gets built or how it runs, and
/// nothing about where the file was read from (SourcePath, KeyLines) or how it was spelled.
/// </summary>
public static class CanonicalManifest
{
    public static string ToJson(EnvironmentManifest m) => CanonicalJson.Serialize(ToNode(m));

    public static JsonObject ToNode(EnvironmentManifest m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var mounts = new JsonObject();
        foreach (var mount in m.Mounts.OrderBy(x => x.Label, StringComparer.Ordinal))
        {
            mounts[mount.Label] = new JsonObject
            {
                ["host_path"] = mount.HostPath,
                ["container_path"] = mount.ContainerPath,
                ["read_only"] = mount.ReadOnly,
            };
        }

        return new JsonObject
        {
            ["manifest_version"] = m.ManifestVersion,
            ["base"] = new JsonObject { ["image"] = m.BaseImage },
            ["system"] = new JsonObject { ["packages"] = Strings(m.Packages) },
            ["gui"] = Gui(m),
            ["hardware"] = new JsonObject { ["gpu"] = m.Gpu, ["audio"] = m.Audio },
            ["mounts"] = mounts,
            ["runtime"] = new JsonObject
            {
                ["backend"] = m.Runtime.Backend,
                ["network_isolation"] = m.Runtime.NetworkIsolation,
                ["resource_limits"] = new JsonObject
                {
                    ["cpu_shares"] = m.Runtime.CpuShares,
                    ["memory_limit_mb"] = m.Runtime.MemoryLimitMb,
                },
            },
            ["security"] = m.Security is null ? null : Security(m.Security),
        };
    }

    // dbus_talk only when there is one: manifests without it keep the bytes (and ids) they had.
    private static JsonObject Gui(EnvironmentManifest m)
    {
        var gui = new JsonObject { ["apps"] = Strings(m.Apps) };
        if (m.DbusTalk.Count > 0)
        {
            gui["dbus_talk"] = Strings(m.DbusTalk);
        }

        return gui;
    }

    private static JsonObject Security(SecuritySection s) => new()
    {
        ["profile"] = s.Profile,
        ["user"] = s.User,
        ["group"] = s.Group,
        ["readonly_root"] = s.ReadonlyRoot,
        ["no_new_privileges"] = s.NoNewPrivileges,
        ["seccomp"] = s.Seccomp,
        ["capabilities"] = Map(s.Capabilities),
        ["overrides"] = Map(s.Overrides),
    };

    // Sorted and de-duplicated again so a hand-built manifest gets the same bytes as a parsed one.
    internal static JsonArray Strings(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var value in values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            array.Add((JsonNode?)JsonValue.Create(value));
        }

        return array;
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in values)
        {
            obj[key] = value;
        }

        return obj;
    }
}
