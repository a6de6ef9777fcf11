using System.Text;
using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Xunit;

namespace Scute.Core.Tests;

public class CanonicalJsonTests
{
    [Fact]
    public void Keys_are_sorted_and_whitespace_removed()
    {
        var node = JsonNode.Parse("""{ "b": [1, 2.0, {"z": null, "a": true}], "a": "x", "A": 1e2 }""");
        Assert.Equal("""{"A":100,"a":"x","b":[1,2,{"a":true,"z":null}]}""", CanonicalJson.Serialize(node));
    }

    [Fact]
    public void Non_ascii_text_stays_readable_utf8()
    {
        Assert.Equal("""{"k":"café"}""", CanonicalJson.Serialize(new JsonObject { ["k"] = "café" }));
    }

    [Property]
    public bool Serialization_is_idempotent(string[] keys, string[] values, int[] numbers)
    {
        var node = Build(keys, values, numbers);
        var once = CanonicalJson.Serialize(node);
        var twice = CanonicalJson.Serialize(JsonNode.Parse(once));
        return once == twice;
    }

    [Property]
    public bool Insertion_order_does_not_matter(string[] keys, int[] numbers)
    {
        var forward = new JsonObject();
        var backward = new JsonObject();
        var pairs = (keys ?? []).Select(Clean).Distinct().Zip((numbers ?? []).Concat(Enumerable.Repeat(0, keys?.Length ?? 0))).ToList();
        foreach (var (k, n) in pairs)
        {
            forward[k] = n;
        }

        foreach (var (k, n) in Enumerable.Reverse(pairs))
        {
            backward[k] = n;
        }

        return CanonicalJson.Serialize(forward) == CanonicalJson.Serialize(backward);
    }

    [Fact]
    public void Integral_rule_writes_each_integer_one_way()
    {
        Assert.Equal("""[1,1,100,-3,1.5]""", CanonicalJson.Serialize(JsonNode.Parse("[1, 1.0, 1e2, -3.0, 1.5]")));
        Assert.Equal("""[1,1,100,-3,1.5]""", Encoding.UTF8.GetString(CanonicalJson.Canonicalize("[1, 1.0, 1e2, -3.0, 1.5]"u8, CanonicalNumbers.Integral)));
    }

    [Fact]
    public void Literal_rule_keeps_each_numbers_text()
    {
        // Store metadata and OCI documents are hashed in this form: 1.0 must stay 1.0 under its digest.
        Assert.Equal("""{"a":1.0,"b":1e2,"c":[18446744073709551616]}""", Encoding.UTF8.GetString(CanonicalJson.Canonicalize("""{ "c": [18446744073709551616], "b": 1e2, "a": 1.0 }"""u8)));
        Assert.Equal("""[1.0,1e2]""", CanonicalJson.Serialize(JsonNode.Parse("[1.0, 1e2]"), CanonicalNumbers.Literal));
    }

    [Fact]
    public void Both_entry_points_agree_on_keys_strings_and_literals()
    {
        const string json = """{ "b": ["x\u00e9", true, null], "A": {"z": 2, "a": "\u2028"} }""";
        var viaNode = CanonicalJson.SerializeToUtf8Bytes(JsonNode.Parse(json));
        var viaElement = CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json));
        Assert.Equal(Encoding.UTF8.GetString(viaNode), Encoding.UTF8.GetString(viaElement));
    }

    [Fact]
    public void Top_level_filter_drops_only_top_level_keys()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""{"checksum":"x","a":{"checksum":"y"}}""");
        Assert.Equal("""{"a":{"checksum":"y"}}""", Encoding.UTF8.GetString(CanonicalJson.Canonicalize(doc.RootElement, name => name != "checksum")));
    }

    [Fact]
    public void Extra_property_is_sorted_in()
    {
        var bytes = CanonicalJson.WithExtraProperty(Encoding.UTF8.GetBytes("""{"b":1.0,"z":2}"""), "m", "v");
        Assert.Equal("""{"b":1.0,"m":"v","z":2}""", Encoding.UTF8.GetString(bytes));
    }

    private static JsonObject Build(string[] keys, string[] values, int[] numbers)
    {
        var obj = new JsonObject();
        var array = new JsonArray();
        foreach (var v in values ?? [])
        {
            array.Add((JsonNode?)JsonValue.Create(Clean(v)));
        }

        foreach (var n in numbers ?? [])
        {
            array.Add((JsonNode?)JsonValue.Create(n));
        }

        obj["array"] = array;
        var i = 0;
        foreach (var k in (keys ?? []).Select(Clean).Distinct())
        {
            obj["k_" + k] = new JsonObject { ["n"] = i++, ["nested"] = new JsonObject { ["s"] = k } };
        }

        return obj;
    }

    // FsCheck strings may hold lone surrogates, which no JSON writer accepts; keep the test about ordering.
    private static string Clean(string? s) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s ?? string.Empty));
}
