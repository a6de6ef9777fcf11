using System.Globalization;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// A small tmpfs (size= in MB) mounted by the root test process and owned by the test user, for
/// filling up. Unmounted on dispose, whatever happened.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static bool CanMount => TestUser.RunningAsRoot;

    public static SmallDisk Mount(TestUser user, int megabytes)
    {
        var path = System.IO.Path.Combine(user.NewFolder(), "disk");
        Directory.CreateDirectory(path);
        var mount = TestUser.Run("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", path]);
        Skip.If(mount.ExitCode != 0, $"cannot mount a tmpfs here: {mount.Stderr.Trim()}");
        var disk = new SmallDisk(path);
        var chown = TestUser.Run("chown", [$"{user.Name}:{user.Name}", path]);
        if (chown.ExitCode != 0)
        {
            disk.Dispose();
            throw new InvalidOperationException(chown.ToString());
        }

        return disk;
    }

    /// <summary>Bytes the test user can still write.</summary>
    public long Available
    {
        get
        {
            var df = TestUser.Run("df", ["-B1", "--output=avail", Path]);
            return long.Parse(df.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim(), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Fills the disk (as root, outside the store) until at most <paramref name="leave"/> bytes are free.</summary>
    public string Fill(long leave)
    {
        var filler = System.IO.Path.Combine(Path, "filler-" + Guid.NewGuid().ToString("N"));
        var bytes = Math.Max(0, Available - leave);
        try
        {
            using var f = new FileStream(filler, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
            var block = new byte[1 << 16];
            for (long written = 0; written < bytes; written += block.Length)
            {
                f.Write(block, 0, (int)Math.Min(block.Length, bytes - written));
            }
        }
        catch (IOException)
        {
            // Full already: that is what was asked for.
        }

        return filler;
    }

    public void Dispose()
    {
        if (TestUser.Run("umount", [Path]).ExitCode != 0)
        {
            _ = TestUser.Run("umount", ["-l", Path]);
        }
    }
}
