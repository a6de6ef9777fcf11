using System.Text;
using System.Text.Json.Nodes;
using Scute.Manifest;
using Scute.Runtime;
using Scute.Store;
using Scute.Store.Tar;

namespace Scute.Engine.Export;

/// <summary>
/// An environment as an OCI image, ready to be written: its layers (each stored layer, then the
/// current changes of its upper folder), converted to OCI layers and measured, and the config,
/// manifest and index that name them. Nothing is held in memory but the small JSON documents:
/// each layer is converted again, streaming, when it is written, and checked against its
/// measured digest. Disposing removes the packed upper folder from staging.
/// </summary>
internal sealed class EnvironmentImage : IDisposable
{
    /// <summary>Variables whose value Scute itself sets: the caller's own (TERM, LANG ...) stay out of the image.</summary>
    private static readonly HashSet<string> ImageVariables = new(StringComparer.Ordinal) { "PATH", "HOME", "USER", "SHELL", "SCUTE_ENV" };

    private readonly string _staging;

    private EnvironmentImage(string staging, IReadOnlyList<ImageLayer> layers, byte[] config, byte[] manifest, string refName)
    {
        _staging = staging;
        Layers = layers;
        Config = config;
        ConfigBlob = new OciBlob(Digest.Compute(config), config.Length);
        Manifest = manifest;
        ManifestBlob = new OciBlob(Digest.Compute(manifest), manifest.Length);
        RefName = refName;
        Index = OciImageDocuments.Index(ManifestBlob, refName);
    }

    public IReadOnlyList<ImageLayer> Layers { get; }

    public byte[] Config { get; }

    public OciBlob ConfigBlob { get; }

    public byte[] Manifest { get; }

    public OciBlob ManifestBlob { get; }

    public byte[] Index { get; }

    public string RefName { get; }

    /// <summary>The content-addressed name Podman knows the image by: localhost/scute/&lt;name or short_id&gt;:&lt;short_id&gt;.</summary>
    public static string Tag(EnvironmentMetadata env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return $"localhost/scute/{(env.Name ?? env.ShortId).ToLowerInvariant()}:{env.ShortId}";
    }

    /// <summary>The labels every exported image carries (documented in docs/export.md).</summary>
    public static SortedDictionary<string, string> Labels(EnvironmentMetadata env, string profile)
    {
        ArgumentNullException.ThrowIfNull(env);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["org.scute.env-id"] = env.EnvId,
            ["org.scute.short-id"] = env.ShortId,
            ["org.scute.manifest-digest"] = Digest.Compute(Encoding.UTF8.GetBytes(env.ManifestJson)).ToString(),
            ["org.scute.profile"] = profile,
            ["org.scute.base-digest"] = env.BaseDigest.ToString(),
        };
        if (LockChecksum(env.ManifestPath) is { } checksum)
        {
            labels["org.scute.lock-checksum"] = checksum;
        }

        return labels;
    }

    /// <summary>Measures every layer; the caller holds the store lock so nothing it reads changes meanwhile.</summary>
    public static EnvironmentImage Prepare(ScuteStore store, EnvironmentMetadata env, RunSpec spec, string profile)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(spec);
        var staging = store.CreateStagingDir();
        try
        {
            var sources = new List<(Func<Stream> Open, LayerOrigin Origin)>();
            foreach (var layer in env.Layers)
            {
                var tar = store.Layers.Get(layer).TarDigest;
                sources.Add((() => store.Objects.OpenRead(tar), new LayerOrigin(layer, tar)));
            }

            var upperTar = Path.Combine(staging, "upper.tar");
            using (var file = new FileStream(upperTar, FileMode.CreateNew, FileAccess.Write))
            {
                var upper = new EnvironmentDirs(store.Layout.EnvDir(env.EnvId)).Upper;
                Directory.CreateDirectory(upper);
                DeterministicTarPacker.Pack(upper, file, overlayUpper: true);
            }

            sources.Add((() => new FileStream(upperTar, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), new LayerOrigin(null, FileDigest(upperTar))));
            var accountTar = Path.Combine(staging, "account.tar");
            using (var file = new FileStream(accountTar, FileMode.CreateNew, FileAccess.Write))
            {
                AccountLayer.Write(spec, file);
            }

            sources.Add((() => new FileStream(accountTar, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), LayerOrigin.Account));
            // An upper folder with no changes packs to nothing: no layer for it.
            var layers = sources.Select(s => new ImageLayer(s.Open, Measure(s.Open), s.Origin)).Where(l => l.Blob.Size > 0).ToList();
            var config = OciImageDocuments.Config(new ImageConfigInput
            {
                Uid = spec.Uid,
                Gid = spec.Gid,
                Cmd = spec.Command,
                Env = spec.Environment.Where(kv => ImageVariables.Contains(kv.Key)).ToDictionary(StringComparer.Ordinal),
                Labels = Labels(env, profile),
                DiffIds = [.. layers.Select(l => l.Blob.Digest)],
            });
            var manifest = OciImageDocuments.Manifest(
                new OciBlob(Digest.Compute(config), config.Length),
                [.. layers.Select(l => l.Blob)],
                new Dictionary<string, string>());
            return new EnvironmentImage(staging, layers, config, manifest, Tag(env));
        }
        catch
        {
            Cleanup(staging);
            throw;
        }
    }

    public void Dispose() => Cleanup(_staging);

    /// <summary>Staging holds only the packed upper folder, a file of ours; a leftover is swept with staging.</summary>
    private static void Cleanup(string staging)
    {
        try
        {
            Directory.Delete(staging, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Digest FileDigest(string path)
    {
        using var file = File.OpenRead(path);
        return Digest.Compute(file);
    }

    private static OciBlob Measure(Func<Stream> open)
    {
        using var source = open();
        using var sink = new DigestingWriteStream(null);
        OciLayerConverter.Convert(source, sink);
        return sink.Finish();
    }

    /// <summary>The checksum of the lock beside the manifest, verified; none when there is no lock.</summary>
    private static string? LockChecksum(string manifestPath)
    {
        var path = ManifestFiles.LockPathFor(manifestPath);
        if (!File.Exists(path))
        {
            return null;
        }

        _ = LockFileIo.Read(path); // refuses a lock changed outside scute
        return JsonNode.Parse(File.ReadAllBytes(path))?[LockFileIo.ChecksumKey]?.GetValue<string>();
    }
}

/// <summary>
/// Where an image layer comes from: a store layer (its description and tar), the upper folder
/// (<see cref="StoreLayer"/> null, <see cref="Tar"/> the packed upper), or the generated account layer (both null).
/// </summary>
internal sealed record LayerOrigin(Digest? StoreLayer, Digest? Tar)
{
    public static readonly LayerOrigin Account = new(null, null);

    public bool IsUpper => StoreLayer is null && Tar is not null;
}

/// <summary>One layer of an exported image: how to read its Scute tar again, its OCI blob, and where it comes from.</summary>
internal sealed record ImageLayer(Func<Stream> Open, OciBlob Blob, LayerOrigin Origin)
{
    /// <summary>Converts the layer again into <paramref name="output"/>; content that no longer matches its measure is an error.</summary>
    public void WriteTo(Stream output)
    {
        using var source = Open();
        using var sink = new DigestingWriteStream(output);
        OciLayerConverter.Convert(source, sink);
        if (sink.Finish() != Blob)
        {
            throw new EngineException($"layer {Blob.Digest} changed while it was exported; export again");
        }
    }
}
