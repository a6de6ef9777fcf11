using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Scute.Core.Tests;

/// <summary>The managed SHA-256 against FIPS 180-4's examples and against OpenSSL's for any input.</summary>
public class Sha256Tests
{
    // Around the padding edges: 55 is the last length whose padding fits its block, 56..63 need a
    // second block, 64 is one whole block; the same again one block later.
    private static readonly int[] EdgeLengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000];

    private static readonly Gen<byte[]> Messages =
        from length in Gen.OneOf(Gen.Elements(EdgeLengths), Gen.Choose(0, 3000))
        from bytes in ArbMap.Default.GeneratorFor<byte>().ArrayOf(length)
        select bytes;

    public static TheoryData<string, string> FipsVectors => new()
    {
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        {
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        },
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    };

    [Theory]
    [MemberData(nameof(FipsVectors))]
    public void The_fips_examples_hash_to_their_published_digests(string message, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(message);

        Assert.Equal(expected, Convert.ToHexStringLower(Sha256.HashData(bytes)));
        Assert.Equal(expected, Convert.ToHexStringLower(HashInPieces(bytes, [1])));
    }

    [Fact]
    public void One_million_a_hashes_to_the_published_digest()
    {
        const string Expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        var million = new byte[1_000_000];
        million.AsSpan().Fill((byte)'a');

        Assert.Equal(Expected, Convert.ToHexStringLower(Sha256.HashData(million)));
        Assert.Equal(Expected, Convert.ToHexStringLower(HashInPieces(million, [1, 63, 64, 65, 4096, 7])));
    }

    [Property(MaxTest = 300)]
    public Property Any_message_hashes_as_openssl_does() =>
        Prop.ForAll(Messages.ToArbitrary(), data => Sha256.HashData(data).AsSpan().SequenceEqual(SHA256.HashData(data)));

    [Property(MaxTest = 50)]
    public bool Any_small_message_hashes_as_openssl_does(byte[] data) =>
        Sha256.HashData(data).AsSpan().SequenceEqual(SHA256.HashData(data));

    [Property(MaxTest = 300)]
    public Property Appending_in_any_pieces_gives_the_one_shot_hash() =>
        Prop.ForAll(
            Messages.ToArbitrary(),
            Gen.Choose(0, 130).NonEmptyListOf().Select(l => l.ToArray()).ToArbitrary(),
            (data, pieces) => HashInPieces(data, pieces).AsSpan().SequenceEqual(Sha256.HashData(data)));

    [Fact]
    public void Every_length_up_to_three_blocks_hashes_as_openssl_does()
    {
        var data = new byte[3 * 64 + 1];
        new Random(1).NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            Assert.Equal(SHA256.HashData(data.AsSpan(0, length)), Sha256.HashData(data.AsSpan(0, length)));
        }
    }

    [Fact]
    public void A_hasher_starts_over_after_each_hash()
    {
        var hasher = new Sha256Hasher();
        hasher.Append("some earlier field"u8);
        _ = hasher.GetHashAndReset();
        hasher.Append("abc"u8);

        Assert.Equal(SHA256.HashData("abc"u8), hasher.GetHashAndReset());
        Assert.Equal(SHA256.HashData([]), hasher.GetHashAndReset());
    }

    [Fact]
    public void A_destination_shorter_than_a_hash_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Sha256.HashData("abc"u8, new byte[31]));
    }

    [Fact]
    public void Digest_compute_agrees_with_openssl_on_both_sides_of_the_managed_limit()
    {
        var data = new byte[Digest.ManagedLimit + 1];
        new Random(2).NextBytes(data);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(0, Digest.ManagedLimit))), Digest.Compute(data.AsSpan(0, Digest.ManagedLimit)).Hex);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), Digest.Compute(data).Hex);
    }

    // Appends data in pieces of the given sizes, cycling through them (0 is an empty append).
    private static byte[] HashInPieces(byte[] data, int[] pieces)
    {
        if (pieces.All(p => p == 0))
        {
            pieces = [.. pieces, 1];
        }

        var hasher = new Sha256Hasher();
        var offset = 0;
        for (var i = 0; offset < data.Length; i++)
        {
            var size = Math.Min(pieces[i % pieces.Length], data.Length - offset);
            hasher.Append(data.AsSpan(offset, size));
            offset += size;
        }

        return hasher.GetHashAndReset();
    }
}
