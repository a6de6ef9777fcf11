using Scute.Tests.Corpus;
using System.Text;
using Scute.Manifest.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Scute.Manifest.Tests;

/// <summary>
/// Every file of tests/corpus/manifests through <see cref="ManifestParser.ParseFile"/>: whatever the bytes,
/// the only exception that may escape is <see cref="ManifestException"/>, with a one-line message.
/// Whether the file is then refused with the right message is checked end to end by HostileManifestTests.
/// </summary>
public sealed class HostileCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var name in HostileCorpus.Names())
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void Corpus_has_at_least_40_files_each_listed_once()
    {
        var names = HostileCorpus.Names();
        Assert.True(names.Count >= 40, $"only {names.Count} corpus entries");
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        var committed = Directory.GetFiles(HostileCorpus.Folder).Select(Path.GetFileName).Where(n => n != HostileCorpus.IndexName);
        Assert.Empty(committed.Except(names, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Parsing_only_ever_throws_a_one_line_ManifestException(string name)
    {
        using var temp = new TempFolder();
        var path = HostileCorpus.Materialize(name, temp.Path);

        var thrown = Record.Exception(() => ManifestParser.ParseFile(path));

        if (thrown is null)
        {
            output.WriteLine($"{name}: parsed (refusing it, if it should be refused, is left to policy or build)");
            return;
        }

        var manifestError = Assert.IsType<ManifestException>(thrown);
        Assert.DoesNotContain('\n', manifestError.Message);
        Assert.DoesNotContain('\r', manifestError.Message);
        // The parser's last-resort catch wraps its own bugs; say so, so they get a real message.
        if (manifestError.Message.Contains(": cannot be read: ", StringComparison.Ordinal) && manifestError.InnerException is not IOException)
        {
            output.WriteLine($"{name}: a parser bug was wrapped: {manifestError.InnerException}");
        }

        output.WriteLine($"{name}: {manifestError.Message}");
    }
}
