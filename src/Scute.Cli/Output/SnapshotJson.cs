using System.Globalization;
using System.Text.Json.Nodes;
using Scute.Engine.Lifecycle;

namespace Scute.Cli.Output;

/// <summary>The documented --json shape of a snapshot (docs/cli.md).</summary>
public static class SnapshotJson
{
    public static JsonObject From(SnapshotInfo s) => new()
    {
        ["digest"] = s.Layer.ToString(),
        ["tar_digest"] = s.TarDigest.ToString(),
        ["parent"] = s.Parent?.ToString(),
        ["created_at"] = s.CreatedAt?.ToString("O", CultureInfo.InvariantCulture),
        ["note"] = s.Note,
        ["current"] = s.Current,
    };
}
