using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>A command that finds the store locked says so once, waits, and with --lock-timeout gives up (exit 3).</summary>
[Trait("Category", "Integration")]
public sealed class LockWaitTests
{
    [SkippableFact]
    public void Lock_timeout_gives_up_with_exit_3_and_says_it_waited()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(Manifests.Strict);
        using var holder = LockHolder.Hold(s, TimeSpan.FromSeconds(30));

        var result = s.Scute("--lock-timeout", "1", "build");

        Assert.True(result.ExitCode == 3, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("scute: waiting for the store lock held by another", lines[0], StringComparison.Ordinal);
        Assert.Contains("gave up after 1 s (--lock-timeout)", lines[1]);
    }

    [SkippableFact]
    public void Without_a_timeout_the_command_proceeds_once_the_lock_is_released()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(Manifests.Strict);
        using var holder = LockHolder.Hold(s, TimeSpan.FromSeconds(2));

        var result = s.Scute("build");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("scute: waiting for the store lock held by another", result.Stderr);
    }
}
