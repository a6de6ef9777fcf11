using System.Text.Json.Nodes;

namespace Scute.Tests.Shared;

/// <summary>One root.tar.xz as an image server lists it.</summary>
public sealed record StreamsRootfs(string Os, string Release, string Arch, string Version, string Path, string Sha256, long Size)
{
    public string Product => $"{Os}:{Release}:{Arch}:default";

    /// <summary>Where images.linuxcontainers.org puts it: images/&lt;os&gt;/&lt;release&gt;/&lt;arch&gt;/default/&lt;version&gt;/rootfs.tar.xz.</summary>
    public static string ServerPath(string os, string release, string arch, string version) =>
        $"images/{os}/{release}/{arch}/default/{version}/rootfs.tar.xz";
}

/// <summary>
/// streams/v1/index.json and streams/v1/images.json in the shape images.linuxcontainers.org
/// serves them (fields the client ignores included, and the other items of a version next to
/// root.tar.xz), so the tests exercise the real format.
/// </summary>
public static class SimpleStreamsDocuments
{
    public const string ImagesPath = "streams/v1/images.json";

    public static string Index(IEnumerable<StreamsRootfs> items)
    {
        var products = new JsonArray();
        foreach (var p in items.Select(i => i.Product).Distinct().Order(StringComparer.Ordinal))
        {
            products.Add((JsonNode)p);
        }

        return new JsonObject
        {
            ["format"] = "index:1.0",
            ["index"] = new JsonObject
            {
                ["images"] = new JsonObject
                {
                    ["datatype"] = "image-downloads",
                    ["path"] = ImagesPath,
                    ["updated"] = "Wed, 01 Jan 2025 05:24:00 +0000",
                    ["products"] = products,
                    ["format"] = "products:1.0",
                },
            },
        }.ToJsonString();
    }

    public static string Images(IEnumerable<StreamsRootfs> items)
    {
        var products = new JsonObject();
        foreach (var group in items.GroupBy(i => i.Product))
        {
            var first = group.First();
            var versions = new JsonObject();
            foreach (var item in group)
            {
                var folder = item.Path[..item.Path.LastIndexOf('/')];
                versions[item.Version] = new JsonObject
                {
                    ["items"] = new JsonObject
                    {
                        ["incus.tar.xz"] = new JsonObject
                        {
                            ["ftype"] = "incus.tar.xz",
                            ["sha256"] = new string('1', 64),
                            ["size"] = 512,
                            ["path"] = folder + "/incus.tar.xz",
                            ["combined_rootxz_sha256"] = new string('2', 64),
                        },
                        ["root.tar.xz"] = new JsonObject
                        {
                            ["ftype"] = "root.tar.xz",
                            ["sha256"] = item.Sha256,
                            ["size"] = item.Size,
                            ["path"] = item.Path,
                        },
                        ["rootfs.squashfs"] = new JsonObject
                        {
                            ["ftype"] = "squashfs",
                            ["sha256"] = new string('3', 64),
                            ["size"] = 4096,
                            ["path"] = folder + "/rootfs.squashfs",
                        },
                    },
                };
            }

            products[group.Key] = new JsonObject
            {
                ["aliases"] = $"{first.Os}/{first.Release}/default,{first.Os}/{first.Release}",
                ["arch"] = first.Arch,
                ["os"] = char.ToUpperInvariant(first.Os[0]) + first.Os[1..],
                ["release"] = first.Release,
                ["release_title"] = first.Release,
                ["variant"] = "default",
                ["requirements"] = new JsonObject(),
                ["versions"] = versions,
            };
        }

        return new JsonObject
        {
            ["content_id"] = "images",
            ["datatype"] = "image-downloads",
            ["format"] = "products:1.0",
            ["products"] = products,
        }.ToJsonString();
    }
}
