using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scute.Images.Trust;

/// <summary>
/// containers-policy.json(5), the part Scute applies to registry images: "default" and the
/// "docker" transport's scopes, with insecureAcceptAnything, reject and sigstoreSigned (public
/// keys). Anything else a scope it would use names (signedBy, fulcio, pki, remapIdentity) is
/// refused when read, rather than silently treated as accepting.
/// </summary>
public sealed class ContainersPolicy
{
    /// <summary>Tests and users point at another file with this (like podman --signature-policy).</summary>
    public const string PolicyVariable = "SCUTE_SIGNATURE_POLICY";
    public const string SystemFile = "/etc/containers/policy.json";

    private readonly JsonObject _root;
    private readonly string _source;

    private ContainersPolicy(JsonObject root, string source)
    {
        _root = root;
        _source = source;
    }

    /// <summary>Where the policy comes from: the given file, else ~/.config/containers/policy.json if it exists, else /etc/containers/policy.json; null when none exists.</summary>
    public static string? Locate(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(PolicyVariable) is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        var config = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : environment("HOME") is { Length: > 0 } home ? Path.Combine(home, ".config") : null;
        if (config is not null && File.Exists(Path.Combine(config, "containers", "policy.json")))
        {
            return Path.Combine(config, "containers", "policy.json");
        }

        return File.Exists(SystemFile) ? SystemFile : null;
    }

    /// <summary>Null when no policy file exists: then every image is accepted, as Podman's shipped insecureAcceptAnything does.</summary>
    public static ContainersPolicy? Load(Func<string, string?> environment)
    {
        if (Locate(environment) is not { } path)
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageTrustException($"signature policy {path} cannot be read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    public static ContainersPolicy Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            if (JsonNode.Parse(json) is not JsonObject root || root["default"] is not JsonArray)
            {
                throw new ImageTrustException($"signature policy {source}: needs an object with a \"default\" list of requirements");
            }

            var policy = new ContainersPolicy(root, source);
            // Every requirement is parsed now, so a bad file is refused whichever image is pulled.
            _ = policy.Requirements(root["default"], "default");
            foreach (var (scope, list) in policy.DockerScopes())
            {
                _ = policy.Requirements(list, $"transports.docker \"{scope}\"");
            }

            return policy;
        }
        catch (JsonException e)
        {
            throw new ImageTrustException($"signature policy {source} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The scope that applies to a reference (most specific first, then the docker transport's "", then default) and its requirements.</summary>
    public (string Scope, IReadOnlyList<PolicyRequirement> Requirements) For(DockerName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var scopes = DockerScopes().ToDictionary(p => p.Scope, p => p.List, StringComparer.Ordinal);
        foreach (var scope in name.Scopes().Append(string.Empty))
        {
            if (scopes.TryGetValue(scope, out var list))
            {
                var label = scope.Length == 0 ? "transports.docker \"\"" : $"transports.docker \"{scope}\"";
                return ($"{label} of {_source}", Requirements(list, label));
            }
        }

        return ($"default of {_source}", Requirements(_root["default"], "default"));
    }

    private IEnumerable<(string Scope, JsonNode? List)> DockerScopes() =>
        _root["transports"]?["docker"] is JsonObject docker ? docker.Select(p => (p.Key, p.Value)) : [];

    private List<PolicyRequirement> Requirements(JsonNode? list, string scope)
    {
        if (list is not JsonArray array || array.Count == 0)
        {
            // containers/image refuses an empty list too: it would accept nothing or everything by accident.
            throw new ImageTrustException($"signature policy {_source}: scope {scope} needs a non-empty list of requirements");
        }

        return [.. array.Select(r => Requirement(r as JsonObject, scope))];
    }

    private PolicyRequirement Requirement(JsonObject? node, string scope)
    {
        var type = node?["type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        return type switch
        {
            "insecureAcceptAnything" => new PolicyRequirement.AcceptAnything(),
            "reject" => new PolicyRequirement.Reject(),
            "sigstoreSigned" => Sigstore(node!, scope),
            _ => throw new ImageTrustException($"signature policy {_source}: scope {scope} has requirement type \"{type}\", which Scute does not support (supported: insecureAcceptAnything, reject, sigstoreSigned with keyPath, keyPaths or keyData)"),
        };
    }

    private PolicyRequirement.SigstoreSigned Sigstore(JsonObject node, string scope)
    {
        var where = $"signature policy {_source}: scope {scope}";
        if (node["fulcio"] is not null || node["pki"] is not null || node["rekorPublicKeyPath"] is not null || node["rekorPublicKeyData"] is not null)
        {
            throw new ImageTrustException($"{where}: sigstoreSigned with fulcio, pki or rekor is not supported by Scute (use keyPath, keyPaths or keyData)");
        }

        var keys = new List<System.Security.Cryptography.ECDsa>();
        if (Text(node["keyPath"]) is { } keyPath)
        {
            keys.AddRange(SigningKeys.LoadPublic(ReadKey(keyPath, where), keyPath));
        }

        if (node["keyPaths"] is JsonArray paths)
        {
            foreach (var p in paths.Select(Text).OfType<string>())
            {
                keys.AddRange(SigningKeys.LoadPublic(ReadKey(p, where), p));
            }
        }

        if (Text(node["keyData"]) is { } keyData)
        {
            keys.AddRange(SigningKeys.LoadPublic(DecodeKeyData(keyData, where), where + " keyData"));
        }

        if (node["keyDatas"] is JsonArray datas)
        {
            foreach (var d in datas.Select(Text).OfType<string>())
            {
                keys.AddRange(SigningKeys.LoadPublic(DecodeKeyData(d, where), where + " keyDatas"));
            }
        }

        if (keys.Count == 0)
        {
            throw new ImageTrustException($"{where}: sigstoreSigned names no key (keyPath, keyPaths or keyData)");
        }

        return new PolicyRequirement.SigstoreSigned(keys, Identity(node["signedIdentity"] as JsonObject, where));
    }

    private static SignedIdentity Identity(JsonObject? node, string where)
    {
        var type = Text(node?["type"]);
        return type switch
        {
            null => new SignedIdentity.MatchRepoDigestOrExact(),
            "matchRepoDigestOrExact" => new SignedIdentity.MatchRepoDigestOrExact(),
            "matchRepository" => new SignedIdentity.MatchRepository(),
            "matchExact" => new SignedIdentity.MatchExact(),
            "exactReference" => new SignedIdentity.ExactReference(Text(node!["dockerReference"]) ?? throw new ImageTrustException($"{where}: exactReference needs dockerReference")),
            "exactRepository" => new SignedIdentity.ExactRepository(Text(node!["dockerRepository"]) ?? throw new ImageTrustException($"{where}: exactRepository needs dockerRepository")),
            _ => throw new ImageTrustException($"{where}: signedIdentity type \"{type}\" is not supported by Scute"),
        };
    }

    private static string ReadKey(string path, string where)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageTrustException($"{where}: key {path} cannot be read: {e.Message}", e);
        }
    }

    private static string DecodeKeyData(string base64, string where)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException e)
        {
            throw new ImageTrustException($"{where}: keyData is not base64", e);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
