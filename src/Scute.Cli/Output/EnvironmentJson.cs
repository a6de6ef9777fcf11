using System.Text.Json.Nodes;
using Scute.Store;

namespace Scute.Cli.Output;

/// <summary>The documented --json shape of an environment (docs/cli.md).</summary>
public static class EnvironmentJson
{
    public static JsonObject From(EnvironmentMetadata m, bool full)
    {
        var o = new JsonObject
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
        if (full)
        {
            o["layers"] = new JsonArray([.. m.Layers.Select(l => (JsonNode?)JsonValue.Create(l.ToString()))]);
            o["manifest"] = JsonNode.Parse(m.ManifestJson);
            o["security"] = JsonNode.Parse(m.SecurityJson);
        }

        return o;
    }
}
