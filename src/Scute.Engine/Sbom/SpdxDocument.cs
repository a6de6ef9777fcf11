using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Scute.Engine.Sbom;

/// <summary>
/// An environment's SPDX 2.3 JSON document: the environment as the described package, which
/// CONTAINS the base image (with its digest), every installed package (exact version, supplier
/// from the database) and the apps. Canonical JSON: the same inputs give the same bytes.
/// </summary>
public static partial class SpdxDocument
{
    public const string MediaType = "application/spdx+json";
    public const string NamespacePrefix = "https://scute.invalid/spdx/env/";
    public const string EnvironmentId = "SPDXRef-Environment";
    public const string BaseImageId = "SPDXRef-BaseImage";
    private const string NoAssertion = SpdxSupplier.NoAssertion;

    public static byte[] Create(SbomSubject subject, IReadOnlyList<InstalledPackage> installed, string? distribution)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(installed);
        var packages = new JsonArray();
        var relationships = new JsonArray((JsonNode)Relationship("SPDXRef-DOCUMENT", "DESCRIBES", EnvironmentId));
        packages.Add((JsonNode)new JsonObject
        {
            ["SPDXID"] = EnvironmentId,
            ["name"] = "scute-environment-" + subject.EnvId[..12],
            ["versionInfo"] = subject.EnvId,
            ["downloadLocation"] = NoAssertion,
            ["supplier"] = NoAssertion,
            ["filesAnalyzed"] = false,
            ["primaryPackagePurpose"] = "CONTAINER",
        });
        packages.Add((JsonNode)BaseImage(subject));
        relationships.Add((JsonNode)Relationship(EnvironmentId, "CONTAINS", BaseImageId));

        var apps = new HashSet<string>(subject.Apps, StringComparer.Ordinal);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in installed)
        {
            var id = PackageId(p.Type, p.Name, p.Version, p.Architecture);
            listed.Add(p.Name);
            var node = new JsonObject
            {
                ["SPDXID"] = id,
                ["name"] = p.Name,
                ["versionInfo"] = p.Version,
                ["downloadLocation"] = NoAssertion,
                ["supplier"] = SpdxSupplier.From(p.Maintainer),
                ["filesAnalyzed"] = false,
                ["externalRefs"] = new JsonArray(Purl(p.Type, distribution, p.Name, p.Version, p.Architecture)),
            };
            if (apps.Contains(p.Name))
            {
                node["comment"] = "app of the manifest ([gui].apps)";
            }

            packages.Add((JsonNode)node);
            relationships.Add((JsonNode)Relationship(EnvironmentId, "CONTAINS", id));
        }

        // An app no database lists (a base without one): named with the version the build resolved.
        foreach (var app in subject.Apps.Where(a => !listed.Contains(a)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var version = subject.Resolved.FirstOrDefault(r => r.Name == app)?.Version ?? NoAssertion;
            var id = PackageId("app", app, version, null);
            packages.Add((JsonNode)new JsonObject
            {
                ["SPDXID"] = id,
                ["name"] = app,
                ["versionInfo"] = version,
                ["downloadLocation"] = NoAssertion,
                ["supplier"] = NoAssertion,
                ["filesAnalyzed"] = false,
                ["comment"] = "app of the manifest ([gui].apps)",
            });
            relationships.Add((JsonNode)Relationship(EnvironmentId, "CONTAINS", id));
        }

        var document = new JsonObject
        {
            ["spdxVersion"] = "SPDX-2.3",
            ["dataLicense"] = "CC0-1.0",
            ["SPDXID"] = "SPDXRef-DOCUMENT",
            ["name"] = "scute-environment-" + subject.EnvId,
            ["documentNamespace"] = NamespacePrefix + subject.EnvId,
            ["creationInfo"] = new JsonObject
            {
                ["created"] = subject.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["creators"] = new JsonArray("Tool: scute"),
            },
            ["packages"] = packages,
            ["relationships"] = relationships,
        };
        return CanonicalJson.SerializeToUtf8Bytes(document);
    }

    /// <summary>
    /// SPDXRef-[A-Za-z0-9.-]+ unique per (type, name, version, architecture): the readable part
    /// loses characters such as '+' and '_', so a short hash of all four keeps ids apart.
    /// </summary>
    public static string PackageId(string type, string name, string version, string? architecture)
    {
        var key = string.Join('\0', type, name, version, architecture ?? string.Empty);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        return $"SPDXRef-{type}-{NotIdChars().Replace(name, "-")}-{hash}";
    }

    private static JsonObject BaseImage(SbomSubject subject)
    {
        var digest = subject.BaseManifestDigest ?? subject.BaseDigest;
        var node = new JsonObject
        {
            ["SPDXID"] = BaseImageId,
            ["name"] = subject.BaseReference,
            ["versionInfo"] = digest.ToString(),
            ["downloadLocation"] = NoAssertion,
            ["supplier"] = NoAssertion,
            ["filesAnalyzed"] = false,
            ["checksums"] = new JsonArray(new JsonObject { ["algorithm"] = "SHA256", ["checksumValue"] = digest.Hex }),
            ["primaryPackagePurpose"] = "CONTAINER",
            ["comment"] = $"base image; content digest {subject.BaseDigest} (sha256 of its unpacked tree as Scute packs it)",
        };
        return node;
    }

    private static JsonObject Purl(string type, string? distribution, string name, string version, string? architecture)
    {
        var ns = distribution is null ? string.Empty : Uri.EscapeDataString(distribution) + "/";
        var purl = $"pkg:{type}/{ns}{Uri.EscapeDataString(name)}@{Uri.EscapeDataString(version)}";
        if (architecture is not null)
        {
            purl += "?arch=" + Uri.EscapeDataString(architecture);
        }

        return new JsonObject { ["referenceCategory"] = "PACKAGE-MANAGER", ["referenceType"] = "purl", ["referenceLocator"] = purl };
    }

    private static JsonObject Relationship(string from, string type, string to) =>
        new() { ["spdxElementId"] = from, ["relationshipType"] = type, ["relatedSpdxElement"] = to };

    [GeneratedRegex("[^A-Za-z0-9.-]")]
    private static partial Regex NotIdChars();
}
