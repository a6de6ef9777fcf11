using Scute.Engine.Packages;
using Scute.Manifest;

namespace Scute.Engine.Tests.Packages;

/// <summary>Command lines and version parsers of each manager, against captured (apt) or documented (others) output.</summary>
public sealed class PackageManagerTests
{
    private static readonly string[] Names = ["git", "hello", "make"];

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Packages", "Fixtures", name));

    private static string[][] Argv(IReadOnlyList<IReadOnlyList<string>> commands) => [.. commands.Select(c => c.ToArray())];

    [Fact]
    public void Apt_updates_then_installs_without_recommends_non_interactively()
    {
        var apt = new AptManager();

        Assert.Equal(
            [["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "git", "hello", "make"]],
            Argv(apt.InstallCommands(Names)));
        Assert.Equal("noninteractive", apt.Environment["DEBIAN_FRONTEND"]);
    }

    [Fact]
    public void Apt_pins_with_name_equals_version()
    {
        var commands = new AptManager().PinnedInstallCommands([new ResolvedPackage("git", "1:2.39.5-0+deb12u3"), new ResolvedPackage("hello", "2.10-3")]);

        Assert.Equal(["apt-get", "install", "-y", "--no-install-recommends", "git=1:2.39.5-0+deb12u3", "hello=2.10-3"], commands[^1]);
    }

    [Fact]
    public void Dpkg_query_output_gives_each_exact_version_sorted()
    {
        var apt = new AptManager();

        var versions = apt.ParseVersions(Fixture("apt-dpkg-query.txt"), ["make", "hello", "git"]);

        Assert.Equal(["dpkg-query", "-W", "-f=${Package}\t${Version}\t${db:Status-Abbrev}\n", "git", "hello", "make"], apt.QueryCommand(Names));
        Assert.Equal([new("git", "1:2.39.5-0+deb12u3"), new("hello", "2.10-3"), new ResolvedPackage("make", "4.3-4.1")], versions);
    }

    [Fact]
    public void A_requested_name_missing_from_the_database_is_named()
    {
        var e = Assert.Throws<EngineException>(() => new AptManager().ParseVersions(Fixture("apt-dpkg-query-partial.txt"), ["hello", "nosuchpkg"]));

        Assert.Contains("nosuchpkg", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hello", e.Message.Replace("nosuchpkg", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_dpkg_knows_but_has_not_installed_does_not_count()
    {
        var e = Assert.Throws<EngineException>(() => new AptManager().ParseVersions("hello\t2.10-3\trc \n", ["hello"]));

        Assert.Contains("hello", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apt", "apt-install-missing-version.txt", "hello", "9.9-9")]
    [InlineData("dnf", "dnf-install-missing-version.txt", "hello", "9.9-9.fc41")]
    [InlineData("zypper", "zypper-install-missing-version.txt", "hello", "9.9-9.1")]
    [InlineData("pacman", "pacman-install-missing-version.txt", "hello", "9.9-9")]
    [InlineData("apk", "apk-add-missing-version.txt", "make", "9.9-r9")]
    public void The_locked_version_a_mirror_lacks_is_found_in_the_error_output(string manager, string fixture, string name, string version)
    {
        var locked = new[] { new ResolvedPackage("git", "2.39.5"), new ResolvedPackage(name, version), new ResolvedPackage("zz", "1") };

        var missing = Create(manager).FindUnavailable(Fixture(fixture), locked);

        Assert.Equal(new ResolvedPackage(name, version), missing);
    }

    [Fact]
    public void An_error_about_something_else_names_no_locked_package()
    {
        Assert.Null(new AptManager().FindUnavailable(Fixture("apt-install-unknown-package.txt"), [new ResolvedPackage("hello", "2.10-3")]));
    }

    [Fact]
    public void Dnf_installs_without_weak_dependencies_and_pins_name_dash_version()
    {
        var dnf = new DnfManager();

        Assert.Equal([["dnf", "install", "-y", "--setopt=install_weak_deps=False", "git", "hello", "make"]], Argv(dnf.InstallCommands(Names)));
        Assert.Equal(["dnf", "install", "-y", "--setopt=install_weak_deps=False", "make-1:4.4.1-8.fc41"], dnf.PinnedInstallCommands([new ResolvedPackage("make", "1:4.4.1-8.fc41")])[^1]);
    }

    [Theory]
    [InlineData("dnf")]
    [InlineData("zypper")]
    public void Rpm_query_output_gives_epoch_version_release(string manager)
    {
        var m = Create(manager);

        var versions = m.ParseVersions(Fixture("rpm-query.txt"), Names);

        Assert.Equal(["rpm", "-q", "--qf", RpmManager.QueryFormat, "git", "hello", "make"], m.QueryCommand(Names));
        Assert.Equal([new("git", "2.47.1-1.fc41"), new("hello", "2.12.1-5.fc41"), new ResolvedPackage("make", "1:4.4.1-8.fc41")], versions);
        Assert.Throws<EngineException>(() => m.ParseVersions(Fixture("rpm-query-partial.txt"), ["hello", "nosuchpkg"]));
    }

    [Fact]
    public void Zypper_is_non_interactive_and_pins_as_a_capability()
    {
        var zypper = new ZypperManager();

        Assert.Equal(
            [["zypper", "--non-interactive", "refresh"], ["zypper", "--non-interactive", "install", "--no-recommends", "git", "hello", "make"]],
            Argv(zypper.InstallCommands(Names)));
        Assert.Equal("hello=2.12.1-5.1", zypper.PinnedName(new ResolvedPackage("hello", "2.12.1-5.1")));
    }

    [Fact]
    public void Pacman_syncs_needed_packages_without_asking_and_reads_pacman_q()
    {
        var pacman = new PacmanManager();

        Assert.Equal([["pacman", "-Sy", "--noconfirm", "--needed", "git", "hello", "make"]], Argv(pacman.InstallCommands(Names)));
        Assert.Equal(["pacman", "-Sy", "--noconfirm", "--needed", "hello=2.12.1-2"], pacman.PinnedInstallCommands([new ResolvedPackage("hello", "2.12.1-2")])[^1]);
        Assert.Equal([new("git", "2.47.1-1"), new("hello", "2.12.1-2"), new ResolvedPackage("make", "4.4.1-2")], pacman.ParseVersions(Fixture("pacman-query.txt"), Names));
    }

    [Fact]
    public void Apk_adds_without_a_cache_and_reads_its_installed_database()
    {
        var apk = new ApkManager();

        Assert.Equal([["apk", "add", "--no-cache", "git", "make"]], Argv(apk.InstallCommands(["git", "make"])));
        Assert.Equal(["apk", "add", "--no-cache", "git=2.45.2-r0"], apk.PinnedInstallCommands([new ResolvedPackage("git", "2.45.2-r0")])[^1]);
        Assert.Equal([new("git", "2.45.2-r0"), new ResolvedPackage("make", "4.4.1-r2")], apk.ParseVersions(Fixture("apk-installed.txt"), ["make", "git"]));
        Assert.Throws<EngineException>(() => apk.ParseVersions(Fixture("apk-installed.txt"), ["hello"]));
    }

    private static PackageManager Create(string name) => name switch
    {
        "apt" => new AptManager(),
        "dnf" => new DnfManager(),
        "zypper" => new ZypperManager(),
        "pacman" => new PacmanManager(),
        _ => new ApkManager(),
    };
}
