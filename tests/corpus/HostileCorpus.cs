using System.Text;

namespace Scute.Tests.Corpus;

/// <summary>
/// Reads tests/corpus/manifests/EXPECTED.txt and puts one entry on disk: committed files are copied
/// (.bin as &lt;stem&gt;.toml), gen-* files are generated, @SYMLINK_TO_ETC@ becomes ./link-to-etc.
/// Shared by the manifest unit tests and the integration tests (linked into both projects).
/// </summary>
public static class HostileCorpus
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

    public static IReadOnlyList<string> Names() => [.. Entries().Select(e => e.Name)];

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
