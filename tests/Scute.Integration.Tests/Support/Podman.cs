namespace Scute.Integration.Tests.Support;

/// <summary>Rootless Podman as a test user (its own storage and runtime folder under the user's home and /tmp).</summary>
public static class Podman
{
    public static bool Installed => File.Exists("/usr/bin/podman");

    public static void SkipIfMissing() => Skip.IfNot(Installed, "podman is not installed (./test.sh installs it)");

    public static ProcessResult Run(TestUser user, string folder, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.RunAs(["podman", "--log-level", "error", .. args], folder, timeoutMs: 300_000);
    }

    public static ProcessResult Check(TestUser user, string folder, params string[] args)
    {
        var r = Run(user, folder, args);
        Assert.True(r.ExitCode == 0, $"podman {string.Join(' ', args)}: {r}");
        return r;
    }

    public static string Strict(string manifest) => manifest.Replace("[runtime]\n", "[runtime]\nbackend = \"podman\"\n", StringComparison.Ordinal);
}
