using Scute.Engine.Packages;
using Scute.Images;
using Scute.Images.Oci;
using Scute.Images.Registry;
using Scute.Manifest;
using Scute.Engine.Sbom;
using Scute.Images.Trust;
using Scute.Policy;
using Scute.Policy.Host;
using Scute.Store;
using Scute.Store.Tar;
using Scute.Engine.Operations;

namespace Scute.Engine.Sharing;

/// <summary>How a pull runs: progress, the -v log, and the process environment (auth files, insecure registries).</summary>
public sealed record PullSettings
{
    public ITransferProgress? Progress { get; init; }

    public Action<string>? Log { get; init; }

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public HttpMessageHandler? Transport { get; init; }
}

public sealed record PullResult(string EnvId, string ShortId, string? Name, Digest ManifestDigest, bool Existed, int BlobsFetched, string ManifestPath);

/// <summary>
/// pull: reads the environment record an image pushed by Scute names, checks it against this
/// host before anything is kept (the manifest under this host's policy must give the same
/// security context, and manifest, lock and base must give the same env_id), then brings the
/// store tars in (each verified while it streams; those already here are not fetched again, so
/// a pull cut short resumes) and recreates the environment: layers, base rootfs, installed
/// packages, upper folder, manifest and lock, metadata. Runs offline afterwards.
/// </summary>
public static class PullOperation
{
    /// <summary>Where a pulled environment's manifest and lock are kept: in its own folder, removed with it.</summary>
    public const string ManifestDir = "manifest";

    public static PullResult Run(EngineContext context, string source, PullSettings? settings = null)
    {
        settings ??= new PullSettings();
        var reference = RegistryAccess.Parse(source);
        var store = context.OpenOrCreateStore();
        using var storeLock = store.LockForChange();
        using var client = RegistryAccess.Open(reference.Registry, settings.Environment, settings.Transport);
        // The site's signature policy (containers-policy.json) decides before anything is read further.
        reference = RegistryTrust.Pin(reference, client, settings.Environment, settings.Log);
        var (record, manifestDigest) = Task.Run(() => ReadRecordAsync(client, reference)).GetAwaiter().GetResult();

        var manifestPath = Path.Combine(store.Layout.EnvDir(record.EnvId), ManifestDir, record.ManifestFile);
        var (manifest, security, lockFile) = CheckHere(store, record, manifestPath, source);
        if (store.Metadata.TryGet(record.EnvId, out var present) && present is not null)
        {
            return new PullResult(present.EnvId, present.ShortId, present.Name, manifestDigest, Existed: true, 0, present.ManifestPath);
        }

        var tars = record.Layers.Select(l => new OciDescriptor { Digest = l.Tar, Size = l.TarSize }).ToList();
        if (record.Upper is { } upperTar)
        {
            tars.Add(new OciDescriptor { Digest = upperTar.Tar, Size = upperTar.Size });
        }

        var missing = tars.DistinctBy(t => t.Digest).Where(t => !store.Objects.Contains(t.Digest)).Sum(t => t.Size);
        using var total = settings.Progress is { } p ? new TotalProgress(p, $"pull {reference.Repository}", missing) : null;
        var puller = new RegistryPuller(client, client, store.Objects, settings.Log, progress: total);

        Task.Run(() => puller.FetchAsync(reference, tars, CancellationToken.None)).GetAwaiter().GetResult();

        using var op = store.Wal.Begin("pull", record.EnvId);
        var layers = StoreLayers(store, record, source);
        var image = BaseImage(store, record, layers, source);
        var keepSetuid = security.NoNewPrivileges;
        foreach (var (digest, description) in layers.Skip(1).Where(l => l.Description.Kind == LayerKind.Dependency))
        {
            var tree = DependencyLayer.TreeDir(store, image.Key, digest);
            if (!Directory.Exists(tree))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(tree)!);
                op.RemoveOnRollback(tree);
                ExtractInto(store, description.TarDigest, tree, keepSetuid);
            }
        }

        var envDir = store.Layout.EnvDir(record.EnvId);
        op.RemoveOnRollback(envDir);
        var dirs = EnvironmentDirs.Create(envDir);
        if (record.Upper is { } upper)
        {
            Directory.Delete(dirs.Upper);
            ExtractInto(store, upper.Tar, dirs.Upper, keepSetuid);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(manifestPath)!);
        AtomicFile.WriteAllText(manifestPath, record.ManifestText);
        AtomicFile.WriteAllText(ManifestFiles.LockPathFor(manifestPath), record.LockText);

        var sbom = FetchSbom(store, client, reference, manifestDigest, settings.Log);
        var now = DateTimeOffset.UtcNow;
        var name = record.Name is { } wanted && store.Metadata.List().All(m => m.Name != wanted) ? wanted : null;
        AuditOperation.RecordBuild(store, record.EnvId, manifest, security, now);
        op.RestoreMetadataOnRollback(record.EnvId);
        var metadata = new EnvironmentMetadata
        {
            EnvId = record.EnvId,
            ShortId = lockFile.ShortId,
            Name = name,
            State = EnvState.Built,
            ManifestPath = manifestPath,
            BaseReference = record.BaseReference,
            BaseDigest = record.BaseDigest,
            ImageKey = image.Key,
            Backend = record.Backend,
            Layers = [.. layers.Select(l => l.Digest)],
            ManifestJson = record.ManifestJson,
            SecurityJson = record.SecurityJson,
            Sbom = sbom,
            CreatedAt = now,
            UpdatedAt = now,
        };
        store.Metadata.Put(metadata);
        Prepared.ExecPreparation.Write(store, metadata);
        op.Complete();
        return new PullResult(record.EnvId, lockFile.ShortId, name, manifestDigest, Existed: false, puller.BlobsFetched, manifestPath);
    }

    /// <summary>
    /// The SBOM push attached to the image (an SPDX 2.3 referrer), kept as the environment's own;
    /// null when there is none (an environment without one gets it made from its layers on demand).
    /// </summary>
    private static Digest? FetchSbom(ScuteStore store, RegistryClient client, RegistryReference reference, Digest manifestDigest, Action<string>? log)
    {
        var bytes = Task.Run(() => ReferrerLookup.FindFirstBlobAsync(client, reference.Repository, manifestDigest, EnvironmentSbom.MediaType, CancellationToken.None)).GetAwaiter().GetResult();
        if (bytes is null)
        {
            log?.Invoke($"{reference}: no SBOM is attached");
            return null;
        }

        try
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(bytes)?["spdxVersion"]?.GetValue<string>() != "SPDX-2.3")
            {
                log?.Invoke($"{reference}: the attached SBOM is not an SPDX 2.3 document; not kept");
                return null;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            log?.Invoke($"{reference}: the attached SBOM is not JSON; not kept");
            return null;
        }

        return EnvironmentSbom.Record(store, bytes);
    }

    private static async Task<(EnvironmentRecord Record, Digest ManifestDigest)> ReadRecordAsync(RegistryClient client, RegistryReference reference)
    {
        var what = reference.ToString();
        var top = await client.GetManifestAsync(reference.Repository, reference.Digest ?? reference.Tag ?? "latest", CancellationToken.None).ConfigureAwait(false);
        var doc = OciDocuments.ParseDocument(top.Content, what);
        if (OciDocuments.IsIndex(doc, what) || doc.Annotations?.GetValueOrDefault(EnvironmentRecord.Annotation) is not { } named || !Digest.TryParse(named, out var recordDigest))
        {
            throw new ImageException($"{what} is not an environment pushed by scute (its manifest names no {EnvironmentRecord.Annotation}); to build on it, use it as base.image");
        }

        var body = await client.GetBlobAsync(reference.Repository, recordDigest, CancellationToken.None).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var bytes = OciDocuments.ReadCapped(body, $"{what}: environment record");
            var actual = Digest.Compute(bytes);
            if (actual != recordDigest)
            {
                throw new ContentDigestMismatchException($"{what}: environment record", recordDigest, actual);
            }

            return (EnvironmentRecord.Parse(bytes, $"{what}: environment record {recordDigest}"), top.Digest);
        }
    }

    /// <summary>
    /// Before anything is kept: this host's policy must accept the manifest and give it the very
    /// security context it was built with, and the identity must follow from what was sent.
    /// </summary>
    private static (EnvironmentManifest Manifest, EffectiveSecurityContext Security, LockFile Lock) CheckHere(ScuteStore store, EnvironmentRecord record, string manifestPath, string source)
    {
        var manifest = ManifestParser.Parse(record.ManifestText, manifestPath);
        var security = PolicyEngine.Enforce(manifest, HostPolicyLoader.Load()).Context;
        var securityJson = CanonicalJson.Serialize(security.ToJson());
        if (securityJson != record.SecurityJson)
        {
            throw new PolicyViolationException(
                $"{source}: this host's policy gives environment {record.ShortId} another security context than the one it was built with; nothing was kept (build it here from its manifest instead)");
        }

        var staging = store.CreateStagingDir();
        LockFile lockFile;
        try
        {
            var lockPath = Path.Combine(staging, "scute.lock");
            File.WriteAllText(lockPath, record.LockText);
            lockFile = LockFileIo.Read(lockPath);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        var envId = EnvIdentity.ComputeEnvId(IdentityInputs.For(manifest, record.BaseDigest.ToString(), lockFile.Packages, securityJson));
        if (envId != record.EnvId || lockFile.EnvId != record.EnvId || lockFile.BaseDigest != record.BaseDigest.ToString())
        {
            throw new ContentDigestMismatchException($"{source}: the environment record says env_id {record.EnvId}, but its manifest, lock and base give {envId}; nothing was kept");
        }

        return (manifest, security, lockFile);
    }

    /// <summary>The layer descriptions, stored under the digests they were sent with; their tars are in the object store by now.</summary>
    private static List<(Digest Digest, LayerDescription Description)> StoreLayers(ScuteStore store, EnvironmentRecord record, string source)
    {
        var layers = new List<(Digest, LayerDescription)>();
        foreach (var layer in record.Layers)
        {
            var (digest, description) = store.Layers.PutCanonical(System.Text.Encoding.UTF8.GetBytes(layer.Description), $"{source}: layer {layer.Layer}");
            if (digest != layer.Layer || description.TarDigest != layer.Tar)
            {
                throw new ContentDigestMismatchException($"{source}: layer description {layer.Layer} does not match what the record says of it");
            }

            layers.Add((digest, description));
        }

        if (layers.Count == 0 || layers[0].Item2.Kind != LayerKind.Base)
        {
            throw new ContentDigestMismatchException($"{source}: the environment record does not start with a base layer");
        }

        return layers;
    }

    /// <summary>The base rootfs in the image cache under the key it had where it was built, unpacked from the base tar; its tree must hash to the base digest.</summary>
    private static ResolvedImage BaseImage(ScuteStore store, EnvironmentRecord record, List<(Digest Digest, LayerDescription Description)> layers, string source)
    {
        var cache = new ImageCache(store);
        var (baseLayer, description) = layers[0];
        var image = cache.GetOrAdd(record.ImageKey, rootfs =>
        {
            using var tar = store.Objects.OpenRead(description.TarDigest);
            var result = SafeTarExtractor.Extract(tar, rootfs, new ExtractOptions { TreeDigest = true });
            tar.ReadToEndAndVerify();
            return result.TreeDigest;
        });
        if (image.ContentDigest != record.BaseDigest)
        {
            throw new ContentDigestMismatchException($"{source}: the base image unpacks to {image.ContentDigest}, not the {record.BaseDigest} the environment was built on");
        }

        AtomicFile.WriteAllText(store.Layout.ImageBaseLayerFile(image.Key), baseLayer.ToString());
        return image;
    }

    private static void ExtractInto(ScuteStore store, Digest tar, string target, bool keepSetuid)
    {
        var staging = store.CreateStagingDir();
        try
        {
            var tree = Path.Combine(staging, "tree");
            using (var stream = store.Objects.OpenRead(tar))
            {
                SafeTarExtractor.Extract(stream, tree, new ExtractOptions { OverlayWhiteouts = true, KeepSetuidBits = keepSetuid });
                stream.ReadToEndAndVerify();
            }

            Directory.Move(tree, target);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
