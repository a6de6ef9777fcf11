using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Scute.Engine.Tests.Sbom;

/// <summary>The fields SPDX 2.3 requires of a document, its packages and relationships (spec clauses 6, 7, 11), checked on parsed JSON.</summary>
internal static partial class SpdxShape
{
    [GeneratedRegex("^SPDXRef-[A-Za-z0-9.-]+$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(NOASSERTION|(Person|Organization|Tool): [^()]+( \([^()]*\))?)$")]
    private static partial Regex SupplierPattern();

    public static void AssertValid(JsonNode document)
    {
        Assert.Equal("SPDX-2.3", document["spdxVersion"]!.GetValue<string>());
        Assert.Equal("CC0-1.0", document["dataLicense"]!.GetValue<string>());
        Assert.Equal("SPDXRef-DOCUMENT", document["SPDXID"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(document["name"]!.GetValue<string>()));
        Assert.True(Uri.TryCreate(document["documentNamespace"]!.GetValue<string>(), UriKind.Absolute, out var ns) && !ns.Fragment.Contains('#', StringComparison.Ordinal));
        var creation = document["creationInfo"]!;
        Assert.Matches(DatePattern(), creation["created"]!.GetValue<string>());
        Assert.NotEmpty(creation["creators"]!.AsArray());

        var ids = new HashSet<string>(StringComparer.Ordinal) { "SPDXRef-DOCUMENT" };
        foreach (var p in document["packages"]!.AsArray())
        {
            var id = p!["SPDXID"]!.GetValue<string>();
            Assert.Matches(IdPattern(), id);
            Assert.True(ids.Add(id), "duplicate SPDXID " + id);
            Assert.False(string.IsNullOrEmpty(p["name"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(p["versionInfo"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(p["downloadLocation"]!.GetValue<string>()));
            Assert.Matches(SupplierPattern(), p["supplier"]!.GetValue<string>());
        }

        var relationships = document["relationships"]!.AsArray();
        Assert.Contains(relationships, r => r!["spdxElementId"]!.GetValue<string>() == "SPDXRef-DOCUMENT" && r["relationshipType"]!.GetValue<string>() == "DESCRIBES");
        foreach (var r in relationships)
        {
            Assert.Contains(r!["spdxElementId"]!.GetValue<string>(), ids);
            Assert.Contains(r["relatedSpdxElement"]!.GetValue<string>(), ids);
            Assert.Contains(r["relationshipType"]!.GetValue<string>(), new[] { "DESCRIBES", "CONTAINS" });
        }

        // Every package but the described one is contained in it.
        var contained = relationships.Where(r => r!["relationshipType"]!.GetValue<string>() == "CONTAINS").Select(r => r!["relatedSpdxElement"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(ids.Count - 2, contained.Count);
    }
}
