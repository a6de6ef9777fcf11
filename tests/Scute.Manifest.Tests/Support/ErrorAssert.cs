using Xunit;

namespace Scute.Manifest.Tests.Support;

internal static class ErrorAssert
{
    /// <summary>Parses and asserts the one-line error names the file, the line and the key.</summary>
    public static ManifestException Fails(string toml, int? line, string? key)
    {
        var ex = Assert.Throws<ManifestException>(() => Samples.Parse(toml));
        AssertShape(ex, Samples.ManifestPath, line, key);
        return ex;
    }

    public static void AssertShape(ManifestException ex, string file, int? line, string? key)
    {
        Assert.Equal(file, ex.FilePath);
        Assert.Equal(line, ex.Line);
        Assert.Equal(key, ex.Key);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain('\r', ex.Message);
        Assert.StartsWith(line is { } l ? $"{file}:{l}: " : $"{file}: ", ex.Message, StringComparison.Ordinal);
        if (key is not null)
        {
            Assert.Contains(key + ": ", ex.Message, StringComparison.Ordinal);
        }
    }
}
