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

/// <summary>
/// Reads tests/corpus/manifests/EXPECTED.txt and puts one entry on disk: committed files are copied
/// (.bin as &lt;stem&gt;.toml), gen-* files are generated, @SYMLINK_TO_ETC@ becomes ./link-to-etc.
/// Kept in step with the copy in Scute.Manifest.Tests/HostileCorpusTests.cs.
/// </summary>
internal static class HostileCorpus
{
    public const string IndexName = "EXPECTED.txt";
    public const string SymlinkPlaceholder = "@SYMLINK_TO_ETC@";
    public const string SymlinkName = "link-to-etc";

    public sealed record Entry(string Name, int Exit, string Substring);

    public static string Folder { get; } = FindFolder();

    public static IReadOnlyList<Entry> Entries() =>
        [.. File.ReadAllLines(Path.Combine(Folder, IndexName))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 3))
            .Select(p => new Entry(p[0], int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), p.Length > 2 ? p[2] : string.Empty))];

    /// <summary>Writes the entry into <paramref name="folder"/> (with the symlink it may need) and returns its path.</summary>
    public static string Materialize(string name, string folder)
    {
        var target = Path.Combine(folder, name.EndsWith(".bin", StringComparison.Ordinal) ? name[..^4] + ".toml" : name);
        var bytes = name.StartsWith("gen-", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(Generate(name))
            : File.ReadAllBytes(Path.Combine(Folder, name));
        var text = Encoding.UTF8.GetString(bytes);
        if (text.Contains(SymlinkPlaceholder, StringComparison.Ordinal))
        {
            bytes = Encoding.UTF8.GetBytes(text.Replace(SymlinkPlaceholder, "./" + SymlinkName, StringComparison.Ordinal));
            var link = Path.Combine(folder, SymlinkName);
            if (!File.Exists(link) && !Directory.Exists(link))
            {
                File.CreateSymbolicLink(link, "/etc");
            }
        }

        File.WriteAllBytes(target, bytes);
        return target;
    }

    private const string Head = "manifest_version = 1\n\n[base]\nimage = \"builtin:busybox\"\n";

    public static string Generate(string name) => name switch
    {
        "gen-20mb.toml" => Head + Repeat("# " + new string('x', 97) + "\n", 20 * 1024 * 1024 / 100),
        "gen-just-under-1mib-comment.toml" => "manifest_version = 1\n" + Repeat("# " + new string('x', 97) + "\n", 10_400)
            + "privileged = true\n[base]\nimage = \"builtin:busybox\"\n",
        "gen-deep-array-10000.toml" => "manifest_version = 1\nx = " + new string('[', 10_000) + new string(']', 10_000) + "\n" + Head[21..],
        "gen-deep-inline-table-10000.toml" => "manifest_version = 1\nx = " + Repeat("{a = ", 10_000) + "1" + new string('}', 10_000) + "\n" + Head[21..],
        "gen-deep-dotted-key-10000.toml" => "manifest_version = 1\n" + string.Join('.', Enumerable.Repeat("a", 10_000)) + " = 1\n" + Head[21..],
        "gen-deep-table-header-10000.toml" => Head + "[" + string.Join('.', Enumerable.Repeat("a", 10_000)) + "]\nb = 1\n",
        "gen-huge-array-100000.toml" => Head + "\n[system]\npackages = [" + string.Join(", ", Enumerable.Range(0, 100_000).Select(i => $"\"p{i}\"")) + "]\n",
        "gen-long-image-100k.toml" => "manifest_version = 1\n\n[base]\nimage = \"builtin:" + new string('b', 100_000) + "\"\n",
        "gen-long-reason-1m.toml" => Head + "\n[security]\nprofile = \"strict\"\nuser = 1001\ngroup = 1001\nreadonly_root = false\n\n[security.overrides]\nreadonly_root = \""
            + Repeat("why ", 250_000) + "\"\n",
        "gen-many-mounts-20000.toml" => Head + "\n[mounts]\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"m{i} = \"./:/m{i}\"\n")),
        _ => throw new ArgumentException($"no generator for corpus entry {name}", nameof(name)),
    };

    private static string Repeat(string s, int count) => new StringBuilder(s.Length * count).Insert(0, s, count).ToString();

    private static string FindFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Scute.slnx")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? throw new InvalidOperationException("cannot find the repository root (Scute.slnx) above " + AppContext.BaseDirectory)
            : Path.Combine(dir.FullName, "tests", "corpus", "manifests");
    }
}
