using System.Diagnostics;
using Scute.Store;

namespace Scute.Images.Providers;

/// <summary>
/// builtin:busybox, made on the spot from the host's static busybox so the quick start and the
/// tests need no network. The cache key is the busybox binary's digest.
/// </summary>
public static class BuiltinBusybox
{
    public const string DefaultBinary = "/bin/busybox";

    private static readonly string[] Folders =
    [
        "bin", "sbin", "usr/bin", "usr/sbin", "etc", "root", "home", "tmp", "var/tmp", "proc", "sys", "dev", "run", "workspace",
    ];

    public static ResolvedImage Resolve(ImageCache cache, string busybox = DefaultBinary)
    {
        if (!File.Exists(busybox))
        {
            throw new ImageException($"builtin:busybox needs a static busybox at {busybox}; install the package busybox-static");
        }

        StaticElf.EnsureStatic(busybox);
        Digest binaryDigest;
        using (var s = File.OpenRead(busybox))
        {
            binaryDigest = Digest.Compute(s);
        }

        // v2: no account for uid 1001 (each run adds the user's own; see AccountPlan).
        return cache.GetOrAdd("builtin-busybox-v2-" + binaryDigest.Hex, rootfs => Fill(rootfs, busybox));
    }

    private static void Fill(string rootfs, string busybox)
    {
        foreach (var folder in Folders)
        {
            Directory.CreateDirectory(Path.Combine(rootfs, folder));
        }

        File.SetUnixFileMode(Path.Combine(rootfs, "tmp"), (UnixFileMode)0x3FF /* 1777 */);
        File.SetUnixFileMode(Path.Combine(rootfs, "var/tmp"), (UnixFileMode)0x3FF);
        var target = Path.Combine(rootfs, "bin/busybox");
        File.Copy(busybox, target);
        File.SetUnixFileMode(target, (UnixFileMode)0x1ED /* 755 */);
        foreach (var applet in ListApplets(busybox))
        {
            var link = Path.Combine(rootfs, applet);
            if (applet == "bin/busybox" || File.Exists(link))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, "/bin/busybox");
        }

        File.WriteAllText(Path.Combine(rootfs, "etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        File.WriteAllText(Path.Combine(rootfs, "etc/group"), "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n");
        File.WriteAllText(Path.Combine(rootfs, "etc/os-release"), "NAME=\"Scute builtin busybox\"\nID=busybox\n");
        File.WriteAllText(Path.Combine(rootfs, "etc/hostname"), "scute\n");
    }

    private static IEnumerable<string> ListApplets(string busybox)
    {
        var psi = new ProcessStartInfo(busybox) { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("--list-full");
        using var p = Process.Start(psi) ?? throw new ImageException($"cannot run {busybox}");
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new ImageException($"{busybox} --list-full failed (exit {p.ExitCode})");
        }

        return lines.Where(l => !l.Contains("..", StringComparison.Ordinal) && !l.StartsWith('/')).Order(StringComparer.Ordinal);
    }
}
