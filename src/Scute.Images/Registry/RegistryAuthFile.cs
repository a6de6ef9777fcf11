using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scute.Images.Registry;

/// <summary>
/// The containers auth file login writes and logout edits, where Podman keeps it:
/// $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json, else
/// ~/.config/containers/auth.json. An <c>auths.&lt;registry&gt;.auth</c> entry holds base64
/// "user:password"; everything else in the file is kept as it is. Mode 0600, folder 0700.
/// </summary>
public static class RegistryAuthFile
{
    public const string Variable = "REGISTRY_AUTH_FILE";

    public static string PathFor(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env(Variable) is { Length: > 0 } explicitFile)
        {
            return explicitFile;
        }

        if (env("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            return Path.Combine(runtime, "containers", "auth.json");
        }

        var home = env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var config = env("XDG_CONFIG_HOME") is { Length: > 0 } c ? c : Path.Combine(home, ".config");
        return Path.Combine(config, "containers", "auth.json");
    }

    public static void Store(string file, string registry, RegistryCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var doc = Read(file);
        var auths = doc["auths"] as JsonObject ?? [];
        doc["auths"] = auths;
        auths[registry] = new JsonObject { ["auth"] = credential.BasicToken };
        Write(file, doc);
    }

    /// <summary>Removes the registry's entry; false when there was none.</summary>
    public static bool Remove(string file, string registry)
    {
        if (!File.Exists(file))
        {
            return false;
        }

        var doc = Read(file);
        if (doc["auths"] is not JsonObject auths)
        {
            return false;
        }

        var keys = auths.Select(kv => kv.Key).Where(k => string.Equals(RegistryCredentials.HostOf(k), registry, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var key in keys)
        {
            auths.Remove(key);
        }

        if (keys.Count > 0)
        {
            Write(file, doc);
        }

        return keys.Count > 0;
    }

    private static JsonObject Read(string file)
    {
        if (!File.Exists(file))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(File.ReadAllBytes(file)) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ImageException($"{file}: not a valid auth file ({e.Message}); fix or remove it", e);
        }
    }

    private static void Write(string file, JsonObject doc)
    {
        var full = Path.GetFullPath(file);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Created 0600 before a byte is written: the password is never readable by others, not even for a moment.
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            using (var stream = new FileStream(temp, options))
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    doc.WriteTo(writer);
                }

                stream.Write("\n"u8);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
