using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// restore moves the upper dir it replaces to store/trash and removes it after answering, in a
/// detached scute (issue 10): nothing of the old upper is visible in the environment, it is gone
/// soon after, and an entry whose remover died is removed by the next command, with a store that
/// verifies meanwhile.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RestoreTrashTests
{
    private const string Dev = """
        manifest_version = 1

        [base]
        image = "builtin:busybox"

        [runtime]
        backend = "namespace"
        """;

    [SkippableFact]
    public void The_replaced_upper_is_removed_after_restore_and_none_of_it_is_visible()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Dev);
        Ok(s.Scute("exec", env, "--", "sh", "-c", "echo kept > /kept"));
        var digest = Ok(s.Scute("commit", env)).Stdout.Trim();
        Ok(s.Scute("exec", env, "--", "sh", "-c", "mkdir -p /old/deep && for i in $(seq 500); do echo $i > /old/deep/f$i; done && chmod 500 /old/deep && rm /kept"));

        var restore = s.Scute("restore", env, digest);

        Ok(restore);
        Assert.Equal("", restore.Stderr);
        var inside = Ok(s.Scute("exec", env, "--", "sh", "-c", "cat /kept; test -e /old || echo no-old"));
        Assert.Equal(["kept", "no-old"], inside.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var trash = Path.Combine(s.Store, "store", "trash");
        Assert.True(WaitUntil(() => Entries(trash).Count == 0), $"store/trash still holds {string.Join(' ', Entries(trash))}");
        Assert.Empty(Entries(Path.Combine(s.Store, "store", "staging")));
        Ok(s.Scute("verify-store"));
    }

    [SkippableFact]
    public void A_half_removed_entry_whose_remover_died_is_removed_by_the_next_command()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Dev);
        // What a remover killed halfway leaves: an entry nobody holds, part of an old upper in it.
        var entry = Path.Combine(s.Store, "store", "trash", "0123456789abcdef0123456789abcdef");
        Assert.Equal(0, TestUser.WithSubIds.RunAs(["sh", "-c", $"mkdir -p {entry}/old/etc/deep && echo stale > {entry}/old/etc/deep/file && ln -s /etc {entry}/old/link"]).ExitCode);

        // exec, which only reads the store, takes the exclusive lock for this and recovers first.
        Ok(s.Scute("exec", env, "--", "true"));

        Assert.Empty(Entries(Path.Combine(s.Store, "store", "trash")));
        Assert.True(File.Exists("/etc/passwd"), "the removal followed the link out of the store");
        Ok(s.Scute("verify-store"));
    }

    private static List<string> Entries(string dir) =>
        Directory.Exists(dir) ? [.. Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>()] : [];

    private static bool WaitUntil(Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(50);
        }

        return true;
    }

    private static ProcessResult Ok(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }
}
