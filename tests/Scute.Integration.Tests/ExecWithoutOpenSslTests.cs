using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// exec and list hash only small buffers (metadata, the prepared file, the host policy, the
/// store path), in managed code: loading and initialising OpenSSL for them cost ~2 ms of every
/// start. Traced with strace as scute-test with the real binary: no process opens libssl,
/// libcrypto or openssl.cnf.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ExecWithoutOpenSslTests
{
    // Default profile, no user inside: starting it needs no setuid newuidmap, which strace -f would defeat.
    private const string Minimal = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"
        """;

    [SkippableFact]
    public void Exec_opens_no_openssl_library()
    {
        var (s, env) = BuiltSession();

        var (result, opened) = Traced(s, "exec", env, "--", "true");

        Assert.Equal(0, result.ExitCode);
        AssertRanAndOpenedNoOpenSsl(s, opened);
    }

    [SkippableFact]
    public void Exec_without_a_prepared_file_opens_no_openssl_library()
    {
        var (s, env) = BuiltSession();
        // Exec then computes the run spec itself: the metadata, host policy, seccomp and mounts path.
        File.Delete(Assert.Single(Directory.GetFiles(Path.Combine(s.Store, "env"), "exec.prepared", SearchOption.AllDirectories)));

        var (result, opened) = Traced(s, "exec", env, "--", "true");

        Assert.Equal(0, result.ExitCode);
        AssertRanAndOpenedNoOpenSsl(s, opened);
    }

    [SkippableFact]
    public void List_opens_no_openssl_library()
    {
        var (s, env) = BuiltSession();

        var (result, opened) = Traced(s, "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(env, result.Stdout);
        AssertRanAndOpenedNoOpenSsl(s, opened);
    }

    [SkippableFact]
    public void List_reads_the_list_index_and_no_metadata_file()
    {
        var (s, env) = BuiltSession();

        var (result, opened) = Traced(s, "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(env, result.Stdout);
        Assert.Contains(opened, p => p.EndsWith("/store/list-index", StringComparison.Ordinal));
        // Metadata files are opened relative to their folder, by their env_id alone.
        Assert.DoesNotContain(opened, p => p.Length == 64 && p.All(char.IsAsciiHexDigitLower));

        // Without the index, list reads the files instead, and writes no index itself.
        File.Delete(Path.Combine(s.Store, "store", "list-index"));
        var (again, openedAgain) = Traced(s, "list");
        Assert.Equal(result.Stdout, again.Stdout);
        Assert.Contains(openedAgain, p => p.Length == 64 && p.All(char.IsAsciiHexDigitLower));
        Assert.False(File.Exists(Path.Combine(s.Store, "store", "list-index")));
    }

    private static (ScuteSession Session, string Env) BuiltSession()
    {
        Skip.IfNot(File.Exists("/usr/bin/strace"), "strace is missing (scripts/test-packages.txt; ./test.sh installs it)");
        var s = new ScuteSession(TestUser.WithSubIds);
        return (s, s.Build(Minimal));
    }

    /// <summary>Runs scute under strace -f as the session's user; returns every path any of its processes opened.</summary>
    private static (ProcessResult Result, List<string> Opened) Traced(ScuteSession s, params string[] args)
    {
        var trace = Path.Combine(s.Root, $"trace-{Guid.NewGuid():N}");
        var result = s.User.RunAs(
            ["strace", "-f", "-qq", "-e", "trace=openat", "-o", trace, ScuteBinary.Path, .. args],
            s.Project,
            new Dictionary<string, string>(s.Environment) { ["SCUTE_STORE"] = s.Store });
        Assert.True(File.Exists(trace), "strace wrote no trace: " + result);
        var opened = File.ReadAllLines(trace)
            .Select(line => line.Split('"'))
            .Where(parts => parts.Length >= 3)
            .Select(parts => parts[1])
            .ToList();
        return (result, opened);
    }

    private static void AssertRanAndOpenedNoOpenSsl(ScuteSession s, List<string> opened)
    {
        // The trace saw the work itself, so an empty or foreign trace cannot pass.
        Assert.Contains(opened, p => p.StartsWith(s.Store, StringComparison.Ordinal));
        Assert.DoesNotContain(opened, p =>
            p.Contains("libssl", StringComparison.Ordinal)
            || p.Contains("libcrypto", StringComparison.Ordinal)
            || p.EndsWith("openssl.cnf", StringComparison.Ordinal));
    }
}
