using System.Text.Json.Nodes;
using Scute.Engine;
using Scute.Runtime;

namespace Scute.Cli.Tests;

/// <summary>new → build → inspect / exec / destroy in one folder; changes the current folder, so runs alone.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed class WorkflowTests : IDisposable
{
    private readonly TempDir temp = new();
    private readonly string previousFolder = Directory.GetCurrentDirectory();

    public WorkflowTests()
    {
        Directory.CreateDirectory(temp.Combine("project"));
        Directory.SetCurrentDirectory(temp.Combine("project"));
    }

    public void Dispose()
    {
        Directory.SetCurrentDirectory(previousFolder);
        temp.Dispose();
    }

    private string NewWithMockBackend(string template)
    {
        var created = CliRun.Run("new", template);
        Assert.Equal(0, created.Code);
        var path = temp.Combine("project", "scute.toml");
        Assert.Contains(path, created.Out, StringComparison.Ordinal);
        var text = File.ReadAllText(path);
        Assert.Contains("backend = \"namespace\"", text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace("backend = \"namespace\"", "backend = \"mock\"", StringComparison.Ordinal));
        return path;
    }

    [SkippableFact]
    public void New_app_build_and_json_inspect()
    {
        CliRun.RequireBusybox();
        NewWithMockBackend("app");

        var built = CliRun.Run("build", "--store", temp.Store, "--name", "web");

        Assert.Equal(0, built.Code);
        Assert.Empty(built.Err); // a [security] table: no dev-profile note
        Assert.Contains("built ", built.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.Combine("project", "scute.lock")));

        var r = CliRun.Run("--json", "inspect", "web", "--store", temp.Store);

        Assert.Equal(0, r.Code);
        var o = JsonNode.Parse(r.Out)!.AsObject();
        var envId = o["env_id"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{64}$", envId);
        Assert.Equal(envId[..12], o["short_id"]!.GetValue<string>());
        Assert.Equal("web", o["name"]!.GetValue<string>());
        Assert.Equal("mock", o["backend"]!.GetValue<string>());
        var security = o["security"]!.AsObject();
        Assert.Equal("strict", security["profile"]!.GetValue<string>());
        Assert.Equal(1001, security["user"]!.GetValue<int>());
        Assert.True(security["readonly_root"]!.GetValue<bool>());
        Assert.True(security["network_isolation"]!.GetValue<bool>());
    }

    [SkippableFact]
    public void Json_build_output_matches_the_lock_and_list()
    {
        CliRun.RequireBusybox();
        NewWithMockBackend("dev");

        var built = CliRun.Run("--json", "build", "--store", temp.Store);

        Assert.Equal(0, built.Code);
        var line = Assert.Single(built.ErrLines);
        Assert.Contains("dev profile", line, StringComparison.Ordinal);
        var o = JsonNode.Parse(built.Out)!.AsObject();
        Assert.Equal("dev", o["security"]!["profile"]!.GetValue<string>());
        Assert.Equal(temp.Combine("project", "scute.lock"), o["lock"]!.GetValue<string>());

        var list = JsonNode.Parse(CliRun.Run("--json", "list", "--store", temp.Store).Out)!.AsArray();
        var only = Assert.Single(list);
        Assert.Equal(o["env_id"]!.GetValue<string>(), only!["env_id"]!.GetValue<string>());
    }

    [Fact]
    public void New_refuses_to_overwrite_without_force()
    {
        Assert.Equal(0, CliRun.Run("new").Code);

        var again = CliRun.Run("new", "dev");

        Assert.Equal(1, again.Code);
        Assert.Contains("--force", Assert.Single(again.ErrLines), StringComparison.Ordinal);
        Assert.Equal(ManifestTemplates.Get("minimal"), File.ReadAllText(temp.Combine("project", "scute.toml")));
        Assert.Equal(0, CliRun.Run("new", "dev", "--force").Code);
        Assert.Equal(ManifestTemplates.Get("dev"), File.ReadAllText(temp.Combine("project", "scute.toml")));
    }

    [Fact]
    public void Build_without_a_manifest_in_the_folder_exits_2()
    {
        var r = CliRun.Run("build", "--store", temp.Store);

        Assert.Equal(2, r.Code);
        Assert.StartsWith("scute: ", Assert.Single(r.ErrLines), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Exec_returns_the_command_status_and_destroy_removes_the_environment()
    {
        CliRun.RequireBusybox();
        NewWithMockBackend("app");
        Assert.Equal(0, CliRun.Run("build", "--store", temp.Store, "--name", "web").Code);
        var mock = new MockBackend { ExitCode = 9 };

        var r = CliRun.RunWith(c => c with { BackendOverride = _ => mock }, "exec", "--store", temp.Store, "web", "--", "/bin/sh", "-c", "exit 9");

        Assert.Equal(9, r.Code);
        Assert.Equal(["/bin/sh", "-c", "exit 9"], Assert.Single(mock.Runs).Command);

        var destroyed = CliRun.Run("destroy", "web", "--store", temp.Store);
        Assert.Equal(0, destroyed.Code);
        Assert.Equal(1, CliRun.Run("inspect", "web", "--store", temp.Store).Code);
    }

    [SkippableFact]
    public void Unexpected_exception_in_exec_is_one_internal_error_line_and_125()
    {
        CliRun.RequireBusybox();
        NewWithMockBackend("dev");
        Assert.Equal(0, CliRun.Run("build", "--store", temp.Store, "--name", "dev").Code);
        Func<EngineContext, EngineContext> boom = c => c with { BackendOverride = _ => throw new NullReferenceException("boom") };

        var r = CliRun.RunWith(boom, "exec", "--store", temp.Store, "dev", "--", "/bin/true");

        Assert.Equal(125, r.Code);
        var line = Assert.Single(r.ErrLines);
        Assert.StartsWith("scute: internal error: boom", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);

        var traced = CliRun.RunWith(boom, "exec", "--trace", "--store", temp.Store, "dev", "--", "/bin/true");

        Assert.Equal(125, traced.Code);
        Assert.Contains("   at ", traced.Err, StringComparison.Ordinal);
    }
}
