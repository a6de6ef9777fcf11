using System.Text;
using System.Text.Json.Nodes;
using Scute.Policy;
using Scute.Runtime.Podman;
using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Engine.Export;

/// <summary>
/// The podman backend's image: the environment exported as an OCI archive and loaded into the
/// caller's Podman under <see cref="EnvironmentImage.Tag"/>, again only when what it is made of
/// changed. What it is made of (layers, upper folder, config inputs) is hashed into a key kept
/// beside the environment's overlay with the config digest Podman then knows the image by.
/// </summary>
internal static class PodmanImage
{
    private const string StateFile = "podman-image";

    /// <summary>Loads the image when Podman lacks it or it is out of date; returns its tag. The caller holds the store lock.</summary>
    public static string Ensure(ScuteStore store, EnvironmentMetadata env)
    {
        var spec = RunSpecBuilder.Build(store, env, [], workingDir: "/", hostDevices: false);
        var profile = SecurityContextJson.Parse(env.SecurityJson).Profile;
        var tag = EnvironmentImage.Tag(env);
        var key = Key(store, env, spec, profile);
        var state = Path.Combine(store.Layout.EnvDir(env.EnvId), StateFile);
        var known = File.Exists(state) ? File.ReadAllText(state).Split(' ', StringSplitOptions.TrimEntries) : [];
        if (known.Length == 2 && known[0] == key && ImageId(tag) == known[1])
        {
            return tag;
        }

        using var image = EnvironmentImage.Prepare(store, env, spec, profile);
        var staging = store.CreateStagingDir();
        try
        {
            var archive = Path.Combine(staging, "image.tar");
            OciLayoutWriter.WriteArchive(image, archive);
            _ = PodmanCli.Check("load", "load", "-q", "-i", archive);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        AtomicFile.WriteAllText(state, $"{key} {image.ConfigBlob.Digest.Hex}");
        return tag;
    }

    private static string? ImageId(string tag)
    {
        var (code, stdout, _) = PodmanCli.Run("image", "inspect", "--format", "{{.Id}}", tag);
        return code == 0 ? stdout.Trim() : null;
    }

    /// <summary>Everything the image is made of, without reading the layers' content (they are content-addressed).</summary>
    private static string Key(ScuteStore store, EnvironmentMetadata env, Runtime.RunSpec spec, string profile)
    {
        var upper = new EnvironmentDirs(store.Layout.EnvDir(env.EnvId)).Upper;
        var config = OciImageDocuments.Config(new ImageConfigInput
        {
            Uid = spec.Uid,
            Gid = spec.Gid,
            Cmd = spec.Command,
            Env = spec.Environment,
            Labels = EnvironmentImage.Labels(env, profile),
            DiffIds = [],
        });
        var doc = new JsonObject
        {
            ["layers"] = new JsonArray([.. env.Layers.Select(l => (JsonNode?)JsonValue.Create(l.ToString()))]),
            ["upper"] = Directory.Exists(upper) ? TreeDigest.Compute(upper).ToString() : "",
            ["config"] = Encoding.UTF8.GetString(config),
        };
        return Digest.Compute(CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(doc.ToJsonString()))).Hex;
    }
}
