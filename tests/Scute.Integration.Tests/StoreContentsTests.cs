using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

[Trait("Category", "Integration")]
public sealed class StoreContentsTests
{
    [SkippableFact]
    public void Build_lays_out_the_store_as_documented()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("scute.toml", Manifests.Strict);

        var build = s.Scute("--json", "build");

        Assert.True(build.ExitCode == 0, build.ToString());
        var envId = JsonNode.Parse(build.Stdout)!["env_id"]!.GetValue<string>();
        var version = JsonNode.Parse(File.ReadAllText(Path.Combine(s.Store, "store", "version")))!;
        Assert.Equal(1, version["format_version"]!.GetValue<int>());
        Assert.True(File.Exists(Path.Combine(s.Store, "store", ".lock")));
        Assert.True(File.Exists(Path.Combine(s.Store, "store", "metadata", envId)));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(s.Store, "store", "objects")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(s.Store, "store", "layers")));
        Assert.True(Directory.Exists(Path.Combine(s.Store, "env", envId, "upper")));
        var rootfs = Assert.Single(Directory.GetDirectories(Path.Combine(s.Store, "images")));
        Assert.True(File.Exists(Path.Combine(rootfs, "rootfs", "bin", "busybox")));
        var owner = TestUser.Run("stat", ["-c", "%U", Path.Combine(s.Store, "store", "version")]);
        Assert.Equal(s.User.Name, owner.Stdout.Trim());
    }

    [SkippableFact]
    public void Corrupted_metadata_is_reported_as_a_store_error_naming_the_file()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(Manifests.Strict);
        var metadata = Directory.GetFiles(Path.Combine(s.Store, "store", "metadata")).Single();
        var text = File.ReadAllText(metadata);
        File.WriteAllText(metadata, text.Replace("builtin:busybox", "builtin:busyboy", StringComparison.Ordinal));

        var list = s.Scute("list");
        var build = s.Scute("build");

        Assert.Equal(3, list.ExitCode);
        Assert.Contains(Path.GetFileName(metadata), list.Stderr);
        Assert.Equal(3, build.ExitCode);
    }

    [SkippableFact]
    public void List_inspect_and_destroy()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var id = s.Build(Manifests.Strict, name: "web");

        var list = s.Scute("--json", "list");
        var inspect = s.Scute("--json", "inspect", "web");
        var destroy = s.Scute("destroy", "web");
        var after = s.Scute("--json", "list");
        var exec = s.Scute("exec", "web", "--", "true");

        Assert.Equal(id, JsonNode.Parse(list.Stdout)!.AsArray().Single()!["short_id"]!.GetValue<string>());
        var detail = JsonNode.Parse(inspect.Stdout)!;
        Assert.Equal("strict", detail["security"]!["profile"]!.GetValue<string>());
        Assert.Equal(1001, detail["security"]!["user"]!.GetValue<int>());
        Assert.Equal(0, destroy.ExitCode);
        Assert.Empty(JsonNode.Parse(after.Stdout)!.AsArray());
        Assert.Equal(125, exec.ExitCode);
        Assert.Empty(Directory.GetDirectories(Path.Combine(s.Store, "env")));
    }
}
