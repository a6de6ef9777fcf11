using Scute.Images;
using Scute.Manifest;
using Scute.Policy;
using Scute.Policy.Host;
using Scute.Store;

namespace Scute.Engine;

/// <summary>
/// build: parse, validate, resolve the image, compute the identity, record the environment and
/// write the lock. Everything that can be refused is refused before the store is touched.
/// </summary>
public static class BuildOperation
{
    public static BuildResult Run(string storeRoot, string? manifestPath, string? name, TimeProvider clock)
    {
        var input = Prepare(manifestPath, name);
        var store = ScuteStore.Open(storeRoot, create: true);
        using var storeLock = store.Lock();
        using var op = store.Wal.Begin("build", clock: clock);
        var result = Apply(store, input, name, clock, op);
        op.Complete();
        return result;
    }

    /// <summary>Everything that can be refused, before the store is touched.</summary>
    internal sealed record BuildInput(string Path, EnvironmentManifest Manifest, EffectiveSecurityContext Security, ImageReference Reference);

    internal static BuildInput Prepare(string? manifestPath, string? name)
    {
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

        if (manifest.Packages.Count > 0 || manifest.Apps.Count > 0)
        {
            throw new EngineException($"{path}: system.packages and gui.apps need a package manager in the base image; installing them is not supported yet, leave them empty");
        }

        return new BuildInput(path, manifest, security, reference);
    }

    /// <summary>Under the store lock: resolves the image and records the environment, each step in <paramref name="op"/> first.</summary>
    internal static BuildResult Apply(ScuteStore store, BuildInput input, string? name, TimeProvider clock, Store.Wal.WalOperation op)
    {
        var (path, manifest, security, reference) = input;
        // The lock's version of an alias or URL, while it names the same reference: a rebuild keeps it.
        var image = new ImageResolver(store).Resolve(reference, LockedImage.Find(path, reference));
        var securityJson = Scute.Manifest.CanonicalJson.Serialize(security.ToJson());
        var envId = EnvIdentity.ComputeEnvId(new IdentityInputs
        {
            BaseDigest = image.ContentDigest.ToString(),
            Packages = [],
            Apps = manifest.Apps,
            Gpu = manifest.Gpu,
            Audio = manifest.Audio,
            Mounts = manifest.Mounts,
            Backend = manifest.Runtime.Backend,
            NetworkIsolation = manifest.Runtime.NetworkIsolation,
            CpuShares = manifest.Runtime.CpuShares,
            MemoryLimitMb = manifest.Runtime.MemoryLimitMb,
            SecurityContextJson = securityJson,
        });
        var shortId = EnvIdentity.ShortId(envId);
        var existing = store.Metadata.List();
        if (name is not null && existing.FirstOrDefault(m => m.Name == name && m.EnvId != envId) is { } other)
        {
            throw new EngineException(
                $"the name '{name}' is already used by environment {other.ShortId}; to replace it with what this manifest now says, run scute rebuild, or choose another --name");
        }

        var baseLayer = BaseLayer.Ensure(store, image);
        var envDir = store.Layout.EnvDir(envId);
        if (!Directory.Exists(envDir))
        {
            op.RemoveOnRollback(envDir);
        }

        EnvironmentDirs.Create(envDir);
        var now = clock.GetUtcNow();
        AuditOperation.RecordBuild(store, envId, manifest, security, now);
        store.Metadata.TryGet(envId, out var previous);
        op.RestoreMetadataOnRollback(envId);
        store.Metadata.Put(new EnvironmentMetadata
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
            Layers = [baseLayer],
            ManifestJson = CanonicalManifest.ToJson(manifest),
            SecurityJson = securityJson,
            CreatedAt = previous?.CreatedAt ?? now,
            UpdatedAt = now,
            Snapshots = previous?.Snapshots ?? [],
            CurrentSnapshot = previous?.CurrentSnapshot,
        });
        var lockPath = ManifestFiles.LockPathFor(path);
        LockFileIo.Write(lockPath, new LockFile
        {
            LockVersion = 1,
            EnvId = envId,
            ShortId = shortId,
            BaseReference = manifest.BaseImage,
            BaseDigest = image.ContentDigest.ToString(),
            BaseVersion = image.SourceVersion,
            BaseSha256 = image.SourceSha256,
            Backend = manifest.Runtime.Backend,
            Gpu = manifest.Gpu,
            Audio = manifest.Audio,
            Mounts = [.. manifest.Mounts.Select(m => new LockMount(m.Label, m.Written))],
            NetworkIsolation = manifest.Runtime.NetworkIsolation,
            CpuShares = manifest.Runtime.CpuShares,
            MemoryLimitMb = manifest.Runtime.MemoryLimitMb,
            Packages = [],
            Apps = manifest.Apps,
            SecurityContextJson = securityJson,
        });
        return new BuildResult(envId, shortId, name ?? previous?.Name, lockPath, image.ContentDigest.ToString(), security, manifest.Security is null);
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
        if (seccomp is "default" or "unconfined")
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
