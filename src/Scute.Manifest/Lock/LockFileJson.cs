using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scute.Manifest;

/// <summary>The lock file's JSON shape, both ways. Field order here is the order people read in the file.</summary>
internal static class LockFileJson
{
    private const string Accepted = "a lock file written by scute; run build to regenerate it";

    public static JsonObject ToNode(LockFile lf)
    {
        var mounts = new JsonArray();
        foreach (var m in lf.Mounts.OrderBy(m => m.Label, StringComparer.Ordinal))
        {
            mounts.Add((JsonNode)new JsonObject { ["label"] = m.Label, ["written"] = m.Written });
        }

        var packages = new JsonArray();
        foreach (var p in lf.Packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal))
        {
            packages.Add((JsonNode)new JsonObject { ["name"] = p.Name, ["version"] = p.Version });
        }

        JsonNode? security;
        try
        {
            // Canonicalized so the value read back is byte-identical whatever spacing the caller used.
            security = JsonNode.Parse(CanonicalJson.Serialize(JsonNode.Parse(lf.SecurityContextJson)));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("SecurityContextJson is not valid JSON", nameof(lf), ex);
        }

        return new JsonObject
        {
            ["lock_version"] = lf.LockVersion,
            ["env_id"] = lf.EnvId,
            ["short_id"] = lf.ShortId,
            ["base"] = Base(lf),
            ["backend"] = lf.Backend,
            ["hardware"] = new JsonObject { ["gpu"] = lf.Gpu, ["audio"] = lf.Audio },
            ["mounts"] = mounts,
            ["network_isolation"] = lf.NetworkIsolation,
            ["resource_limits"] = new JsonObject { ["cpu_shares"] = lf.CpuShares, ["memory_limit_mb"] = lf.MemoryLimitMb },
            ["packages"] = packages,
            ["apps"] = CanonicalManifest.Strings(lf.Apps),
            ["security_context"] = security,
        };
    }

    /// <summary>manifest_digest, version and sha256 only when the source has them, so locks of other sources keep their bytes.</summary>
    private static JsonObject Base(LockFile lf)
    {
        var node = new JsonObject { ["reference"] = lf.BaseReference, ["digest"] = lf.BaseDigest };
        if (lf.BaseManifestDigest is not null)
        {
            node["manifest_digest"] = lf.BaseManifestDigest;
        }

        if (lf.BaseVersion is not null)
        {
            node["version"] = lf.BaseVersion;
        }

        if (lf.BaseSha256 is not null)
        {
            node["sha256"] = lf.BaseSha256;
        }

        return node;
    }

    public static LockFile FromNode(string path, JsonObject root)
    {
        var version = Integer(path, root, "lock_version");
        if (version != LockFile.CurrentVersion)
        {
            throw new ManifestException(path, null, "lock_version", $"unsupported lock version {version}", "1; run build to regenerate the lock");
        }

        var envId = String(path, root, "env_id");
        var shortId = String(path, root, "short_id");
        if (envId.Length != 64 || !envId.AsSpan().ContainsOnlyLowerHex() || shortId != envId[..EnvIdentity.ShortIdLength])
        {
            throw new ManifestException(path, null, "env_id", "env_id is not 64 lower-case hex or short_id is not its first 12 characters", Accepted);
        }

        var baseObj = Object(path, root, "base");
        var hardware = Object(path, root, "hardware");
        var limits = Object(path, root, "resource_limits");
        if (!root.TryGetPropertyValue("security_context", out var security))
        {
            throw Missing(path, "security_context");
        }

        return new LockFile
        {
            LockVersion = (int)version,
            EnvId = envId,
            ShortId = shortId,
            BaseReference = String(path, baseObj, "reference", "base."),
            BaseDigest = String(path, baseObj, "digest", "base."),
            BaseManifestDigest = OptionalString(path, baseObj, "manifest_digest", "base."),
            BaseVersion = OptionalString(path, baseObj, "version", "base."),
            BaseSha256 = Sha256(path, OptionalString(path, baseObj, "sha256", "base.")),
            Backend = String(path, root, "backend"),
            Gpu = Bool(path, hardware, "gpu", "hardware."),
            Audio = Bool(path, hardware, "audio", "hardware."),
            Mounts = [.. Objects(path, root, "mounts").Select(m => new LockMount(String(path, m, "label", "mounts[]."), String(path, m, "written", "mounts[]."))),],
            NetworkIsolation = Bool(path, root, "network_isolation"),
            CpuShares = OptionalInteger(path, limits, "cpu_shares", "resource_limits."),
            MemoryLimitMb = OptionalInteger(path, limits, "memory_limit_mb", "resource_limits."),
            Packages = [.. Objects(path, root, "packages").Select(p => new ResolvedPackage(String(path, p, "name", "packages[]."), String(path, p, "version", "packages[]."))),],
            Apps = [.. Array(path, root, "apps").Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw WrongType(path, "apps[]", "a string"))],
            SecurityContextJson = CanonicalJson.Serialize(security),
        };
    }

    private static JsonNode Required(string path, JsonObject obj, string key, string prefix) =>
        obj.TryGetPropertyValue(key, out var node) && node is not null ? node : throw Missing(path, prefix + key);

    private static string String(string path, JsonObject obj, string key, string prefix = "") =>
        Required(path, obj, key, prefix) is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw WrongType(path, prefix + key, "a string");

    private static string? OptionalString(string path, JsonObject obj, string key, string prefix) =>
        obj.TryGetPropertyValue(key, out var node) && node is not null ? String(path, obj, key, prefix) : null;

    private static string? Sha256(string path, string? hex) =>
        hex is null || (hex.Length == 64 && hex.AsSpan().ContainsOnlyLowerHex())
            ? hex
            : throw WrongType(path, "base.sha256", "64 lower-case hex characters");

    private static bool Bool(string path, JsonObject obj, string key, string prefix = "") =>
        Required(path, obj, key, prefix) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw WrongType(path, prefix + key, "true or false");

    private static long Integer(string path, JsonObject obj, string key, string prefix = "") =>
        Required(path, obj, key, prefix) is JsonValue v && v.TryGetValue<long>(out var l)
            ? l
            : throw WrongType(path, prefix + key, "an integer");

    private static long? OptionalInteger(string path, JsonObject obj, string key, string prefix) =>
        obj.TryGetPropertyValue(key, out var node) && node is not null ? Integer(path, obj, key, prefix) : null;

    private static JsonObject Object(string path, JsonObject obj, string key) =>
        Required(path, obj, key, string.Empty) as JsonObject ?? throw WrongType(path, key, "an object");

    private static JsonArray Array(string path, JsonObject obj, string key) =>
        Required(path, obj, key, string.Empty) as JsonArray ?? throw WrongType(path, key, "an array");

    private static IEnumerable<JsonObject> Objects(string path, JsonObject obj, string key) =>
        Array(path, obj, key).Select(n => n as JsonObject ?? throw WrongType(path, key + "[]", "an object"));

    private static ManifestException Missing(string path, string key) =>
        new(path, null, key, "missing", Accepted);

    private static ManifestException WrongType(string path, string key, string expected) =>
        new(path, null, key, $"expected {expected}", Accepted);
}
