using Scute.Engine.Devices;
using Scute.Policy;
using Scute.Runtime;
using Scute.Runtime.Seccomp;
using Scute.Store;

namespace Scute.Engine.Export;

/// <summary>The formats `scute export` writes.</summary>
public static class ExportFormats
{
    public const string Oci = "oci";
    public const string OciArchive = "oci-archive";
    public const string Quadlet = "quadlet";
    public const string Kube = "kube";

    public static readonly string[] All = [Oci, OciArchive, Quadlet, Kube];

    /// <summary>Not images: a menu entry for an app, a script in ~/.local/bin (Launchers).</summary>
    public const string App = "app";
    public const string Bin = "bin";

}

/// <summary>What an export wrote: the files, the image it names, and warnings for stderr.</summary>
public sealed record ExportResult(string ShortId, string Format, IReadOnlyList<string> Files, string ImageTag, Digest? ManifestDigest, IReadOnlyList<string> Warnings);

/// <summary>
/// export: an environment as an OCI image (a layout folder or archive), a Quadlet unit or a
/// Kubernetes Pod. The store lock is held while layers are read, so gc cannot take them away.
/// </summary>
public static class ExportOperation
{
    public static ExportResult Run(EngineContext context, string reference, string format, string? path)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (!ExportFormats.All.Contains(format, StringComparer.Ordinal))
        {
            throw new EngineException($"export format \"{format}\" is not known (accepted: {string.Join(", ", ExportFormats.All)})");
        }

        if (path is null && format is ExportFormats.Oci or ExportFormats.OciArchive)
        {
            throw new EngineException($"export {format} needs a destination: scute export {format} <env> <{(format == ExportFormats.Oci ? "folder" : "file")}>");
        }

        var store = context.OpenExistingStore();
        using (store.LockForChange())
        {
            var env = EnvironmentFinder.Find(store, reference);
            var security = SecurityContextJson.Parse(env.SecurityJson);
            var tag = EnvironmentImage.Tag(env);
            if (format is ExportFormats.Quadlet or ExportFormats.Kube)
            {
                var unitSpec = RunSpecBuilder.Build(store, env, [], workingDir: null, hostDevices: false) with { EnvId = env.EnvId, Image = tag };
                return format == ExportFormats.Quadlet ? WriteQuadlet(env, unitSpec, path) : WriteKube(env, unitSpec, path, security);
            }

            var spec = RunSpecBuilder.Build(store, env, [], workingDir: "/", hostDevices: false);
            using var image = EnvironmentImage.Prepare(store, env, spec, security.Profile);
            if (format == ExportFormats.Oci)
            {
                OciLayoutWriter.WriteDirectory(image, path!);
            }
            else
            {
                OciLayoutWriter.WriteArchive(image, path!);
            }

            return new ExportResult(env.ShortId, format, [Path.GetFullPath(path!)], tag, image.ManifestBlob.Digest, []);
        }
    }

    private static ExportResult WriteQuadlet(EnvironmentMetadata env, RunSpec spec, string? path)
    {
        var unit = Path.GetFullPath(path ?? KubePod.DnsLabel(env.Name ?? env.ShortId) + ".container");
        var seccomp = WriteProfileBeside(unit, spec);
        var text = QuadletUnit.Write(spec, seccomp, $"Scute environment {env.Name ?? env.ShortId} ({env.ShortId})");
        AtomicFile.WriteAllText(unit, text);
        return new ExportResult(env.ShortId, ExportFormats.Quadlet, seccomp is null ? [unit] : [unit, seccomp], spec.Image!, null, []);
    }

    private static ExportResult WriteKube(EnvironmentMetadata env, RunSpec spec, string? path, EffectiveSecurityContext security)
    {
        var file = Path.GetFullPath(path ?? KubePod.DnsLabel(env.Name ?? env.ShortId) + ".yaml");
        // Scute's resolved profile, the default one too, goes beside the Pod for the kubelet's seccomp
        // folder: a cluster's RuntimeDefault is not Scute's (Podman's allows new user namespaces).
        var seccomp = WriteProfileBeside(file, spec);
        // Podman's kube play refuses annotation values over 63 characters: the digests stay in the image's labels.
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["org.scute.short-id"] = env.ShortId,
            ["org.scute.profile"] = security.Profile,
        };
        var pod = KubePod.Build(spec, env.Name ?? env.ShortId, seccomp is null ? null : Path.GetFileName(seccomp), annotations, DeviceGrants.NvidiaGpus(security.Devices));
        var warnings = PodSecurityRestricted.Check(pod).Select(v => $"the Pod breaks Pod Security Standard \"restricted\" rule {v.Rule}: {v.Detail}").ToList();
        AtomicFile.WriteAllText(file, KubePod.ToYaml(pod));
        return new ExportResult(env.ShortId, ExportFormats.Kube, seccomp is null ? [file] : [file, seccomp], spec.Image!, null, warnings);
    }

    /// <summary>The resolved profile as &lt;unit&gt;.seccomp.json beside the unit; null when unconfined.</summary>
    private static string? WriteProfileBeside(string unit, RunSpec spec)
    {
        if (OciSeccompJson.Write(spec.Seccomp, spec.Capabilities, SeccompArchitectures.Native) is not { } json)
        {
            return null;
        }

        var file = Path.ChangeExtension(unit, ".seccomp.json");
        AtomicFile.WriteAllText(file, json);
        return file;
    }
}
