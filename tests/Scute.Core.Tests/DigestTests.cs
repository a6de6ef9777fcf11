using System.Text;
using System.Text.Json;

namespace Scute.Core.Tests;

public class DigestTests
{
    private const string EmptyHex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void Compute_of_empty_input_is_the_known_sha256()
    {
        Assert.Equal(EmptyHex, Digest.Compute([]).Hex);
        Assert.Equal(EmptyHex, Digest.Compute(new MemoryStream()).Hex);
    }

    [Fact]
    public void Stream_and_span_agree()
    {
        var data = Encoding.UTF8.GetBytes("hello scute");
        Assert.Equal(Digest.Compute(data), Digest.Compute(new MemoryStream(data)));
    }

    [Fact]
    public void Parse_accepts_prefixed_and_bare_forms()
    {
        Assert.Equal(EmptyHex, Digest.Parse("sha256:" + EmptyHex).Hex);
        Assert.Equal(EmptyHex, Digest.Parse(EmptyHex).Hex);
    }

    [Fact]
    public void Format_is_prefixed_and_short_id_is_12_chars()
    {
        var d = Digest.Parse(EmptyHex);
        Assert.Equal("sha256:" + EmptyHex, d.ToString());
        Assert.Equal("e3b0c44298fc", d.ShortId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256:")]
    [InlineData("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555")]
    [InlineData("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData(" e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n")]
    public void Bad_digests_are_rejected(string s)
    {
        Assert.Throws<FormatException>(() => Digest.Parse(s));
        Assert.False(Digest.TryParse(s, out _));
    }

    [Fact]
    public void Constructor_validates_too()
    {
        Assert.Throws<FormatException>(() => new Digest("abc"));
        Assert.False(Digest.TryParse(null, out _));
    }

    [Fact]
    public void Ordering_is_ordinal_on_hex()
    {
        var a = Digest.Parse(new string('0', 64));
        var b = Digest.Parse(new string('f', 64));
        Assert.True(a < b);
        Assert.True(a.CompareTo(b) < 0);
    }

    [Fact]
    public void Json_form_is_the_prefixed_string()
    {
        var d = Digest.Parse(EmptyHex);
        var converter = new DigestJsonConverter();
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            converter.Write(writer, d, JsonSerializerOptions.Default);
        }

        Assert.Equal($"\"sha256:{EmptyHex}\"", Encoding.UTF8.GetString(buffer.ToArray()));
        var reader = new Utf8JsonReader(buffer.ToArray());
        reader.Read();
        Assert.Equal(d, converter.Read(ref reader, typeof(Digest), JsonSerializerOptions.Default));
    }
}
