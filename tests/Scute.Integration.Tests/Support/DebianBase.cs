namespace Scute.Integration.Tests.Support;

/// <summary>
/// A Debian bookworm minbase rootfs tarball made with mmdebstrap, with this machine's apt
/// sources and its Acquire:: settings (proxy, mirror, validity) copied in, so apt inside reaches
/// the same package mirror the host does. Made as root at most once per test run and shared by
/// every test (and every test process: a lock file serializes them) in <see cref="Folder"/>; a
/// tarball younger than <see cref="MaxAge"/> is reused, so repeated runs do not pay mmdebstrap's
/// two minutes again. When it cannot be made here, <see cref="SkipReason"/> says why.
/// </summary>
public sealed class DebianBase
{
    public const string Folder = "/var/tmp/scute-debian-bookworm";
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    public DebianBase()
    {
        Tarball = Path.Combine(Folder, "bookworm.tar");
        try
        {
            SkipReason = Make();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
        {
            SkipReason = $"cannot make the Debian base: {e.Message}";
        }
    }

    public string Tarball { get; }

    public string? SkipReason { get; }

    private string? Make()
    {
        if (!TestUser.RunningAsRoot)
        {
            return "making the Debian base with mmdebstrap needs root (run the tests as ./test.sh does)";
        }

        if (!File.Exists("/usr/bin/mmdebstrap"))
        {
            return "mmdebstrap is not installed (scripts/test-packages.txt lists it; ./test.sh installs it)";
        }

        Directory.CreateDirectory(Folder);
        File.SetUnixFileMode(Folder, (UnixFileMode)0b111_101_101);
        using var held = HoldLock();
        if (File.Exists(Tarball) && DateTime.UtcNow - File.GetLastWriteTimeUtc(Tarball) < MaxAge)
        {
            return null;
        }

        var temp = Path.Combine(Folder, "bookworm.partial.tar");
        var args = new List<string> { "--variant=minbase", "--include=gpgv,ca-certificates", "--format=tar" };
        args.AddRange(AcquireSettings().Select(file => $"--aptopt={file}"));
        args.AddRange(["bookworm", temp]);
        args.AddRange(HostSources());
        var result = TestUser.Run("/usr/bin/mmdebstrap", args, timeoutMs: 600_000);
        if (result.ExitCode != 0)
        {
            File.Delete(temp);
            var last = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? $"exit {result.ExitCode}";
            return $"mmdebstrap could not make the Debian base here (no mirror reachable?): {last}";
        }

        File.SetUnixFileMode(temp, (UnixFileMode)0b110_100_100);
        File.Move(temp, Tarball, overwrite: true);
        return null;
    }

    /// <summary>FileShare.None is an exclusive flock on Linux that fails at once when taken: another test process is making the base, so wait for it.</summary>
    private static FileStream HoldLock()
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(Folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1000);
            }
        }
    }

    /// <summary>The host's apt.conf.d files that set Acquire:: options (proxy, mirror, validity checks): they are what makes the mirror reachable.</summary>
    private static IEnumerable<string> AcquireSettings() =>
        Directory.Exists("/etc/apt/apt.conf.d")
            ? Directory.EnumerateFiles("/etc/apt/apt.conf.d").Order(StringComparer.Ordinal).Where(f => File.ReadAllText(f).Contains("Acquire::", StringComparison.Ordinal))
            : [];

    /// <summary>The host's enabled source files (.sources, .list); none means mmdebstrap's default mirror.</summary>
    private static IEnumerable<string> HostSources()
    {
        var files = new List<string>();
        if (File.Exists("/etc/apt/sources.list") && new FileInfo("/etc/apt/sources.list").Length > 0)
        {
            files.Add("/etc/apt/sources.list");
        }

        if (Directory.Exists("/etc/apt/sources.list.d"))
        {
            files.AddRange(Directory.EnumerateFiles("/etc/apt/sources.list.d")
                .Where(f => f.EndsWith(".sources", StringComparison.Ordinal) || f.EndsWith(".list", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal));
        }

        return files;
    }
}
