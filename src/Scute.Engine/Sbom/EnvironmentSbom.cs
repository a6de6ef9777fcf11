using System.Globalization;
using Scute.Engine.Packages;
using Scute.Manifest;
using Scute.Store;

namespace Scute.Engine.Sbom;

/// <summary>
/// Entry points for an environment's software bill of materials: made at build from the
/// environment's read-only layers (its package databases as installed), kept as an object in the
/// store, named by the metadata's "sbom" field; read back by `scute sbom` and by push.
/// </summary>
public static class EnvironmentSbom
{
    /// <summary>The media type push attaches the document under (an OCI 1.1 artifactType).</summary>
    public const string MediaType = SpdxDocument.MediaType;

    /// <summary>Reproducible-builds' variable; when unset the document's date is the epoch.</summary>
    public const string SourceDateVariable = "SOURCE_DATE_EPOCH";

    /// <summary>The document of an environment whose layers are <paramref name="roots"/> (topmost first).</summary>
    public static byte[] Describe(SbomSubject subject, IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(roots);
        var installed = new List<InstalledPackage>();
        if (ReadLayered(roots, PackageDatabases.DpkgStatus) is { } dpkg)
        {
            installed.AddRange(PackageDatabases.ParseDpkgStatus(dpkg));
        }

        if (ReadLayered(roots, PackageDatabases.ApkInstalled) is { } apk)
        {
            installed.AddRange(PackageDatabases.ParseApkInstalled(apk));
        }

        var osRelease = ReadLayered(roots, "/etc/os-release") ?? ReadLayered(roots, "/usr/lib/os-release");
        return SpdxDocument.Create(subject, installed, osRelease is null ? null : PackageDatabases.OsReleaseId(osRelease));
    }

    /// <summary>The document of a recorded environment, made again from its layers (same bytes as at build).</summary>
    public static byte[] Describe(ScuteStore store, EnvironmentMetadata env)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(env);
        return Describe(Subject(env, environment: null), EnvironmentLayers.LowerDirs(store, env));
    }

    /// <summary>Puts a document into the object store; the caller names its digest in the metadata.</summary>
    public static Digest Record(ScuteStore store, byte[] document)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var content = new MemoryStream(document, writable: false);
        return store.Objects.Put(content);
    }

    /// <summary>The stored document of an environment; one built before SBOMs existed gets one made from its layers.</summary>
    public static byte[] Read(ScuteStore store, EnvironmentMetadata env)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(env);
        if (env.Sbom is not { } digest)
        {
            return Describe(store, env);
        }

        using var stream = store.Objects.OpenRead(digest);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>What an environment's metadata says about it, for <see cref="Describe(SbomSubject, IReadOnlyList{string})"/>.</summary>
    public static SbomSubject Subject(EnvironmentMetadata env, Func<string, string?>? environment, Digest? baseManifestDigest = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(env.ManifestJson);
        var apps = (manifest?["gui"]?["apps"] as System.Text.Json.Nodes.JsonArray)?.Select(a => a?.GetValue<string>()).OfType<string>().ToList() ?? [];
        return new SbomSubject(env.EnvId, env.BaseReference, env.BaseDigest, baseManifestDigest, apps, [], SourceDate(environment));
    }

    /// <summary>SOURCE_DATE_EPOCH (seconds) when set and valid, else 1970-01-01T00:00:00Z.</summary>
    public static DateTimeOffset SourceDate(Func<string, string?>? environment)
    {
        var text = (environment ?? Environment.GetEnvironmentVariable)(SourceDateVariable);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UnixEpoch;
    }

    /// <summary>The file as the overlay shows it: the topmost layer that has it; a whiteout (unreadable device) hides those below.</summary>
    private static string? ReadLayered(IReadOnlyList<string> roots, string containerPath)
    {
        foreach (var root in roots)
        {
            if (RootfsLookup.Resolve(root, containerPath) is not { } inside)
            {
                continue;
            }

            var host = Path.Join(root, inside);
            if (Directory.Exists(host))
            {
                return null;
            }

            try
            {
                return File.ReadAllText(host);
            }
            catch (IOException)
            {
                return null;
            }
        }

        return null;
    }
}
