using Scute.Engine.Export;
using Scute.Images;
using Scute.Engine.Sbom;
using Scute.Images.Registry;
using Scute.Images.Trust;
using Scute.Manifest;
using Scute.Policy;
using Scute.Store;

namespace Scute.Engine.Sharing;

/// <summary>How a push runs: chunk size, progress, the -v log, what rides along, and the process environment (auth files).</summary>
public sealed record PushSettings
{
    public PushOptions Upload { get; init; } = new();

    public ITransferProgress? Progress { get; init; }

    public Action<string>? Log { get; init; }

    /// <summary>Artifacts to attach to the pushed image (SBOM, signatures) besides Scute's own environment record.</summary>
    public IReadOnlyList<IPushAttachments> Attachments { get; init; } = [];

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public HttpMessageHandler? Transport { get; init; }

    /// <summary>A private key (scute keygen) to sign the pushed manifest with; null pushes unsigned.</summary>
    public string? SignKeyFile { get; init; }
}

public sealed record PushResult(string ShortId, string Reference, Digest ManifestDigest, int Blobs, int Present, int Mounted, int Uploaded, int Chunks, IReadOnlyList<Digest> Attachments);

/// <summary>
/// push: the environment as the OCI image `export` writes (so Podman and skopeo can run it), its
/// manifest naming Scute's environment record, which holds what `pull` needs to recreate the
/// environment with the same identity; the record and any store tar that is not already an
/// image layer also ride as a referrer artifact, so the registry keeps them with the image.
/// </summary>
public static class PushOperation
{
    public const string RecordArtifactType = EnvironmentRecord.MediaType;

    public static PushResult Run(EngineContext context, string envReference, string target, PushSettings? settings = null)
    {
        settings ??= new PushSettings();
        var reference = RegistryAccess.Parse(target);
        if (reference.Digest is not null)
        {
            throw new ImageReferenceException($"\"{target}\": push needs a tag to put the image at, not a digest");
        }

        var tag = reference.Tag ?? "latest";
        var store = context.OpenExistingStore();
        using (store.LockForChange())
        {
            var env = EnvironmentFinder.Find(store, envReference);
            var security = SecurityContextJson.Parse(env.SecurityJson);
            var spec = RunSpecBuilder.Build(store, env, [], workingDir: "/", hostDevices: false);
            using var image = EnvironmentImage.Prepare(store, env, spec, security.Profile);
            var (record, extras) = Record(store, env, image);
            var recordBytes = record.ToBytes();
            var recordBlob = PushBlob.FromBytes(recordBytes, EnvironmentRecord.MediaType);
            var annotations = new Dictionary<string, string> { [EnvironmentRecord.Annotation] = recordBlob.Digest.ToString() };
            var manifest = OciImageDocuments.Manifest(image.ConfigBlob, [.. image.Layers.Select(l => l.Blob)], annotations);

            var blobs = new List<PushBlob> { PushBlob.FromBytes(image.Config, OciImageDocuments.ConfigMediaType) };
            blobs.AddRange(image.Layers.Select(l => new PushBlob(l.Blob.Digest, l.Blob.Size, OciImageDocuments.LayerMediaType, l.WriteTo)));
            blobs.Add(recordBlob);
            blobs.AddRange(extras);

            using var client = RegistryAccess.Open(reference.Registry, settings.Environment, settings.Transport);
            using var total = settings.Progress is { } p ? new TotalProgress(p, $"push {reference.Repository}", blobs.DistinctBy(b => b.Digest).Sum(b => b.Size)) : null;
            var pusher = new RegistryPusher(client, reference, RegistryAccess.PushedRepositories(store, reference.Registry), settings.Upload, total, settings.Log);
            var manifestDigest = Task.Run(async () =>
            {
                await pusher.PushBlobsAsync(blobs, CancellationToken.None).ConfigureAwait(false);
                return await pusher.PushManifestAsync(manifest, OciImageDocuments.ManifestMediaType, tag, CancellationToken.None).ConfigureAwait(false);
            }).GetAwaiter().GetResult();

            // What the image itself took; the artifacts below repeat some of its blobs.
            var (present, mounted, uploaded, chunks) = (pusher.Present, pusher.Mounted, pusher.Uploaded, pusher.Chunks);
            var pushed = new PushedImage(reference, manifestDigest, manifest.Length, OciImageDocuments.ManifestMediaType);
            var own = new ReferrerArtifact(RecordArtifactType, [recordBlob, .. extras], new Dictionary<string, string> { ["org.scute.env-id"] = env.EnvId });
            var sbom = new ReferrerArtifact(EnvironmentSbom.MediaType, [PushBlob.FromBytes(EnvironmentSbom.Read(store, env), EnvironmentSbom.MediaType)], new Dictionary<string, string> { ["org.scute.env-id"] = env.EnvId });
            var artifacts = settings.Attachments.SelectMany(a => a.For(pushed)).Prepend(sbom).Prepend(own).ToList();
            var attached = Task.Run(async () =>
            {
                var digests = new List<Digest>();
                foreach (var artifact in artifacts)
                {
                    digests.Add(await pusher.PushArtifactAsync(pushed, artifact, CancellationToken.None).ConfigureAwait(false));
                }

                return digests;
            }).GetAwaiter().GetResult();

            if (settings.SignKeyFile is { } keyFile)
            {
                Sign(reference with { Tag = tag, Digest = null }, manifestDigest, keyFile, settings);
            }

            RegistryAccess.RememberPush(store, reference.Registry, reference.Repository);
            var written = $"{reference.Registry}/{reference.Repository}:{tag}";
            return new PushResult(env.ShortId, written, manifestDigest, blobs.DistinctBy(b => b.Digest).Count(), present, mounted, uploaded, chunks, attached);
        }
    }

    /// <summary>
    /// A sigstore signature of the pushed manifest (simple signing, ECDSA P-256), attached at the
    /// <c>sha256-&lt;hex&gt;.sig</c> tag where containers/image and cosign look for it.
    /// </summary>
    private static void Sign(RegistryReference target, Digest manifestDigest, string keyFile, PushSettings settings)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EngineException($"--sign-key {keyFile}: {e.Message}");
        }

        using var key = SigningKeys.LoadPrivate(pem, keyFile);
        var dockerReference = $"{target.Registry}/{target.Repository}:{target.Tag}";
        var signature = SigstoreSignature.Sign(key, manifestDigest, dockerReference);
        var credential = RegistryCredentials.Find(target.Registry, RegistryCredentials.DefaultFiles(settings.Environment));
        Task.Run(() => SignatureStore.AttachAsync(target, manifestDigest, signature, credential, settings.Environment(RegistryEndpoint.InsecureVariable), settings.Transport, CancellationToken.None))
            .GetAwaiter().GetResult();
        settings.Log?.Invoke($"signed {dockerReference}@{manifestDigest} with {keyFile}");
    }

    /// <summary>
    /// The environment record, and the store tars it names that are not byte for byte an image
    /// layer already (a layer with whiteouts differs in its OCI form): those are pushed as they are.
    /// </summary>
    private static (EnvironmentRecord Record, List<PushBlob> Extras) Record(ScuteStore store, EnvironmentMetadata env, EnvironmentImage image)
    {
        if (!File.Exists(env.ManifestPath))
        {
            throw new EngineException($"the manifest of {env.ShortId}, {env.ManifestPath}, is gone; push needs it (and its lock) to recreate the environment elsewhere");
        }

        var lockPath = ManifestFiles.LockPathFor(env.ManifestPath);
        var lockFile = LockFileIo.Read(lockPath);
        if (lockFile.EnvId != env.EnvId)
        {
            throw new LockException($"{lockPath} names environment {lockFile.ShortId}, not {env.ShortId}: the manifest changed since it was built; run scute build (or rebuild) first");
        }

        var imageBlobs = image.Layers.Select(l => l.Blob.Digest).ToHashSet();
        var extras = new List<PushBlob>();
        PushBlob? Carrier(Digest tar, long size) =>
            imageBlobs.Contains(tar) ? null : new PushBlob(tar, size, OciImageDocuments.LayerMediaType, s =>
            {
                using var source = store.Objects.OpenRead(tar);
                source.CopyTo(s);
            });

        var layers = new List<RecordLayer>();
        foreach (var layer in env.Layers)
        {
            var description = store.Layers.Get(layer);
            var size = new FileInfo(store.Layout.ObjectPath(description.TarDigest)).Length;
            layers.Add(new RecordLayer(layer, System.Text.Encoding.UTF8.GetString(LayerStore.CanonicalBytes(description)), description.TarDigest, size));
            if (Carrier(description.TarDigest, size) is { } extra)
            {
                extras.Add(extra);
            }
        }

        (Digest, long)? upper = null;
        if (image.Layers.FirstOrDefault(l => l.Origin.IsUpper) is { } upperLayer)
        {
            using var measure = upperLayer.Open();
            var size = measure.Length;
            upper = (upperLayer.Origin.Tar!.Value, size);
            if (!imageBlobs.Contains(upperLayer.Origin.Tar.Value))
            {
                extras.Add(new PushBlob(upperLayer.Origin.Tar.Value, size, OciImageDocuments.LayerMediaType, s =>
                {
                    using var source = upperLayer.Open();
                    source.CopyTo(s);
                }));
            }
        }

        var record = new EnvironmentRecord
        {
            EnvId = env.EnvId,
            ShortId = env.ShortId,
            Name = env.Name,
            BaseReference = env.BaseReference,
            BaseDigest = env.BaseDigest,
            ImageKey = env.ImageKey,
            Backend = env.Backend,
            ManifestJson = env.ManifestJson,
            SecurityJson = env.SecurityJson,
            ManifestFile = Path.GetFileName(env.ManifestPath),
            ManifestText = File.ReadAllText(env.ManifestPath),
            LockText = File.ReadAllText(lockPath),
            Layers = layers,
            Upper = upper,
        };
        return (record, extras.DistinctBy(e => e.Digest).ToList());
    }
}
