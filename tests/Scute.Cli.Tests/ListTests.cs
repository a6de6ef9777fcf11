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

    private static EnvironmentMetadata Env(string seed, string? name, EnvState state, int minute) => new()
    {
        EnvId = Digest.Compute(System.Text.Encoding.UTF8.GetBytes(seed)).Hex,
        ShortId = Digest.Compute(System.Text.Encoding.UTF8.GetBytes(seed)).ShortId,
        Name = name,
        State = state,
        ManifestPath = "/m/" + seed + ".toml",
        BaseReference = "builtin:busybox",
        BaseDigest = Digest.Compute([1]),
        ImageKey = "builtin-busybox",
        Backend = seed == "a" ? "namespace" : "oci",
        Layers = [Digest.Compute([2])],
        ManifestJson = "{}",
        SecurityJson = "{}",
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, minute, 5, TimeSpan.FromHours(1)),
        UpdatedAt = new DateTimeOffset(2026, 1, 2, 3, minute, 5, TimeSpan.Zero),
    };

    [Fact]
    public void Text_list_is_an_aligned_table_of_every_environment()
    {
        var store = ScuteStore.OpenOrCreate(temp.Store);
        var a = Env("a", "web-server", EnvState.Built, 4);
        var b = Env("b", null, EnvState.Frozen, 59);
        store.Metadata.Put(a);
        store.Metadata.Put(b);

        var r = CliRun.Run("list", "--store", temp.Store);

        Assert.Equal(0, r.Code);
        Assert.Empty(r.Err);
        var rows = new[] { a, b }.OrderBy(m => m.EnvId, StringComparer.Ordinal).Select(m => m == a
            ? $"{a.ShortId}  web-server  built   namespace  builtin:busybox  2026-01-02 03:04"
            : $"{b.ShortId}  -           frozen  oci        builtin:busybox  2026-01-02 03:59");
        Assert.Equal(
            string.Join("\n", ["SHORT_ID      NAME        STATE   BACKEND    BASE             CREATED", .. rows]) + "\n",
            r.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Json_list_shows_each_environments_documented_fields()
    {
        var store = ScuteStore.OpenOrCreate(temp.Store);
        var a = Env("a", "web-server", EnvState.Archived, 4);
        store.Metadata.Put(a);

        var r = CliRun.Run("--json", "list", "--store", temp.Store);

        Assert.Equal(0, r.Code);
        var e = Assert.Single(Assert.IsType<JsonArray>(JsonNode.Parse(r.Out)))!;
        Assert.Equal(a.EnvId, e["env_id"]!.GetValue<string>());
        Assert.Equal("web-server", e["name"]!.GetValue<string>());
        Assert.Equal("archived", e["state"]!.GetValue<string>());
        Assert.Equal("2026-01-02T03:04:05.0000000+01:00", e["created_at"]!.GetValue<string>());
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
