using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Scute.Engine.Devices;

/// <summary>
/// A YAML document as a JSON tree, the way CDI's own loader reads YAML (converted to JSON, then
/// decoded): a plain scalar that reads as an integer, a boolean or null becomes one; a quoted one
/// stays a string. The node model is walked by hand, so nothing here needs reflection.
/// </summary>
internal static class YamlToJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Node(stream.Documents[0].RootNode);
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode map => Object(map),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Node)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"unsupported YAML node at {node.Start}"),
    };

    private static JsonObject Object(YamlMappingNode map)
    {
        var o = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = key is YamlScalarNode { Value: { } k } ? k : throw new InvalidDataException($"a mapping key at {key.Start} is not a plain name");
            if (o.ContainsKey(name))
            {
                throw new InvalidDataException($"key '{name}' appears twice (line {key.Start.Line})");
            }

            o[name] = Node(value);
        }

        return o;
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            _ when text.StartsWith("0o", StringComparison.Ordinal) && TryOctal(text[2..], out var o) => JsonValue.Create(o),
            _ => JsonValue.Create(text),
        };
    }

    private static bool TryOctal(string digits, out long value)
    {
        value = 0;
        if (digits.Length is 0 or > 21)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        return true;
    }
}
