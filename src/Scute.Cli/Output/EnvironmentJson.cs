using System.Text.Json.Nodes;
using Scute.Store;

namespace Scute.Cli.Output;

/// <summary>The documented --json shape of an environment (docs/cli.md).</summary>
public static class EnvironmentJson
{
    public static JsonObject From(EnvironmentMetadata m, bool full)
    {
        ArgumentNullException.ThrowIfNull(m);
        var o = From(EnvironmentSummary.Of(m));
        if (full)
        {
            o["layers"] = new JsonArray([.. m.Layers.Select(l => (JsonNode?)JsonValue.Create(l.ToString()))]);
            o["manifest"] = JsonNode.Parse(m.ManifestJson);
            o["security"] = JsonNode.Parse(m.SecurityJson);
        }

        return o;
    }

    /// <summary>The fields list shows (inspect adds the layers, manifest and security context).</summary>
    public static JsonObject From(EnvironmentSummary m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new JsonObject
        {
            ["env_id"] = m.EnvId,
            ["short_id"] = m.ShortId,
            ["name"] = m.Name,
            ["state"] = StateText.Of(m.State),
            ["backend"] = m.Backend,
            ["base_reference"] = m.BaseReference,
            ["base_digest"] = m.BaseDigest.ToString(),
            ["manifest_path"] = m.ManifestPath,
            ["created_at"] = m.CreatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
