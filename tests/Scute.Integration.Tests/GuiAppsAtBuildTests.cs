using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// [gui] apps are put in the host's menu at build (issue 12, point 5): a Debian environment with
/// htop (a small package that ships htop.desktop) installed by apt; the entry validates and runs
/// htop from the environment.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GuiAppsAtBuildTests : IClassFixture<DebianPackagesFixture>
{
    private readonly DebianPackagesFixture fixture;

    public GuiAppsAtBuildTests(DebianPackagesFixture fixture) => this.fixture = fixture;

    [SkippableFact]
    public void A_gui_app_installed_at_build_is_in_the_menu_and_runs_from_the_environment()
    {
        var s = fixture.Require();
        Skip.IfNot(File.Exists("/usr/bin/desktop-file-validate"), "needs desktop-file-validate (desktop-file-utils; ./test.sh installs it)");
        var data = Path.Combine(s.Root, "gui-data");
        s.User.RunAs(["mkdir", "-p", data]);
        var env = new Dictionary<string, string>(s.Environment) { ["XDG_DATA_HOME"] = data, ["SCUTE_STORE"] = s.Store };
        s.Write("gui/scute.toml", $"""
            manifest_version = 1

            [base]
            image = "{PackageInstallTests.Alias}"

            [gui]
            apps = ["htop"]
            """);

        var build = s.User.RunAs([ScuteBinary.Path, "build", "gui/scute.toml"], s.Project, env);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain("warning", build.Stderr, StringComparison.Ordinal);
        var desktop = Directory.GetFiles(Path.Combine(data, "applications"), "scute-*-htop.desktop").Single();
        var validate = TestUser.Run("desktop-file-validate", [desktop]);
        Assert.True(validate.ExitCode == 0 && validate.Stdout.Trim().Length == 0, validate.ToString());
        var exec = File.ReadAllLines(desktop).First(l => l.StartsWith("Exec=", StringComparison.Ordinal))["Exec=".Length..].Split(' ');
        Assert.Equal(ScuteBinary.Path, exec[0]);
        Assert.Equal("htop", exec[^1]);
        var version = s.User.RunAs([.. exec, "--version"], s.Project, env);
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.StartsWith("htop 3.", version.Stdout, StringComparison.Ordinal);
    }
}
