using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scute.Manifest;

/// <summary>
/// env_id = sha256 over the canonical JSON of the identity inputs. JSON keeps field boundaries explicit,
/// so ["ab","c"] and ["a","bc"] can never hash alike the way a bare concatenation would.
/// </summary>
public static class EnvIdentity
{
    /// <summary>Bumped if the encoding below ever changes, so old and new ids can never collide.</summary>
    public const string Format = "scute.env_id.v1";

    public const int ShortIdLength = 12;

    public static string ComputeEnvId(IdentityInputs inputs)
    {
        var json = CanonicalJson.SerializeToUtf8Bytes(ToNode(inputs));
        return Convert.ToHexStringLower(SHA256.HashData(json));
    }

    public static string ShortId(string envId)
    {
        ArgumentNullException.ThrowIfNull(envId);
        if (envId.Length < ShortIdLength || !envId.AsSpan(0, ShortIdLength).ContainsOnlyLowerHex())
        {
            throw new ArgumentException("an env id is lower-case hex of at least 12 characters", nameof(envId));
        }

        return envId[..ShortIdLength];
    }

    /// <summary>The exact document that is hashed; exposed so tests and `scute inspect` can show it.</summary>
    public static JsonObject ToNode(IdentityInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var packages = new JsonArray();
        foreach (var p in inputs.Packages.Distinct()
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Version, StringComparer.Ordinal))
        {
            packages.Add((JsonNode)new JsonObject { ["name"] = p.Name, ["version"] = p.Version });
        }

        var mounts = new JsonArray();
        foreach (var m in inputs.Mounts.OrderBy(m => m.Label, StringComparer.Ordinal))
        {
            mounts.Add((JsonNode)new JsonObject { ["label"] = m.Label, ["written"] = m.Written });
        }

        JsonNode? security;
        try
        {
            security = JsonNode.Parse(inputs.SecurityContextJson);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("SecurityContextJson is not valid JSON", nameof(inputs), ex);
        }

        return new JsonObject
        {
            ["format"] = Format,
            ["base_digest"] = inputs.BaseDigest,
            ["packages"] = packages,
            ["apps"] = CanonicalManifest.Strings(inputs.Apps),
            ["hardware"] = new JsonObject { ["gpu"] = inputs.Gpu, ["audio"] = inputs.Audio },
            ["mounts"] = mounts,
            ["backend"] = inputs.Backend,
            ["network_isolation"] = inputs.NetworkIsolation,
            ["resource_limits"] = new JsonObject
            {
                ["cpu_shares"] = inputs.CpuShares,
                ["memory_limit_mb"] = inputs.MemoryLimitMb,
            },
            ["security_context"] = security,
        };
    }
}
