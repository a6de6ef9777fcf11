using System.Diagnostics;

namespace Scute.Runtime.Oci;

/// <summary>The OCI runtime Scute drives, and why the others were passed over.</summary>
public sealed record OciRuntimeChoice(string Name, string Path, string Version, IReadOnlyList<string> Skipped)
{
    public string Describe() =>
        $"{Name} ({Path}, {Version})" + (Skipped.Count == 0 ? string.Empty : "; " + string.Join("; ", Skipped));
}

/// <summary>
/// Finds crun, runc or youki, in that order, and takes the first that answers <c>--version</c>.
/// crun (1.8 at least) refuses hosts with hybrid cgroups (v1 controllers plus a v2 "unified"
/// mount), which rootless runc handles by running without cgroups: on such a host crun is
/// passed over with that reason.
/// </summary>
public static class OciRuntimeDetector
{
    public static readonly string[] Candidates = ["crun", "runc", "youki"];

    /// <summary>Folders searched besides PATH: runc lives in /usr/sbin on Debian, often not in a user's PATH.</summary>
    private static readonly string[] SystemFolders = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    public static OciRuntimeChoice Detect() =>
        Detect(SearchFolders(Environment.GetEnvironmentVariable("PATH")), HybridCgroups());

    /// <param name="folders">Where to look, in order.</param>
    /// <param name="hybridCgroups">Whether the host mounts cgroup v1 controllers beside a v2 hierarchy.</param>
    public static OciRuntimeChoice Detect(IReadOnlyList<string> folders, bool hybridCgroups)
    {
        ArgumentNullException.ThrowIfNull(folders);
        var skipped = new List<string>();
        foreach (var name in Candidates)
        {
            var path = folders.Select(f => System.IO.Path.Combine(f, name)).FirstOrDefault(File.Exists);
            if (path is null)
            {
                skipped.Add($"{name}: not installed");
                continue;
            }

            if (name == "crun" && hybridCgroups)
            {
                skipped.Add($"{name} ({path}): refuses hosts with hybrid cgroups (v1 controllers and a v2 unified mount), as this one has");
                continue;
            }

            if (Version(path) is not { } version)
            {
                skipped.Add($"{name} ({path}): does not run (--version failed)");
                continue;
            }

            return new OciRuntimeChoice(name, path, version, skipped.Where(s => !s.EndsWith("not installed", StringComparison.Ordinal)).ToList());
        }

        throw new ContainerSetupException($"no OCI runtime found for backend \"oci\" ({string.Join("; ", skipped)}); install runc (package runc) or crun");
    }

    /// <summary>For doctor: the runtime backend "oci" would use, or why there is none.</summary>
    public static PrerequisiteCheck Check()
    {
        try
        {
            return new PrerequisiteCheck("oci runtime", true, Detect().Describe());
        }
        catch (ContainerSetupException e)
        {
            return new PrerequisiteCheck("oci runtime", false, e.Message);
        }
    }

    public static IReadOnlyList<string> SearchFolders(string? path) =>
        [.. (path ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Where(System.IO.Path.IsPathRooted).Concat(SystemFolders).Distinct(StringComparer.Ordinal)];

    /// <summary>cgroup v2 alone has cgroup.controllers at the top; hybrid has v1 folders and a v2 "unified" mount.</summary>
    public static bool HybridCgroups(string root = "/sys/fs/cgroup") =>
        !File.Exists(System.IO.Path.Combine(root, "cgroup.controllers"))
        && File.Exists(System.IO.Path.Combine(root, "unified", "cgroup.controllers"));

    private static string? Version(string path)
    {
        try
        {
            var psi = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("--version");
            using var p = Process.Start(psi);
            if (p is null)
            {
                return null;
            }

            var output = p.StandardOutput.ReadToEnd();
            _ = p.StandardError.ReadToEnd();
            if (!p.WaitForExit(10_000))
            {
                p.Kill();
                return null;
            }

            var first = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim();
            return p.ExitCode == 0 ? first ?? "version unknown" : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
