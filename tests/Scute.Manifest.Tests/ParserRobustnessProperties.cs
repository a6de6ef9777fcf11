using FsCheck.Xunit;
using Scute.Manifest.Tests.Support;

namespace Scute.Manifest.Tests;

public class ParserRobustnessProperties
{
    private static readonly string[] Fragments =
    [
        "manifest_version = 1\n", "[base]\n", "image = \"x\"\n", "[security]\n", "[security.capabilities]\n",
        "[mounts]\n", "w = \"./:/w\"\n", "[[a]]\n", "a.b = 1\n", "x = [", "]", "{", "}", "\"", "=", "\n",
        "[runtime.resource_limits]\n", "cpu_shares = -1\n", "user = 99999999999\n", "\\u0000", "'''", "#",
    ];

    [Property(MaxTest = 500)]
    public bool Arbitrary_text_only_ever_gives_manifest_exceptions(string? text) => OnlyManifestErrors(text ?? string.Empty);

    [Property(MaxTest = 500)]
    public bool Spliced_fragments_only_ever_give_manifest_exceptions(byte[] picks) =>
        OnlyManifestErrors(string.Concat((picks ?? []).Select(b => Fragments[b % Fragments.Length])));

    private static bool OnlyManifestErrors(string text)
    {
        try
        {
            Samples.Parse(text);
            return true;
        }
        catch (ManifestException ex)
        {
            return !ex.Message.Contains('\n', StringComparison.Ordinal);
        }
    }
}
