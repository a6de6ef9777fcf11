using Scute.Store;

namespace Scute.Cli.Tests;

public sealed class ErrorExitTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private static void AssertOneCleanLine(CliResult r)
    {
        var line = Assert.Single(r.ErrLines);
        Assert.StartsWith("scute: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("manifest_version = 1\n[base\nimage = \"builtin:busybox\"\n")]
    [InlineData("manifest_version = 2\n[base]\nimage = \"builtin:busybox\"\n")]
    [InlineData("manifest_version = 1\n")]
    [InlineData("manifest_version = 1\n[base]\nimage = \"builtin:busybox\"\n[security]\nuser = 0\n")]
    public void Broken_manifest_exits_2_with_one_line_naming_the_file(string text)
    {
        var manifest = temp.Write("app/scute.toml", text);

        var r = CliRun.Run("build", manifest, "--store", temp.Store);

        Assert.Equal(2, r.Code);
        AssertOneCleanLine(r);
        Assert.Contains(manifest, r.Err, StringComparison.Ordinal);
        Assert.Empty(r.Out);
    }

    [Fact]
    public void Unknown_builtin_image_exits_2_with_one_line()
    {
        var manifest = temp.Write("app/scute.toml", "manifest_version = 1\n[base]\nimage = \"builtin:nothing\"\n");

        var r = CliRun.Run("build", manifest, "--store", temp.Store);

        Assert.Equal(2, r.Code);
        AssertOneCleanLine(r);
        Assert.Contains("builtin:nothing", r.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Store));
    }

    [Fact]
    public void Unknown_builtin_image_error_names_the_file()
    {
        var manifest = temp.Write("app/scute.toml", "manifest_version = 1\n[base]\nimage = \"builtin:nothing\"\n");

        var r = CliRun.Run("build", manifest, "--store", temp.Store);

        Assert.Contains(manifest, r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_manifest_exits_2()
    {
        var missing = temp.Combine("nowhere", "scute.toml");

        var r = CliRun.Run("build", missing, "--store", temp.Store);

        Assert.Equal(2, r.Code);
        AssertOneCleanLine(r);
        Assert.Contains(missing, r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Packages_exit_1()
    {
        var manifest = temp.Write("app/scute.toml", "manifest_version = 1\n[base]\nimage = \"builtin:busybox\"\n[system]\npackages = [\"curl\"]\n");

        var r = CliRun.Run("build", manifest, "--store", temp.Store);

        Assert.Equal(1, r.Code);
        AssertOneCleanLine(r);
    }

    [Fact]
    public void Exec_of_an_unknown_environment_exits_125()
    {
        ScuteStore.OpenOrCreate(temp.Store);

        var r = CliRun.Run("exec", "--store", temp.Store, "nope", "--", "/bin/true");

        Assert.Equal(125, r.Code);
        AssertOneCleanLine(r);
        Assert.Contains("nope", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Enter_of_an_unknown_environment_exits_125()
    {
        ScuteStore.OpenOrCreate(temp.Store);

        var r = CliRun.Run("enter", "--store", temp.Store, "nope");

        Assert.Equal(125, r.Code);
        AssertOneCleanLine(r);
    }

    [Fact]
    public void Inspect_of_an_unknown_environment_exits_1()
    {
        ScuteStore.OpenOrCreate(temp.Store);

        var r = CliRun.Run("inspect", "--store", temp.Store, "nope");

        Assert.Equal(1, r.Code);
        AssertOneCleanLine(r);
        Assert.Contains("nope", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_without_a_store_exits_1_and_creates_nothing()
    {
        var r = CliRun.Run("inspect", "--store", temp.Store, "nope");

        Assert.Equal(1, r.Code);
        AssertOneCleanLine(r);
        Assert.False(Directory.Exists(temp.Store));
    }

    [Fact]
    public void Destroy_of_an_unknown_environment_exits_1()
    {
        ScuteStore.OpenOrCreate(temp.Store);

        var r = CliRun.Run("destroy", "--store", temp.Store, "nope");

        Assert.Equal(1, r.Code);
        AssertOneCleanLine(r);
    }

    [Fact]
    public void Store_of_an_unknown_format_exits_3()
    {
        ScuteStore.OpenOrCreate(temp.Store);
        var layout = new StoreLayout(temp.Store);
        File.WriteAllText(layout.VersionFile, "{\"format_version\": 99}");

        var r = CliRun.Run("--json", "list", "--store", temp.Store);

        Assert.Equal(3, r.Code);
        AssertOneCleanLine(r);
    }
}
