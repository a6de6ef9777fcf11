using System.Text.RegularExpressions;
using Scute.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Scute.Integration.Tests;

/// <summary>
/// Issue 4 point 4: a store on a small tmpfs, filled during commit and during build. The command
/// fails cleanly (exit 1 or 3, one line on stderr saying the disk is full, no stack trace); once
/// space is freed the store verifies and what was committed before still restores.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class DiskFullTests(ITestOutputHelper output)
{
    private const string Dev = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [runtime]
        backend = "namespace"
        """;

    [SkippableFact]
    public void Commit_on_a_full_disk_fails_cleanly_and_the_store_survives()
    {
        Skip.IfNot(SmallDisk.CanMount, "mounting a small tmpfs needs the tests to run as root");
        var s = new ScuteSession(TestUser.WithSubIds);
        using var disk = SmallDisk.Mount(s.User, 24);
        var store = Path.Combine(disk.Path, "store");
        s.Write("scute.toml", Dev);
        Ok(Scute(s, store, "build", "--name", "dev"));
        Ok(Scute(s, store, "exec", "dev", "--", "sh", "-c", "echo first > /marker; mkdir -p /data; head -c 100000 /dev/urandom > /data/small"));
        var first = Ok(Scute(s, store, "commit", "dev")).Stdout.Trim();

        // A file taking 60% of what is left fits in the upper dir; packing it into the store does not.
        var big = disk.Available * 6 / 10;
        Ok(Scute(s, store, "exec", "dev", "--", "sh", "-c", $"echo second > /marker; head -c {big} /dev/urandom > /data/big"));
        var commit = Scute(s, store, "commit", "dev");
        output.WriteLine($"commit on a full disk: {commit}");
        AssertCleanDiskFull(commit);

        Ok(Scute(s, store, "exec", "dev", "--", "rm", "/data/big"));
        Ok(Scute(s, store, "verify-store"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store, "store", "staging")));
        Assert.Equal([first], SnapshotDigests(Ok(Scute(s, store, "--json", "snapshots", "dev"))));
        Ok(Scute(s, store, "restore", "dev", first));
        Assert.Equal("first", Ok(Scute(s, store, "exec", "dev", "--", "cat", "/marker")).Stdout.Trim());
        Assert.Matches(DigestLine(), Ok(Scute(s, store, "commit", "dev")).Stdout);
    }

    [SkippableFact]
    public void Build_on_a_full_disk_fails_cleanly_and_the_store_survives()
    {
        Skip.IfNot(SmallDisk.CanMount, "mounting a small tmpfs needs the tests to run as root");
        var s = new ScuteSession(TestUser.WithSubIds);
        using var disk = SmallDisk.Mount(s.User, 16);
        var store = Path.Combine(disk.Path, "store");
        s.Write("scute.toml", Dev);
        s.Write("other.toml", Dev + "\nnetwork_isolation = true\n");
        Ok(Scute(s, store, "build", "--name", "dev"));
        Ok(Scute(s, store, "exec", "dev", "--", "sh", "-c", "echo first > /marker"));
        var first = Ok(Scute(s, store, "commit", "dev")).Stdout.Trim();

        // A first build into a new store on a nearly full disk: unpacking the image does not fit.
        var fresh = Path.Combine(disk.Path, "fresh");
        var filler = disk.Fill(leave: 64 * 1024);
        var build = Scute(s, fresh, "build", "--name", "fresh");
        output.WriteLine($"first build on a nearly full disk: {build}");
        AssertCleanDiskFull(build);

        // A build into the existing store on a completely full disk: the metadata does not fit.
        var filler2 = disk.Fill(leave: 0);
        var other = Scute(s, store, "build", "other.toml", "--name", "other");
        output.WriteLine($"build on a full disk: {other}");
        AssertCleanDiskFull(other);

        File.Delete(filler);
        File.Delete(filler2);
        Ok(Scute(s, store, "verify-store"));
        Assert.DoesNotContain("other", Ok(Scute(s, store, "list")).Stdout);
        if (File.Exists(Path.Combine(fresh, "store", "version")))
        {
            Ok(Scute(s, fresh, "verify-store"));
        }

        Ok(Scute(s, fresh, "build", "--name", "fresh"));
        Ok(Scute(s, fresh, "exec", "fresh", "--", "true"));
        Ok(Scute(s, store, "build", "other.toml", "--name", "other"));
        Ok(Scute(s, store, "exec", "dev", "--", "sh", "-c", "echo changed > /marker"));
        Ok(Scute(s, store, "restore", "dev", first));
        Assert.Equal("first", Ok(Scute(s, store, "exec", "dev", "--", "cat", "/marker")).Stdout.Trim());
        Ok(Scute(s, store, "verify-store"));
    }

    /// <summary>Exit 1 or 3; exactly one line on stderr, saying the disk is full; no stack trace.</summary>
    private static void AssertCleanDiskFull(ProcessResult r)
    {
        Assert.True(r.ExitCode is 1 or 3, $"expected exit 1 or 3: {r}");
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr: {r}");
        Assert.True(DiskFull().IsMatch(lines[0]), $"the message does not say the disk is full: {r}");
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", r.Stderr, StringComparison.Ordinal);
    }

    private static string[] SnapshotDigests(ProcessResult r) =>
        [.. System.Text.Json.Nodes.JsonNode.Parse(r.Stdout)!.AsArray().Select(n => n!["digest"]!.GetValue<string>())];

    private static ProcessResult Scute(ScuteSession s, string store, params string[] args) =>
        s.User.RunAs([ScuteBinary.Path, .. args], s.Project, new Dictionary<string, string> { ["SCUTE_STORE"] = store });

    private static ProcessResult Ok(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    [GeneratedRegex("disk .* is full|No space left on device", RegexOptions.IgnoreCase)]
    private static partial Regex DiskFull();

    [GeneratedRegex(@"^sha256:[0-9a-f]{64}\s*$")]
    private static partial Regex DigestLine();
}
