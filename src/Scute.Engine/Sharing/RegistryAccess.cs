using System.Text.Json;
using System.Text.Json.Nodes;
using Scute.Images.Registry;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Engine.Sharing;

/// <summary>
/// How push, pull and login reach a registry: the credentials from the auth files, plain HTTP
/// only for a host in SCUTE_INSECURE_REGISTRIES, and the repositories this store has pushed to
/// on each registry (store/registry-repositories.json), which a push offers as mount sources.
/// </summary>
internal static class RegistryAccess
{
    private const string RepositoriesFile = "registry-repositories.json";
    private const int RememberedPerRegistry = 8;

    public static RegistryClient Open(string registry, Func<string, string?> env, HttpMessageHandler? transport = null)
    {
        var credential = RegistryCredentials.Find(registry, RegistryCredentials.DefaultFiles(env));
        return new RegistryClient(registry, credential, env(RegistryEndpoint.InsecureVariable), transport);
    }

    public static RegistryReference Parse(string reference)
    {
        try
        {
            return RegistryReference.Parse(reference);
        }
        catch (ImageReferenceException e)
        {
            throw new ImageReferenceException($"\"{reference}\" is not a registry reference: {e.Problem}", e);
        }
    }

    /// <summary>The repositories of <paramref name="registry"/> pushed to from this store, most recent first.</summary>
    public static IReadOnlyList<string> PushedRepositories(ScuteStore store, string registry)
    {
        var doc = Read(store);
        return doc[registry] is JsonArray list ? [.. list.Select(n => n?.GetValue<string>()).OfType<string>()] : [];
    }

    public static void RememberPush(ScuteStore store, string registry, string repository)
    {
        var doc = Read(store);
        var list = PushedRepositories(store, registry).Where(r => r != repository).Prepend(repository).Take(RememberedPerRegistry);
        doc[registry] = new JsonArray([.. list.Select(r => (JsonNode?)JsonValue.Create(r))]);
        AtomicFile.WriteAllBytes(Path.Combine(store.Layout.Root, RepositoriesFile), System.Text.Encoding.UTF8.GetBytes(doc.ToJsonString()));
    }

    // A hint only: a file that cannot be read means no mount sources, not a failed push.
    private static JsonObject Read(ScuteStore store)
    {
        var path = Path.Combine(store.Layout.Root, RepositoriesFile);
        try
        {
            return File.Exists(path) && JsonNode.Parse(File.ReadAllBytes(path)) is JsonObject o ? o : [];
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
