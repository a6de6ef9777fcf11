using Scute.Images.Providers;

namespace Scute.Cli.Tests;

public sealed record CliResult(int Code, string Out, string Err)
{
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

internal static class CliRun
{
    public static CliResult Run(params string[] args) => RunWith(null, args);

    /// <summary>Runs a command line whose engine context the test changes (a recording backend...).</summary>
    public static CliResult RunWith(Func<Engine.EngineContext, Engine.EngineContext>? seams, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr, seams);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static void RequireBusybox() =>
        Skip.IfNot(File.Exists(BuiltinBusybox.DefaultBinary), "no static busybox at /bin/busybox (package busybox-static): builtin:busybox cannot be made");
}

/// <summary>A temp folder for one test, holding a store and project folders.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "scute-cli-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Store => Combine("store");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string relative, string content)
    {
        var file = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            // Never through a link: a test that links to /usr/share once made this loop chmod 0700 every folder there.
            foreach (var dir in Directory.EnumerateDirectories(Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                if (new DirectoryInfo(dir).LinkTarget is null)
                {
                    File.SetUnixFileMode(dir, (UnixFileMode)0b111_000_000);
                }
            }

            Directory.Delete(Path, recursive: true);
        }
    }
}
