using System.Text.RegularExpressions;

namespace Scute.Manifest.Parsing;

/// <summary>[mounts]: label = "&lt;host&gt;:&lt;container&gt;[:ro]".</summary>
internal static partial class MountReader
{
    private const string AcceptedValue = "\"<host path>:<absolute container path>\" or \"<host path>:<absolute container path>:ro\"";
    private const string AcceptedLabel = "labels of 1 to 64 letters, digits, '_' or '-'";

    public static IReadOnlyList<MountSpec> Read(TableReader? table)
    {
        if (table is null)
        {
            return [];
        }

        if (table.Entries.Count() > TextRules.MaxMounts)
        {
            throw table.Context.Error(table.Line, "mounts", $"{table.Entries.Count()} mounts", $"at most {TextRules.MaxMounts} mounts");
        }

        var mounts = new List<MountSpec>();
        var containerPaths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in table.Entries)
        {
            if (!LabelPattern().IsMatch(entry.Key))
            {
                throw table.Context.Error(entry.Line, entry.Path, "invalid mount label", AcceptedLabel);
            }

            table.Context.RecordLine(entry.Path, entry.Line);
            var written = table.ReadString(entry, AcceptedValue);
            var mount = ParseValue(table.Context, entry, written);
            if (containerPaths.TryGetValue(mount.ContainerPath, out var other))
            {
                throw table.Context.Error(entry.Line, entry.Path, $"container path {mount.ContainerPath} is already used by mounts.{other}", "one mount per container path");
            }

            containerPaths.Add(mount.ContainerPath, entry.Key);
            mounts.Add(mount);
        }

        mounts.Sort((a, b) => string.CompareOrdinal(a.Label, b.Label));
        return mounts;
    }

    private static MountSpec ParseValue(ParseContext context, TomlEntry entry, string written)
    {
        if (TextRules.HasControl(written))
        {
            throw context.Error(entry.Line, entry.Path, "contains a control character", AcceptedValue);
        }

        // ':' separates the fields, as in podman -v; paths containing ':' are not supported.
        var parts = written.Split(':');
        var readOnly = false;
        if (parts.Length == 3 && parts[2] is "ro" or "rw")
        {
            readOnly = parts[2] == "ro";
        }
        else if (parts.Length != 2)
        {
            throw context.Error(entry.Line, entry.Path, $"\"{written}\" is not a mount", AcceptedValue);
        }

        var hostWritten = parts[0].Trim();
        var containerWritten = parts[1].Trim();
        if (hostWritten.Length == 0)
        {
            throw context.Error(entry.Line, entry.Path, "empty host path", AcceptedValue);
        }

        var hostPath = MountPaths.ResolveHost(hostWritten, context.ManifestFolder)
            ?? throw context.Error(entry.Line, entry.Path, $"host path \"{hostWritten}\" cannot be expanded", "an absolute path, a path relative to the manifest's folder, ~ or ~/path with HOME set");
        var containerPath = MountPaths.NormalizeContainer(containerWritten)
            ?? throw context.Error(entry.Line, entry.Path, $"container path \"{containerWritten}\" is not absolute or contains '..'", "an absolute container path such as /workspace");

        return new MountSpec
        {
            Label = entry.Key,
            Written = written,
            HostPathWritten = hostWritten,
            HostPath = hostPath,
            ContainerPath = containerPath,
            ReadOnly = readOnly,
        };
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}\\z")]
    private static partial Regex LabelPattern();
}
