using Scute.Manifest;
using Scute.Policy;

namespace Scute.Engine.Tests;

public sealed class ManifestTemplatesTests : IDisposable
{
    private readonly TestProject project = new();

    public void Dispose() => project.Dispose();

    [Theory]
    [InlineData("minimal", "dev")]
    [InlineData("dev", "dev")]
    [InlineData("app", "strict")]
    public void Each_template_parses_and_resolves_to_its_profile(string template, string profile)
    {
        var folder = Directory.CreateTempSubdirectory("scute-template-").FullName;
        var manifest = ManifestParser.Parse(ManifestTemplates.Get(template), Path.Combine(folder, "scute.toml"));

        var security = SecurityContextResolver.Resolve(manifest);
        Directory.Delete(folder);

        Assert.Equal(profile, security.Profile);
        Assert.Equal("builtin:busybox", manifest.BaseImage);
    }

    [Fact]
    public void App_template_is_locked_down()
    {
        var security = SecurityContextResolver.Resolve(ManifestParser.Parse(ManifestTemplates.Get("app"), "/tmp/x/scute.toml"));

        Assert.Equal(1001, security.User);
        Assert.True(security.ReadOnlyRoot);
        Assert.True(security.NetworkIsolation);
        Assert.Empty(security.Capabilities);
        Assert.Empty(security.Overrides);
    }

    [Fact]
    public void Dev_template_mounts_the_workspace()
    {
        var manifest = ManifestParser.Parse(ManifestTemplates.Get("dev"), "/tmp/x/scute.toml");

        var mount = Assert.Single(manifest.Mounts);
        Assert.Equal("/workspace", mount.ContainerPath);
        Assert.Equal("/tmp/x", mount.HostPath);
    }

    [Fact]
    public void Names_are_minimal_dev_app_and_others_are_refused()
    {
        Assert.Equal(["minimal", "dev", "app"], ManifestTemplates.Names);
        Assert.Throws<EngineException>(() => ManifestTemplates.Get("web"));
    }

    [Fact]
    public void Write_creates_scute_toml_and_refuses_to_overwrite_without_force()
    {
        var path = ManifestTemplates.Write(project.Root, "app", force: false);

        Assert.Equal(Path.Combine(project.Root, "scute.toml"), path);
        Assert.Equal(ManifestTemplates.Get("app"), File.ReadAllText(path));

        File.WriteAllText(path, "# mine\n");
        var e = Assert.Throws<EngineException>(() => ManifestTemplates.Write(project.Root, "dev", force: false));
        Assert.Contains("--force", e.Message, StringComparison.Ordinal);
        Assert.Equal("# mine\n", File.ReadAllText(path));

        ManifestTemplates.Write(project.Root, "dev", force: true);
        Assert.Equal(ManifestTemplates.Get("dev"), File.ReadAllText(path));
    }
}
