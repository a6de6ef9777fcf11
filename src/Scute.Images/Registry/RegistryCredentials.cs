using System.Text;
using System.Text.Json;
using Scute.Images.Oci;

namespace Scute.Images.Registry;

/// <summary>A user name and password for one registry.</summary>
public sealed record RegistryCredential(string User, string Password)
{
    public string BasicToken => Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password));

    public override string ToString() => $"{User}:***";
}

/// <summary>
/// Credentials from the auth files Scute shares with Podman and Docker, first match wins:
/// $REGISTRY_AUTH_FILE, ~/.config/scute/auth.json, $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json,
/// ~/.docker/config.json. Each has an "auths" map from registry host to base64 "user:password".
/// Credential helpers (credsStore, credHelpers) are not run.
/// </summary>
public static class RegistryCredentials
{
    public static IReadOnlyList<string> DefaultFiles(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var home = env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var config = env("XDG_CONFIG_HOME") is { Length: > 0 } c ? c : Path.Combine(home, ".config");
        var files = new List<string>();
        if (env(RegistryAuthFile.Variable) is { Length: > 0 } explicitFile)
        {
            files.Add(explicitFile);
        }

        files.Add(Path.Combine(config, "scute", "auth.json"));
        if (env("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            files.Add(Path.Combine(runtime, "containers", "auth.json"));
        }

        files.Add(Path.Combine(config, "containers", "auth.json"));
        files.Add(Path.Combine(home, ".docker", "config.json"));
        return files;
    }

    public static RegistryCredential? Find(string host, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            if (File.Exists(file) && FromFile(host, file) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static RegistryCredential? FromFile(string host, string file)
    {
        AuthFileContent? content;
        try
        {
            using var stream = File.OpenRead(file);
            content = JsonSerializer.Deserialize(OciDocuments.ReadCapped(stream, file), OciJsonContext.Default.AuthFileContent);
        }
        catch (JsonException e)
        {
            throw new ImageException($"{file}: not a valid auth file ({e.Message})", e);
        }

        foreach (var (key, entry) in content?.Auths ?? [])
        {
            if (!string.Equals(HostOf(key), host, StringComparison.OrdinalIgnoreCase) || entry.Auth is not { Length: > 0 } auth)
            {
                continue;
            }

            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException e)
            {
                throw new ImageException($"{file}: the auth entry for {key} is not base64 \"user:password\"", e);
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0
                ? new RegistryCredential(decoded[..colon], decoded[(colon + 1)..])
                : throw new ImageException($"{file}: the auth entry for {key} is not base64 \"user:password\"");
        }

        return null;
    }

    /// <summary>Docker writes keys like "https://index.docker.io/v1/": compare on the host[:port] alone.</summary>
    public static string HostOf(string key)
    {
        var k = key;
        var scheme = k.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            k = k[(scheme + 3)..];
        }

        var slash = k.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? k[..slash] : k;
    }
}
