using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scute.Cli.Output;

/// <summary>Writes --json output: indented, keys in the order the command built them, no reflection.</summary>
public static class JsonOut
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = JsonNodeContext.Default,
    };

    public static void Write(TextWriter writer, JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(node);
        WholeText.Write(writer, node.ToJsonString(Options) + writer.NewLine);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonNode))]
internal sealed partial class JsonNodeContext : System.Text.Json.Serialization.JsonSerializerContext;
