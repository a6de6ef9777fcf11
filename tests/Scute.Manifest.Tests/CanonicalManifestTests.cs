using System.Text.Json.Nodes;
using Scute.Manifest.Tests.Support;
using Xunit;

namespace Scute.Manifest.Tests;

public class CanonicalManifestTests
{
    [Fact]
    public void Canonical_manifest_is_idempotent()
    {
        var json = CanonicalManifest.ToJson(Samples.Parse(Samples.Full));
        Assert.Equal(json, CanonicalJson.Serialize(JsonNode.Parse(json)));
        Assert.DoesNotContain("/project/scute.toml", json, StringComparison.Ordinal);
    }
}
