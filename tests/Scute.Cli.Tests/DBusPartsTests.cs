using Scute.Cli.DBus;

namespace Scute.Cli.Tests;

/// <summary>The checks and files of the D-Bus service that need no bus (the bus itself: DBusServiceTests).</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class DBusPartsTests : IDisposable
{
    private readonly TempDir temp = new();
    private readonly string? dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
    private readonly string? configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", dataHome);
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", configHome);
        temp.Dispose();
    }

    [Theory]
    [InlineData("web")]
    [InlineData("0123456789ab")]
    [InlineData("sha256:0123456789abcdef")]
    public void Ids_names_and_digests_are_references(string text) =>
        Assert.Equal(text, Arguments.Reference(text));

    [Theory]
    [InlineData("--store=/")]
    [InlineData("-v")]
    [InlineData("@/etc/passwd")]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("web\n")]
    public void Options_response_files_and_odd_text_are_refused_as_invalid_arguments(string text)
    {
        var e = Assert.Throws<BusError>(() => Arguments.Reference(text));

        Assert.Equal(BusError.InvalidArgs, e.Name);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("scute.toml")]
    [InlineData("./scute.toml")]
    [InlineData("")]
    public void A_manifest_path_must_be_absolute(string text) =>
        Assert.Equal(BusError.InvalidArgs, Assert.Throws<BusError>(() => Arguments.ManifestPath(text)).Name);

    [Theory]
    [InlineData(1, "org.scute.Error.Failed")]
    [InlineData(2, "org.scute.Error.ManifestOrPolicy")]
    [InlineData(3, "org.scute.Error.Store")]
    public void Error_names_follow_the_exit_codes(int code, string name) =>
        Assert.Equal(name, BusError.FromExitCode(code, "x").Name);

    [Fact]
    public void Install_writes_both_activation_files_and_the_user_unit_for_the_binary()
    {
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", temp.Combine("data"));
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", temp.Combine("config"));

        var written = UserUnit.Install("/opt/my scute/scute", "/srv/store");

        Assert.Equal(
            [temp.Combine("data", "dbus-1", "services", "org.scute.Manager1.service"), temp.Combine("data", "dbus-1", "services", "org.karapace.Manager1.service"), temp.Combine("config", "systemd", "user", "scute-dbus.service")],
            written);
        var activation = File.ReadAllText(written[1]);
        Assert.Contains("[D-BUS Service]\nName=org.karapace.Manager1\nExec=\"/opt/my scute/scute\" --store /srv/store dbus-service\nSystemdService=scute-dbus.service\n", activation, StringComparison.Ordinal);
        var unit = File.ReadAllText(written[2]);
        Assert.Contains("Type=dbus\nBusName=org.scute.Manager1\nExecStart=\"/opt/my scute/scute\" --store /srv/store dbus-service\n", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_idle_timeout_is_refused()
    {
        var r = CliRun.Run("dbus-service", "--idle-timeout", "0");

        Assert.Equal(1, r.Code);
        Assert.Equal("scute: --idle-timeout must be a number of seconds above 0", r.Err.Trim());
    }
}
