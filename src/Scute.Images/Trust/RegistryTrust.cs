using Scute.Images.Registry;
using Scute.Manifest;

namespace Scute.Images.Trust;

/// <summary>Where Scute fetches from a registry (a base image, a pulled environment), the site's signature policy decides first.</summary>
public static class RegistryTrust
{
    /// <summary>
    /// containers-policy.json for this reference (see <see cref="ContainersPolicy"/>). Under a scope
    /// that needs signatures, the top manifest's digest is resolved and checked here, before any
    /// blob is fetched or unpacked, and the returned reference pins it.
    /// </summary>
    public static RegistryReference Pin(RegistryReference name, RegistryClient client, Func<string, string?> env, Action<string>? log)
    {
        if (ContainersPolicy.Load(env) is not { } policy)
        {
            return name;
        }

        var docker = DockerName.From(name);
        var (scope, requirements) = policy.For(docker);
        if (!SignaturePolicyCheck.NeedsSignatures(requirements))
        {
            return name;
        }

        var top = client.GetManifestAsync(name.Repository, name.Digest ?? name.Tag ?? "latest", CancellationToken.None).GetAwaiter().GetResult();
        SignaturePolicyCheck.EnforceAsync(
            scope, requirements, docker, top.Digest,
            () => SignatureStore.ReadAsync(client, client, name.Repository, top.Digest, CancellationToken.None)).GetAwaiter().GetResult();
        log?.Invoke($"{name}: manifest {top.Digest} accepted by signature policy scope {scope}");
        return name with { Digest = top.Digest.ToString() };
    }
}
