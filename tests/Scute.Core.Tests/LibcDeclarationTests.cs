using System.Text.RegularExpressions;

namespace Scute.Core.Tests;

/// <summary>Each libc function is declared once, in Scute.Core.Interop (the binaries bind libc at link time).</summary>
public partial class LibcDeclarationTests
{
    [Fact]
    public void No_project_but_Core_declares_a_libc_function()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var outside = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Path.Combine(src, "Scute.Core") + "/", StringComparison.Ordinal))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("LibraryImport(\"libc\"", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(src, f))
            .ToList();
        Assert.Empty(outside);
    }

    [Fact]
    public void Each_libc_function_is_declared_once_per_entry_point_and_signature()
    {
        var folder = Path.Combine(RepositoryRoot(), "src", "Scute.Core", "Interop");
        var declarations = Directory.EnumerateFiles(folder, "*.cs")
            .SelectMany(f => Declaration().Matches(File.ReadAllText(f)).Select(m => m.Value.Trim()))
            .ToList();
        Assert.NotEmpty(declarations);
        Assert.Equal(declarations.Count, declarations.Distinct(StringComparer.Ordinal).Count());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Scute.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Scute.slnx not found above the test binaries");
    }

    [GeneratedRegex(@"LibraryImport\(""libc""[^\]]*\]\s*public static[^;]*;")]
    private static partial Regex Declaration();
}
