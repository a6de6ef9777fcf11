using System.Text;
using Scute.Manifest;
using Scute.Policy;

namespace Scute.Fuzz;

/// <summary>
/// One fuzz input: bytes → UTF-8 → <see cref="ManifestParser.Parse"/> → <see cref="SecurityContextResolver.Resolve"/>.
/// A refusal (<see cref="ManifestException"/> with a one-line message, <see cref="PolicyViolationException"/>) is a
/// correct answer; any other exception escapes and is the crash the fuzzer reports.
/// </summary>
public static class FuzzTarget
{
    /// <summary>Where the input pretends to live: relative mount paths resolve against its folder.</summary>
    public const string ManifestPath = "/fuzz/project/scute.toml";

    public static void Run(ReadOnlySpan<byte> input)
    {
        // ParseFile refuses invalid UTF-8 before Parse (the corpus tests cover that); here invalid bytes become
        // U+FFFD so that every mutation still reaches the parser.
        var text = Encoding.UTF8.GetString(input);

        EnvironmentManifest manifest;
        try
        {
            manifest = ManifestParser.Parse(text, ManifestPath);
        }
        catch (ManifestException e) when (!e.Message.Contains('\n', StringComparison.Ordinal) && !e.Message.Contains('\r', StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            SecurityContextResolver.Resolve(manifest);
        }
        catch (PolicyViolationException)
        {
        }
    }
}
