using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>The pages scute man-pages writes, rendered by the real groff and man.</summary>
[Trait("Category", "Integration")]
public sealed class ManPageTests
{
    [SkippableFact]
    public void Every_page_renders_without_a_groff_warning_and_man_shows_it()
    {
        Skip.IfNot(File.Exists("/usr/bin/groff") && File.Exists("/usr/bin/man"), "groff or man is missing (packages groff-base, man-db; ./test.sh installs them)");
        var dir = Path.Combine(Path.GetTempPath(), "scute-man-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = TestUser.Run(ScuteBinary.Path, ["man-pages", dir]);
            Assert.True(written.ExitCode == 0, written.ToString());
            var pages = Directory.GetFiles(dir);
            Assert.Contains(Path.Combine(dir, "scute-exec.1"), pages);
            Assert.Contains(Path.Combine(dir, "scute.toml.5"), pages);

            foreach (var page in pages)
            {
                var groff = TestUser.Run("groff", ["-ww", "-z", "-man", page]);
                Assert.True(groff.ExitCode == 0 && groff.Stderr.Length == 0, $"{page}: {groff}");

                var man = TestUser.Run("env", ["MANWIDTH=80", "man", "--warnings=w", "-l", page]);
                Assert.True(man.ExitCode == 0 && man.Stderr.Length == 0, $"{page}: {man}");
                Assert.Contains("NAME", man.Stdout, StringComparison.Ordinal);
            }

            var exec = TestUser.Run("env", ["MANWIDTH=80", "man", "-l", Path.Combine(dir, "scute-exec.1")]).Stdout;
            Assert.Contains("-w, --workdir workdir", exec, StringComparison.Ordinal);
            Assert.Contains("--lock-timeout seconds", exec, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
