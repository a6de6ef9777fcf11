using Scute.Engine.Packages;
using Scute.Engine.Sbom;
using Scute.Images;
using Scute.Manifest;
using Scute.Policy;
using Scute.Policy.Host;
using Scute.Store;

namespace Scute.Engine.Operations;

/// <summary>
/// build: parse, validate, resolve the image, compute the identity, record the environment and
/// write the lock. Everything that can be refused is refused before the store is touched.
/// </summary>
public static class BuildOperation
{
    /// <param name="options">--locked, --offline, and -v (the package manager's output, the platform chosen from an index, blobs fetched).</param>
    public static BuildResult Run(EngineContext context, string? manifestPath, string? name, TimeProvider clock, BuildOptions? options = null)
    {
        var input = Prepare(context, manifestPath, name, options);
        var store = context.OpenOrCreateStore();
        BuildResult result;
        using (store.LockForChange())
        {
            using var op = store.Wal.Begin("build", clock: clock);
            var verbose = options?.Verbose;
            result = Apply(store, input, name, clock, op, verbose is null ? null : line => verbose.WriteLine("scute: " + line));
            op.Complete();
        }

        // [gui] apps go into the host's menu once the build is recorded (exporting takes the lock again to read the layers).
        return result.Apps.Count == 0 ? result : result with { Warnings = Launchers.AppLaunchers.ExportGuiApps(context, result.EnvId) };
    }

    /// <summary>Everything that can be refused, before the store is touched.</summary>
    internal sealed record BuildInput(string Path, EnvironmentManifest Manifest, EffectiveSecurityContext Security, ImageReference Reference, PackageRequest? Packages)
    {
        /// <summary>build --offline: nothing is downloaded or installed.</summary>
        public bool Offline { get; init; }

        public ITransferProgress? Progress { get; init; }
    }

    internal static BuildInput Prepare(EngineContext context, string? manifestPath, string? name, BuildOptions? options = null)
    {
        options ??= new BuildOptions();
        var path = manifestPath is null
            ? ManifestFiles.FindDefault(Directory.GetCurrentDirectory())
            : Path.GetFullPath(manifestPath);
        var manifest = ManifestParser.ParseFile(path);
        // A malformed reference is a manifest error naming its line, before the policy sees it.
        var reference = ParseImage(manifest);
        var security = PolicyEngine.Enforce(manifest, HostPolicyLoader.Load()).Context;
        ValidateSeccompProfile(manifest, security.Seccomp);
        BackendFactory.EnsureSupported(manifest.Runtime.Backend);
        if (name is not null)
        {
            EnvironmentNames.Validate(name);
        }

        if (options.Locked)
        {
            var lockPath = ManifestFiles.LockPathFor(path);
            if (!File.Exists(lockPath))
            {
                throw new LockException($"--locked: there is no lock file {lockPath}; run scute build without --locked to write it");
            }

            LockDrift.Require(lockPath, LockFileIo.Read(lockPath), manifest, CanonicalJson.Serialize(security.ToJson()));
        }

        var packages = PackagesFor(path, manifest, options) is { } request ? request with { RunnerOverride = context.InstallRunnerOverride } : null;
        if (packages is { Offline: false })
        {
            InstallRun.RequireSubordinateIds(context.InstallRunnerOverride);
        }

        return new BuildInput(path, manifest, security, reference, packages) { Offline = options.Offline, Progress = options.Progress };
    }

    /// <summary>Under the store lock: resolves the image and records the environment, each step in <paramref name="op"/> first.</summary>
    internal static BuildResult Apply(ScuteStore store, BuildInput input, string? name, TimeProvider clock, Store.Wal.WalOperation op, Action<string>? log = null)
    {
        var (path, manifest, security, reference, packageRequest) = input;
        // The lock's version of an alias or URL, while it names the same reference: a rebuild keeps it.
        var image = new ImageResolver(store, log, offline: input.Offline, progress: input.Progress)
            .Resolve(reference, LockedImage.Find(path, reference), LockedImage.ManifestDigest(path, reference));
        var baseLayer = BaseLayer.Ensure(store, image);
        DependencyLayer.Result? dependency = null;
        if (packageRequest is not null)
        {
            using var installing = input.Progress?.Start($"packages ({packageRequest.Names.Count})", null);
            dependency = DependencyLayer.Ensure(store, image, baseLayer, packageRequest, op);
        }

        IReadOnlyList<ResolvedPackage> packages = dependency?.Packages ?? [];
        var securityJson = CanonicalJson.Serialize(security.ToJson());
        var envId = EnvIdentity.ComputeEnvId(IdentityInputs.For(manifest, image.ContentDigest.ToString(), packages, securityJson));
        var shortId = EnvIdentity.ShortId(envId);
        var existing = store.Metadata.List();
        if (name is not null && existing.FirstOrDefault(m => m.Name == name && m.EnvId != envId) is { } other)
        {
            throw new EngineException(
                $"the name '{name}' is already used by environment {other.ShortId}; to replace it with what this manifest now says, run scute rebuild, or choose another --name");
        }

        store.Metadata.TryGet(envId, out var previous);
        ExistingIdentity.Check(previous, name);
        var envDir = store.Layout.EnvDir(envId);
        if (!Directory.Exists(envDir))
        {
            op.RemoveOnRollback(envDir);
        }

        EnvironmentDirs.Create(envDir);
        var sbom = RecordSbom(store, envId, manifest, image, dependency, packages);
        var now = clock.GetUtcNow();
        AuditOperation.RecordBuild(store, envId, manifest, security, now);
        op.RestoreMetadataOnRollback(envId);
        var metadata = new EnvironmentMetadata
        {
            EnvId = envId,
            ShortId = shortId,
            Name = name ?? previous?.Name,
            State = previous?.State ?? EnvState.Built,
            ManifestPath = path,
            BaseReference = manifest.BaseImage,
            BaseDigest = image.ContentDigest,
            ImageKey = image.Key,
            Backend = manifest.Runtime.Backend,
            Layers = dependency is null ? [baseLayer] : [baseLayer, dependency.Layer],
            ManifestJson = CanonicalManifest.ToJson(manifest),
            SecurityJson = securityJson,
            CreatedAt = previous?.CreatedAt ?? now,
            UpdatedAt = now,
            Snapshots = previous?.Snapshots ?? [],
            CurrentSnapshot = previous?.CurrentSnapshot,
            Sbom = sbom,
        };
        store.Metadata.Put(metadata);
        Prepared.ExecPreparation.Write(store, metadata);
        var lockPath = ManifestFiles.LockPathFor(path);
        LockFileIo.Write(lockPath, new LockFile
        {
            LockVersion = 1,
            EnvId = envId,
            ShortId = shortId,
            BaseReference = manifest.BaseImage,
            BaseDigest = image.ContentDigest.ToString(),
            BaseManifestDigest = image.ManifestDigest?.ToString(),
            BaseVersion = image.SourceVersion,
            BaseSha256 = image.SourceSha256,
            Backend = manifest.Runtime.Backend,
            Gpu = manifest.Gpu,
            Audio = manifest.Audio,
            Mounts = [.. manifest.Mounts.Select(m => new LockMount(m.Label, m.Written))],
            NetworkIsolation = manifest.Runtime.NetworkIsolation,
            CpuShares = manifest.Runtime.CpuShares,
            MemoryLimitMb = manifest.Runtime.MemoryLimitMb,
            Packages = packages,
            Apps = manifest.Apps,
            SecurityContextJson = securityJson,
        });
        return new BuildResult(envId, shortId, name ?? previous?.Name, lockPath, image.ContentDigest, security, manifest.Security is null)
        {
            State = previous?.State ?? EnvState.Built,
            Existed = previous is not null,
            Packages = packages,
            PackagesInstalled = dependency?.Installed ?? false,
            Apps = manifest.Apps,
        };
    }

    /// <summary>The SPDX document of the layers just recorded (the Dependency layer's tree over the base), put in the object store.</summary>
    private static Digest RecordSbom(ScuteStore store, string envId, EnvironmentManifest manifest, ResolvedImage image, DependencyLayer.Result? dependency, IReadOnlyList<ResolvedPackage> packages)
    {
        IReadOnlyList<string> roots = dependency is null
            ? [image.RootfsPath]
            : [DependencyLayer.TreeDir(store, image.Key, dependency.Layer), image.RootfsPath];
        var subject = new SbomSubject(envId, manifest.BaseImage, image.ContentDigest, image.ManifestDigest, manifest.Apps, packages, EnvironmentSbom.SourceDate(null));
        return EnvironmentSbom.Record(store, EnvironmentSbom.Describe(subject, roots));
    }

    /// <summary>
    /// The names to install ([system].packages and [gui].apps together), and with --locked the
    /// versions the lock names, which must cover exactly those names.
    /// </summary>
    private static PackageRequest? PackagesFor(string path, EnvironmentManifest manifest, BuildOptions options)
    {
        var names = manifest.Packages.Concat(manifest.Apps).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var lockPath = ManifestFiles.LockPathFor(path);
        if (!options.Locked)
        {
            return names.Count == 0 ? null : new PackageRequest(names, null, lockPath, options.Offline, options.Verbose);
        }

        // A missing lock and names that drifted were refused with every other drifted field in Prepare (LockDrift).
        var locked = LockFileIo.Read(lockPath).Packages;
        if (locked.FirstOrDefault(p => !PackageNames.IsVersion(p.Version)) is { } bad)
        {
            throw new LockException($"--locked: {lockPath} names version \"{bad.Version}\" for {bad.Name}, which is not a package version");
        }

        return names.Count == 0 ? null : new PackageRequest(names, locked, lockPath, options.Offline, options.Verbose);
    }

    private const string AcceptedImages =
        "builtin:busybox; a path or file:// URL of a rootfs tarball or folder; oci:, oci-archive:, docker-archive:; an http(s) URL of a rootfs tarball [#sha256=<64 hex>]; "
        + "an image alias such as debian/bookworm; host[:port]/repository[:tag][@sha256:<64 hex>]";

    private static ImageReference ParseImage(EnvironmentManifest manifest)
    {
        try
        {
            return ImageReference.Parse(manifest.BaseImage, manifest.SourceFolder);
        }
        catch (ImageReferenceException e)
        {
            var line = manifest.KeyLines.TryGetValue("base.image", out var l) ? l : (int?)null;
            throw new ManifestException(manifest.SourcePath, line, "base.image", $"\"{e.Reference}\": {e.Problem}", AcceptedImages, e);
        }
    }

    /// <summary>A custom seccomp profile is parsed now, so a bad one is refused at build (exit 2), not at the first exec.</summary>
    private static void ValidateSeccompProfile(EnvironmentManifest manifest, string seccomp)
    {
        if (!SeccompModes.IsProfilePath(seccomp))
        {
            return;
        }

        var line = manifest.KeyLines.TryGetValue("security.seccomp", out var l) ? l : (int?)null;
        try
        {
            _ = Runtime.Seccomp.SeccompProfile.Parse(File.ReadAllText(seccomp));
        }
        catch (Exception e) when (e is Runtime.ContainerSetupException or IOException or UnauthorizedAccessException)
        {
            throw new ManifestException(manifest.SourcePath, line, "security.seccomp", $"{seccomp}: {e.Message}", "an OCI seccomp profile (JSON)", e);
        }
    }
}
