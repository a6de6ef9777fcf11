using Scute.Images;
using Scute.Images.Registry;
using Scute.Manifest;

namespace Scute.Engine.Sharing;

/// <summary>
/// login: the registry is asked (GET /v2/) with the credentials first, and only credentials it
/// accepts are written to the containers auth file; logout removes them. The password is never
/// printed, logged or audited: messages name the user alone.
/// </summary>
public static class LoginOperation
{
    public static string Login(string registry, string user, string password, Func<string, string?>? environment = null, HttpMessageHandler? transport = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        var env = environment ?? Environment.GetEnvironmentVariable;
        var host = Host(registry);
        if (string.IsNullOrEmpty(user) || user.Contains(':', StringComparison.Ordinal))
        {
            throw new EngineException("login needs a user name without ':' (--username)");
        }

        if (password.Length == 0)
        {
            throw new EngineException("login needs a password: give it on standard input with --password-stdin");
        }

        var credential = new RegistryCredential(user, password);
        using (var client = new RegistryClient(host, credential, env(RegistryEndpoint.InsecureVariable), transport))
        {
            if (!Task.Run(() => client.PingAsync(CancellationToken.None)).GetAwaiter().GetResult())
            {
                throw new ImageException($"login to {host} failed: the registry refused user {user} (wrong user name or password)");
            }
        }

        var file = RegistryAuthFile.PathFor(env);
        RegistryAuthFile.Store(file, host, credential);
        return file;
    }

    /// <summary>Removes the registry's entry from the auth file login writes; the file, and whether there was one.</summary>
    public static (string File, bool Removed) Logout(string registry, Func<string, string?>? environment = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        var file = RegistryAuthFile.PathFor(env);
        return (file, RegistryAuthFile.Remove(file, Host(registry)));
    }

    /// <summary>A registry is named by host[:port] alone, as in an image reference before the first '/'.</summary>
    private static string Host(string registry)
    {
        var host = RegistryCredentials.HostOf(registry);
        try
        {
            _ = RegistryReference.Parse(host + "/x");
        }
        catch (ImageReferenceException e)
        {
            throw new ImageReferenceException($"\"{registry}\" is not a registry host[:port]: {e.Problem}", e);
        }

        return host;
    }
}
