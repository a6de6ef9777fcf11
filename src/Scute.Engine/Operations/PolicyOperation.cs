using Scute.Manifest;
using Scute.Policy;
using Scute.Policy.Host;

namespace Scute.Engine.Operations;

/// <summary>policy: validate a manifest against the profile and host policy without building anything.</summary>
public static class PolicyOperation
{
    public static (EnvironmentManifest Manifest, PolicyDecision Decision) Run(string? manifestPath)
    {
        var path = manifestPath is null
            ? ManifestFiles.FindDefault(Directory.GetCurrentDirectory())
            : Path.GetFullPath(manifestPath);
        var manifest = ManifestParser.ParseFile(path);
        return (manifest, PolicyEngine.Evaluate(manifest, HostPolicyLoader.Load()));
    }
}
