using Scute.Tests.Corpus;
using System.Text;
using Scute.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Scute.Integration.Tests;

/// <summary>
/// `scute build &lt;file&gt;` on every file of tests/corpus/manifests, as the non-root test user: the exit code
/// and message EXPECTED.txt asks for, exactly one "scute: " line on stderr, no stack trace, and neither
/// the store nor the project folder changed (no metadata, no env folder, no lock file).
/// </summary>
[Trait("Category", "Integration")]
public sealed class HostileManifestTests(ITestOutputHelper output)
{
    /// <summary>
    /// Entries the product does not refuse yet, with what it does today (exit code, a substring of stderr).
    /// They are asserted to still behave this way, so a fix makes the test fail until the entry is removed.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (int Exit, string Stderr, string Why)> KnownFailures =
        new Dictionary<string, (int, string, string)>(StringComparer.Ordinal)
        {
        };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var entry in HostileCorpus.Entries())
        {
            data.Add(entry.Name);
        }

        return data;
    }

    private static readonly Lazy<ScuteSession> SharedSession = new(CreateSession);

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Build_refuses_the_file_with_one_line_and_leaves_the_store_alone(string name)
    {
        Skip.IfNot(TestUser.WithSubIds.Exists, $"test user {TestUser.WithSubIds.Name} does not exist (./test.sh creates it as root)");
        var s = SharedSession.Value;
        var expected = HostileCorpus.Entries().Single(e => e.Name == name);
        var path = Materialize(s, name);
        var file = Path.GetFileName(path);
        var lockPath = Path.ChangeExtension(path, ".lock");
        var before = Listing(s.Store);

        var r = s.Scute("build", file);

        output.WriteLine($"{name}: {r}");
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        if (KnownFailures.TryGetValue(name, out var known))
        {
            output.WriteLine($"KNOWN FAILURE {name}: expected exit {expected.Exit} with \"{expected.Substring}\"; today exit {r.ExitCode}: {known.Why}");
            Assert.True(
                r.ExitCode == known.Exit && r.Stderr.Contains(known.Stderr, StringComparison.Ordinal),
                $"{name} no longer fails the known way (exit {known.Exit}, \"{known.Stderr}\"): if it is fixed, remove it from KnownFailures. {r}");
            return;
        }

        Assert.True(expected.Exit == r.ExitCode, $"{name}: expected exit {expected.Exit}. {r}");
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"{name}: stderr is not exactly one line. {r}");
        Assert.StartsWith("scute: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(file, lines[0], StringComparison.Ordinal);
        Assert.Contains(expected.Substring, lines[0], StringComparison.Ordinal);
        Assert.Empty(r.Stdout);
        Assert.False(File.Exists(lockPath), $"{name}: a lock file was written for a refused manifest");
        Assert.Equal(before, Listing(s.Store));
    }

    [Fact]
    public void Known_failures_are_corpus_entries()
    {
        var names = HostileCorpus.Entries().Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in KnownFailures.Keys)
        {
            Assert.Contains(name, names);
            output.WriteLine($"known failure: {name}: {KnownFailures[name].Why}");
        }
    }

    private static ScuteSession CreateSession()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(Manifests.Strict, "valid.toml");
        return s;
    }

    /// <summary>Writes the entry into the user's project folder (as root, then hands it over) and returns its path.</summary>
    private static string Materialize(ScuteSession s, string name)
    {
        var path = HostileCorpus.Materialize(name, s.Project);
        if (TestUser.RunningAsRoot)
        {
            var chown = TestUser.Run("chown", ["-h", $"{s.User.Name}:{s.User.Name}", path]);
            Assert.True(chown.ExitCode == 0, chown.ToString());
        }

        return path;
    }

    /// <summary>Every path under the store with its size (files) or "/" (folders) or "-> target" (links).</summary>
    private static string Listing(string root)
    {
        if (!Directory.Exists(root))
        {
            return "(no store)";
        }

        var sb = new StringBuilder();
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                     .Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(entry);
            var kind = info.LinkTarget is { } target ? "-> " + target
                : Directory.Exists(entry) ? "/"
                : info.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sb.Append(Path.GetRelativePath(root, entry)).Append(' ').Append(kind).Append('\n');
        }

        return sb.ToString();
    }
}
