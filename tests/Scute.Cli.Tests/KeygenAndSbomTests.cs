namespace Scute.Cli.Tests;

public sealed class KeygenAndSbomTests : IDisposable
{
    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Keygen_writes_both_files_and_will_not_overwrite_them()
    {
        var prefix = temp.Combine("signing");

        var first = CliRun.Run("keygen", prefix);
        var again = CliRun.Run("keygen", prefix);
        var noFolder = CliRun.Run("keygen", temp.Combine("missing", "signing"));

        Assert.Equal(0, first.Code);
        Assert.Equal($"wrote {prefix}.key\nwrote {prefix}.pub\n", first.Out.ReplaceLineEndings("\n"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(prefix + ".key"));
        Assert.Equal(1, again.Code);
        Assert.Contains("already exists", Assert.Single(again.ErrLines), StringComparison.Ordinal);
        Assert.Equal(1, noFolder.Code);
        Assert.Single(noFolder.ErrLines);
    }

    [SkippableFact]
    public void Sbom_prints_the_stored_document_and_writes_it_with_output()
    {
        CliRun.RequireBusybox();
        var manifest = temp.Write("app/scute.toml", "manifest_version = 1\n\n[base]\nimage = \"builtin:busybox\"\n\n[runtime]\nbackend = \"mock\"\n");
        var build = CliRun.Run("--store", temp.Store, "--json", "build", manifest);
        Assert.True(build.Code == 0, build.Err);
        var id = System.Text.Json.Nodes.JsonNode.Parse(build.Out)!["short_id"]!.GetValue<string>();

        var printed = CliRun.Run("--store", temp.Store, "sbom", id);
        var file = temp.Combine("env.spdx.json");
        var written = CliRun.Run("--store", temp.Store, "sbom", id, "-o", file);
        var unknown = CliRun.Run("--store", temp.Store, "sbom", "nosuchenv");

        Assert.Equal(0, printed.Code);
        Assert.Contains("\"spdxVersion\":\"SPDX-2.3\"", printed.Out, StringComparison.Ordinal);
        Assert.Equal(0, written.Code);
        Assert.Equal(printed.Out.TrimEnd('\n'), File.ReadAllText(file));
        Assert.Equal(1, unknown.Code);
    }
}
