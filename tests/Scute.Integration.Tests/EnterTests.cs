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

    [SkippableFact]
    public void Enter_starts_the_login_shell_of_the_account_and_says_which_environment_it_is_in()
    {
        Skip.IfNot(File.Exists("/usr/bin/script"), "needs script(1) from util-linux (bsdutils)");
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(Manifests.Strict, name: "where");
        var enter = $"SCUTE_STORE={s.Store} {ScuteBinary.Path} enter where";
        const string probe = "echo env=$SCUTE_ENV host=$(hostname) shell=$0; exit 0\n";

        var login = s.User.RunAs(["script", "-qec", enter, "/dev/null"], s.Project, stdin: probe);
        var chosen = s.User.RunAs(["script", "-qec", enter + " --shell /bin/ash", "/dev/null"], s.Project, stdin: probe);

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("env=where host=where shell=/bin/sh", login.Stdout, StringComparison.Ordinal);
        Assert.True(chosen.ExitCode == 0, chosen.ToString());
        Assert.Contains("shell=/bin/ash", chosen.Stdout, StringComparison.Ordinal);
    }
}
