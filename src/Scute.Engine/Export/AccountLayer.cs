using System.Formats.Tar;
using System.Text;
using Scute.Runtime;

namespace Scute.Engine.Export;

/// <summary>
/// The exported image's last layer: what the namespace backend lays over the root at each run
/// without writing it to the environment (the generated /etc/passwd and /etc/group with the
/// account's entry, and the account's home, owned by it). Podman, Quadlet and Kubernetes run the
/// image without Scute, so the image itself must name the user and hold its home. The host's
/// /etc/localtime stays out: it is the running host's, not the environment's.
/// </summary>
internal static class AccountLayer
{
    /// <summary>Writes the layer as a Scute layer tar (nothing when there is nothing to add).</summary>
    public static void Write(RunSpec spec, Stream output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var files = spec.RootFiles.Where(f => f.Content is not null).OrderBy(f => f.Target, StringComparer.Ordinal).ToList();
        if (files.Count == 0 && spec.Home is null)
        {
            return;
        }

        using var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true);
        foreach (var file in files)
        {
            var bytes = Encoding.UTF8.GetBytes(file.Content!);
            var entry = Entry(TarEntryType.RegularFile, file.Target, 0, 0, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            entry.DataStream = new MemoryStream(bytes, writable: false);
            writer.WriteEntry(entry);
        }

        if (spec.Home is { } home)
        {
            writer.WriteEntry(Entry(TarEntryType.Directory, home.Path, spec.Uid, spec.Gid, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        }
    }

    private static GnuTarEntry Entry(TarEntryType type, string path, int uid, int gid, UnixFileMode mode) =>
        new(type, path.TrimStart('/') + (type == TarEntryType.Directory ? "/" : ""))
        {
            Mode = mode,
            Uid = uid,
            Gid = gid,
            UserName = "",
            GroupName = "",
            ModificationTime = DateTimeOffset.UnixEpoch,
            AccessTime = DateTimeOffset.UnixEpoch,
            ChangeTime = DateTimeOffset.UnixEpoch,
        };
}
