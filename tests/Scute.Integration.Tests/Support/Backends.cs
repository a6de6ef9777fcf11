namespace Scute.Integration.Tests.Support;

/// <summary>
/// The runtime backends whose inside probe must agree (issue 8, point 4): every probe test runs
/// over each, and a difference between them is a failing test.
/// </summary>
public static class Backends
{
    public static readonly string[] Probed = ["namespace", "oci", "podman"];

    public static TheoryData<string> All => [.. Probed];

    /// <summary>Each probed backend with the strict and the dev manifest.</summary>
    public static TheoryData<string, string> WithProfiles
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var backend in Probed)
            {
                data.Add(backend, "strict");
                data.Add(backend, "dev");
            }

            return data;
        }
    }

    /// <summary>The manifest with [runtime] backend set (it must have a [runtime] table).</summary>
    public static string Use(string manifest, string backend)
    {
        var lines = manifest.Split('\n').Where(l => !l.TrimStart().StartsWith("backend ", StringComparison.Ordinal)).ToList();
        var runtime = lines.FindIndex(l => l.Trim() == "[runtime]");
        if (runtime < 0)
        {
            throw new ArgumentException("the manifest has no [runtime] table", nameof(manifest));
        }

        lines.Insert(runtime + 1, $"backend = \"{backend}\"");
        return string.Join('\n', lines);
    }

    /// <summary>What the backend needs installed; the machines these tests run on have it, so this only names the cause on others.</summary>
    public static void SkipUnlessInstalled(string backend)
    {
        if (backend == "oci")
        {
            Skip.IfNot(
                new[] { "/usr/sbin/runc", "/usr/bin/runc", "/usr/bin/crun", "/usr/local/bin/runc" }.Any(File.Exists),
                "backend oci needs runc or crun (package runc; ./test.sh installs it)");
        }
    }
}
