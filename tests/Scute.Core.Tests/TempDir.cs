namespace Scute.Core.Tests;

/// <summary>A fresh folder per test, removed afterwards even if a test left read-only folders in it.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "scute-core-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        // Never through a link: a test that links to /usr/share once made this loop chmod 0700 every folder there.
        foreach (var dir in Directory.EnumerateDirectories(Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            if (!new DirectoryInfo(dir).Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                File.SetUnixFileMode(dir, (UnixFileMode)0b111_000_000);
            }
        }

        Directory.Delete(Path, recursive: true);
    }
}
