namespace Scute.Manifest;

/// <summary>A downloaded base the lock names: the image server's version (aliases only) and the tarball's sha256.</summary>
public sealed record ImagePin(string? Version, string Sha256);

/// <summary>
/// What the lock next to a manifest says about its image, as Cargo and npm treat their locks: a
/// plain <c>build</c> keeps the version the lock names while the manifest still names the same
/// reference, so a rebuild neither asks the server again nor moves to a newer build silently.
/// </summary>
public static class LockedImage
{
    /// <summary>
    /// The pin for <paramref name="reference"/>, or null when there is no lock, it does not verify
    /// (a plain build rewrites it; <c>--locked</c> is where a bad lock is an error), it names another
    /// reference, or it holds no sha256 (an alias also needs its version).
    /// </summary>
    public static ImagePin? Find(string manifestPath, ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(manifestPath);
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Kind is not (ImageSourceKind.Alias or ImageSourceKind.HttpUrl))
        {
            return null;
        }

        var lockPath = ManifestFiles.LockPathFor(manifestPath);
        if (!File.Exists(lockPath))
        {
            return null;
        }

        LockFile lockFile;
        try
        {
            lockFile = LockFileIo.Read(lockPath);
        }
        catch (ManifestException)
        {
            return null;
        }

        if (lockFile.BaseReference != reference.Written.Trim() || lockFile.BaseSha256 is not { } sha256)
        {
            return null;
        }

        // A URL written with #sha256= pins itself; a lock that disagrees with it is stale.
        if (reference.Sha256 is { } written && written != sha256)
        {
            return null;
        }

        return reference.Kind == ImageSourceKind.Alias && lockFile.BaseVersion is null ? null : new ImagePin(lockFile.BaseVersion, sha256);
    }

    /// <summary>The manifest digest the lock recorded for this registry reference, or null (also when it is not a sha256 digest).</summary>
    public static Digest? ManifestDigest(string manifestPath, ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(manifestPath);
        ArgumentNullException.ThrowIfNull(reference);
        var lockPath = ManifestFiles.LockPathFor(manifestPath);
        if (reference.Kind != ImageSourceKind.Registry || !File.Exists(lockPath))
        {
            return null;
        }

        try
        {
            var lockFile = LockFileIo.Read(lockPath);
            return lockFile.BaseReference == reference.Written.Trim() && Digest.TryParse(lockFile.BaseManifestDigest, out var digest) ? digest : null;
        }
        catch (ManifestException)
        {
            return null;
        }
    }
}
