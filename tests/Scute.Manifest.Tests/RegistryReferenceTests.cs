using FsCheck.Xunit;
using Xunit;

namespace Scute.Manifest.Tests;

public sealed class RegistryReferenceTests
{
    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("docker.io/library/debian@sha512:" + Hex64 + Hex64, "algorithm 'sha512'")]
    [InlineData("docker.io/library/debian@md5:0123456789abcdef0123456789abcdef", "algorithm 'md5'")]
    [InlineData("docker.io/library/debian@" + Hex64, "names no algorithm")]
    [InlineData("docker.io/library/debian@sha256:0123", "64 lower-case hex")]
    [InlineData("docker.io/library/debian@sha256:" + Hex64 + "0", "64 lower-case hex")]
    [InlineData("docker.io/library/debian@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "64 lower-case hex")]
    [InlineData("docker.io/library/debian@sha256:" + Hex64 + "@sha256:" + Hex64, "64 lower-case hex")]
    [InlineData("localhost:0/app", "port '0'")]
    [InlineData("localhost:65536/app", "port '65536'")]
    [InlineData("localhost:99999999/app", "port '99999999'")]
    [InlineData("localhost:/app", "port ''")]
    [InlineData("localhost:http/app", "port 'http'")]
    [InlineData("localhost:-1/app", "port '-1'")]
    [InlineData("docker.io/", "repository is empty")]
    [InlineData("docker.io/:1.0", "repository is empty")]
    [InlineData("docker.io//debian", "empty path component")]
    [InlineData("docker.io/library/", "empty path component")]
    [InlineData("docker.io/Library/Debian:12", "must be lower case")]
    [InlineData("docker.io/library/debian-:12", "is not valid")]
    [InlineData("docker.io/library/_debian", "is not valid")]
    [InlineData("docker.io/library/deb___ian", "is not valid")]
    [InlineData("docker.io/library/deb..ian", "is not valid")]
    [InlineData("docker.io/library/deb ian", "is not valid")]
    [InlineData("docker.io/library/debian:", "tag ''")]
    [InlineData("docker.io/library/debian:.12", "tag '.12'")]
    [InlineData("docker.io/library/debian:-12", "tag '-12'")]
    [InlineData("docker.io/library/debian:1+2", "tag '1+2'")]
    [InlineData("-bad.io/app", "host '-bad.io'")]
    [InlineData("bad..io/app", "host 'bad..io'")]
    [InlineData("bad_host.io/app", "host 'bad_host.io'")]
    [InlineData("[::1/app", "IPv6")]
    [InlineData("[::1]x/app", "IPv6")]
    [InlineData("docker.io/library/debian\u0007:12", "control character U+0007")]
    [InlineData("docker.io/library/debian\u001b[2J", "control character U+001B")]
    [InlineData("docker.io/library/debi\u202Ean", "control character U+202E")]
    public void Malformed_references_are_refused_at_parse_time(string written, string expected)
    {
        var e = Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(written, "/tmp"));

        Assert.Contains(expected, e.Problem, StringComparison.Ordinal);
        Assert.Equal(written, e.Reference);
    }

    [Fact]
    public void A_tag_of_128_characters_is_accepted_and_129_refused()
    {
        Assert.NotNull(RegistryReference.Parse("r.io/a:" + new string('t', 128)).Tag);
        Assert.Throws<ImageReferenceException>(() => RegistryReference.Parse("r.io/a:" + new string('t', 129)));
    }

    [Fact]
    public void A_name_longer_than_255_characters_is_refused()
    {
        Assert.Throws<ImageReferenceException>(() => RegistryReference.Parse("r.io/" + new string('a', 251)));
        Assert.Equal(255, RegistryReference.Parse("r.io/" + new string('a', 250)).ToString().Length);
    }

    [Theory]
    [InlineData("localhost:1/a")]
    [InlineData("localhost:65535/a")]
    [InlineData("a.b.c-d.e:443/x/y/z")]
    [InlineData("r.io/a-----b")]
    [InlineData("r.io/a__b_c.d")]
    public void Edge_cases_the_grammar_allows(string written)
    {
        Assert.Equal(written, RegistryReference.Parse(written).ToString());
    }

    /// <summary>Any reference built from the grammar's own pieces parses back to the same parts.</summary>
    [Property(MaxTest = 500)]
    public bool Parse_of_format_is_identity(byte[] host, ushort port, byte[][] components, byte[] tag, byte[] digest)
    {
        var reference = new RegistryReference(
            Host(host ?? []) + (port == 0 ? string.Empty : ":" + port),
            string.Join('/', (components is not { Length: > 0 } ? [[]] : components.Take(4)).Select(c => Component(c ?? []))),
            tag is not { Length: > 0 } ? null : Tag(tag),
            digest is null ? null : "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(digest)));

        return RegistryReference.Parse(reference.ToString()) == reference
            && ImageReference.Parse(reference.ToString(), "/tmp").Registry == reference;
    }

    /// <summary>Whatever the text, parsing gives a reference or an ImageReferenceException: never another exception (exit 1 "internal error").</summary>
    [Property(MaxTest = 2000)]
    public bool Arbitrary_text_only_ever_gives_reference_errors(string? text, byte[] prefix)
    {
        string[] prefixes = ["", "docker.io/", "localhost:", "https://", "http://h/", "file://", "oci:", "./", "debian/", "a.b/c@sha256:", "[::1]:"];
        var written = prefixes[(prefix is { Length: > 0 } ? prefix[0] : 0) % prefixes.Length] + (text ?? string.Empty);
        try
        {
            _ = ImageReference.Parse(written, "/tmp");
            return true;
        }
        catch (ImageReferenceException)
        {
            return true;
        }
    }

    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string TagChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
    private static readonly string[] Separators = [".", "_", "__", "-", "--", "---"];

    private static string Pick(string alphabet, byte b) => alphabet[b % alphabet.Length].ToString();

    /// <summary>Always has a dot, so the first component reads as a host, as the grammar requires.</summary>
    private static string Host(byte[] bytes) =>
        "h" + string.Concat(bytes.Take(20).Select(b => Pick(Lower, b))) + ".example";

    private static string Component(byte[] bytes)
    {
        var text = "c";
        foreach (var b in bytes.Take(30))
        {
            text += b % 5 == 0 ? Separators[b % Separators.Length] + Pick(Lower, (byte)(b / 5)) : Pick(Lower, b);
        }

        return text;
    }

    private static string Tag(byte[] bytes) =>
        Pick(TagChars[..63], bytes[0]) + string.Concat(bytes.Skip(1).Take(127).Select(b => Pick(TagChars, b)));
}
