using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>enter gives an interactive shell on a terminal (driven through script(1)'s pseudo-terminal).</summary>
[Trait("Category", "Integration")]
public sealed class EnterTests
{
    [SkippableFact]
    public void Enter_gives_a_shell_with_a_tty_and_returns_its_status()
    {
        Skip.IfNot(File.Exists("/usr/bin/script"), "needs script(1) from util-linux (bsdutils)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict, name: "shell");
        var command = $"SCUTE_STORE={s.Store} {ScuteBinary.Path} enter shell";

        var r = s.User.RunAs(["script", "-qec", command, "/dev/null"], s.Project, stdin: "tty; test -t 0 && echo IS-A-TTY; id -u; exit 3\n");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("/dev/pts/", r.Stdout);
        Assert.Contains("IS-A-TTY", r.Stdout);
        Assert.Contains("1001", r.Stdout);
        Assert.NotNull(env);
    }
}
