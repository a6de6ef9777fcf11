using System.Text.Json.Nodes;
using Scute.Engine;

namespace Scute.Cli.Output;

/// <summary>The documented --json shape of a build (docs/cli.md), also what the D-Bus service returns.</summary>
public static class BuildJson
{
    public static JsonObject From(BuildResult result) =>
        new()
        {
            ["env_id"] = result.EnvId,
            ["short_id"] = result.ShortId,
            ["name"] = result.Name,
            ["lock"] = result.LockPath,
            ["base_digest"] = result.BaseDigest.ToString(),
            ["state"] = result.State.ToString().ToLowerInvariant(),
            ["existed"] = result.Existed,
            ["packages"] = new JsonArray([.. result.Packages.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["version"] = p.Version })]),
            ["packages_installed"] = result.PackagesInstalled,
            ["security"] = result.Security.ToJson(),
        };
}
