using Scute.Policy;
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
}

/// <summary>What an export wrote: the files, the image it names, and warnings for stderr.</summary>
public sealed record ExportResult(string ShortId, string Format, IReadOnlyList<string> Files, string ImageTag, Digest? ManifestDigest, IReadOnlyList<string> Warnings);

/// <summary>
/// export: an environment as an OCI image (a layout folder or archive), a Quadlet unit or a
/// Kubernetes Pod. The store lock is held while layers are read, so gc cannot take them away.
/// </summary>
public static class ExportOperation
{
    public static ExportResult Run(string storeRoot, string reference, string format, string? path)
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

        var store = EnvironmentFinder.OpenExisting(storeRoot);
        using (store.Lock())
        {
            var env = EnvironmentFinder.Find(store, reference);
            var spec = RunSpecBuilder.Build(store, env, [], workingDir: "/");
            var security = SecurityContextJson.Parse(env.SecurityJson);
            var tag = EnvironmentImage.Tag(env);
            switch (format)
            {
                case ExportFormats.Oci or ExportFormats.OciArchive:
                    using (var image = EnvironmentImage.Prepare(store, env, spec, security.Profile))
                    {
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

                default:
                    throw new EngineException($"export {format} is not available yet");
            }
        }
    }
}
