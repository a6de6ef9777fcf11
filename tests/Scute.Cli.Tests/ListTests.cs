using System.Text.Json.Nodes;
using Scute.Store;

namespace Scute.Cli.Tests;

public sealed class ListTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Json_list_of_an_empty_store_is_an_empty_array()
    {
        ScuteStore.OpenOrCreate(temp.Store);

        var r = CliRun.Run("--json", "list", "--store", temp.Store);

        Assert.Equal(0, r.Code);
        Assert.Equal("[]", r.Out.Trim());
        Assert.Empty(r.Err);
    }

    [Fact]
    public void Json_list_without_a_store_is_an_empty_array_and_creates_nothing()
    {
        var r = CliRun.Run("list", "--json", "--store", temp.Store);

        Assert.Equal(0, r.Code);
        Assert.Empty(Assert.IsType<JsonArray>(JsonNode.Parse(r.Out)));
        Assert.False(Directory.Exists(temp.Store));
    }

    [Fact]
    public void Text_list_of_an_empty_store_has_only_the_header()
    {
        ScuteStore.OpenOrCreate(temp.Store);

        var r = CliRun.Run("list", "--store", temp.Store);

        Assert.Equal(0, r.Code);
        var line = Assert.Single(r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("SHORT_ID", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_doctor_lists_the_checks()
    {
        var r = CliRun.Run("--json", "doctor");

        var checks = Assert.IsType<JsonArray>(JsonNode.Parse(r.Out));
        var names = checks.Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("unshare", names);
        Assert.Contains("user namespaces", names);
        var allOk = checks.All(c => c!["ok"]!.GetValue<bool>());
        Assert.Equal(allOk ? 0 : 1, r.Code);
    }
}
