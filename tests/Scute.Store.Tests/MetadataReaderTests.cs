using System.Text;
using System.Text.Json;
using FsCheck.Xunit;

namespace Scute.Store.Tests;

/// <summary>
/// The hand-written metadata reader against the JsonSerializer path it replaces: the same
/// metadata for everything the writer writes, and the same metadata or the same error for
/// anything else. Alone (see <see cref="AllocationHeavy"/>): thousands of bodies and serializer
/// errors would count in the allocation budget of a test measuring the whole process at the same time.
/// </summary>
[Collection(AllocationHeavy.Name)]
public class MetadataReaderTests
{
    private static readonly string[] Words = ["", "web", "db-1", "ünïcode ✓", "quote \" and \\ back", "tab\tnew\nline", "<>&'+", "\u0001\u001f", "😀 astral"];

    private static string Text(string? s) =>
        // Lone surrogates are not text the writer can write; everything else is fair game.
        s is null ? "" : new string([.. s.Select(c => char.IsSurrogate(c) ? '?' : c)]);

    private static Digest D(int seed, string? salt) => Digest.Compute(Encoding.UTF8.GetBytes($"{seed}/{Text(salt)}"));

    private static DateTimeOffset Time(long ticks, short minutes)
    {
        var day = TimeSpan.TicksPerDay;
        var t = day + unchecked((long)((ulong)ticks % (ulong)(DateTime.MaxValue.Ticks - (2 * day))));
        return new DateTimeOffset(t, TimeSpan.FromMinutes(minutes % (14 * 60)));
    }

    private static EnvironmentMetadata Make(
        string? a, string? b, string? name, int state, long created, short createdOffset, long updated, short updatedOffset,
        int layers, int snapshots, bool current, bool sbom)
    {
        return new EnvironmentMetadata
        {
            EnvId = D(1, a).Hex,
            ShortId = D(1, a).ShortId,
            Name = name is null ? null : Text(name),
            State = (EnvState)(Math.Abs(state % 5)),
            ManifestPath = "/home/u/" + Text(a) + Words[Math.Abs(state % Words.Length)],
            BaseReference = Text(b),
            BaseDigest = D(2, b),
            ImageKey = Words[Math.Abs(layers % Words.Length)] + Text(b),
            Backend = Text(a),
            Layers = [.. Enumerable.Range(0, Math.Abs(layers % 6)).Select(i => D(10 + i, a))],
            ManifestJson = "{\"a\":\"" + Text(a) + "\"}",
            SecurityJson = Text(b),
            CreatedAt = Time(created, createdOffset),
            UpdatedAt = Time(updated, updatedOffset),
            Snapshots = [.. Enumerable.Range(0, Math.Abs(snapshots % 4)).Select(i => D(20 + i, b))],
            CurrentSnapshot = current ? D(3, a) : null,
            Sbom = sbom ? D(4, b) : null,
        };
    }

    /// <summary>The body the writer hashes and stores (the file without its checksum member).</summary>
    private static byte[] Body(EnvironmentMetadata m) =>
        CanonicalJson.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(m, StoreJsonContext.Default.EnvironmentMetadata));

    private static EnvironmentMetadata? Serializer(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, StoreJsonContext.Default.EnvironmentMetadata);

    private static bool Same(EnvironmentMetadata? x, EnvironmentMetadata? y)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        IReadOnlyList<Digest> none = [];
        return SameList(x.Layers, y.Layers)
            && SameList(x.Snapshots, y.Snapshots)
            && (x with { Layers = none, Snapshots = none }) == (y with { Layers = none, Snapshots = none })
            && x.CreatedAt.Offset == y.CreatedAt.Offset
            && x.UpdatedAt.Offset == y.UpdatedAt.Offset;
    }

    // The serializer leaves a list absent from the file null, so either may be.
    private static bool SameList(IReadOnlyList<Digest>? x, IReadOnlyList<Digest>? y) =>
        x is null || y is null ? x is null && y is null : x.SequenceEqual(y);

    /// <summary>What a path gives: the metadata, or the message of the JsonException it throws.</summary>
    private static (EnvironmentMetadata? Value, string? Error) Outcome(Func<EnvironmentMetadata?> read)
    {
        try
        {
            return (read(), null);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }

    private static void AssertSameOutcome(byte[] body)
    {
        var reader = Outcome(() => MetadataStore.Deserialize(body));
        var serializer = Outcome(() => Serializer(body) ?? throw new JsonException("null metadata"));
        Assert.Equal(serializer.Error, reader.Error);
        Assert.True(Same(serializer.Value, reader.Value), Encoding.UTF8.GetString(body));
    }

    [Property(MaxTest = 500)]
    public bool Whatever_the_writer_writes_reads_back_equal_and_as_the_serializer_reads_it(
        string? a, string? b, string? name, int state, long created, short createdOffset, long updated, short updatedOffset,
        int layers, int snapshots, bool current, bool sbom)
    {
        var m = Make(a, b, name, state, created, createdOffset, updated, updatedOffset, layers, snapshots, current, sbom);
        var body = Body(m);
        var read = MetadataReader.TryRead(body);
        return read is not null && Same(m, read) && Same(Serializer(body), read);
    }

    [Property]
    public bool One_reader_over_many_files_reads_each_as_if_alone((string? A, string? B, int Layers)[] envs, string? shared)
    {
        // Values repeat from one file to the next (shared) or change (each its own), in any order.
        var reader = new MetadataReader();
        return (envs ?? []).Select((e, i) => Make(e.A, i % 2 == 0 ? shared : e.B, null, i, i, 0, i, 0, e.Layers, i, false, i % 3 == 0))
            .All(m => Same(m, reader.TryReadNext(Body(m))));
    }

    [Property(MaxTest = 40)]
    public bool A_store_round_trip_gives_the_metadata_back(string? a, string? b, string? name, int state, long created, short offset, int layers, bool sbom)
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var m = Make(a, b, name, state, created, offset, created / 2, offset, layers, layers / 3, sbom, !sbom);
        store.Metadata.Put(m);
        return Same(m, store.Metadata.Get(m.EnvId)) && Same(m, Assert.Single(store.Metadata.List()));
    }

    [Property(MaxTest = 1000)]
    public void A_damaged_body_reads_as_the_serializer_reads_it(int seed, int position, byte value, bool delete)
    {
        var body = Body(Make($"s{seed}", "b", seed % 2 == 0 ? null : "n", seed, seed, 0, seed, 60, seed, seed, seed % 3 == 0, seed % 5 == 0));
        var at = unchecked((int)((uint)position % (uint)body.Length));
        var damaged = delete ? [.. body[..at], .. body[(at + 1)..]] : (byte[])body.Clone();
        if (!delete)
        {
            damaged[at] = value;
        }

        AssertSameOutcome(damaged);
    }

    public static TheoryData<string> OddBodies()
    {
        var body = Encoding.UTF8.GetString(Body(Make("a", "b", "web", 1, 1_000_000, 0, 2_000_000, 120, 2, 1, true, true)));
        string Replace(string from, string to)
        {
            Assert.Contains(from, body, StringComparison.Ordinal);
            return body.Replace(from, to, StringComparison.Ordinal);
        }

        var envId = JsonDocument.Parse(body).RootElement.GetProperty("env_id").GetString()!;
        return new TheoryData<string>
        {
            "",
            "null",
            "[]",
            "{}",
            "\"text\"",
            body + "x",
            body + " \n",
            " " + body,
            body[..^1],
            Replace("{\"backend\"", "{\"unknown\":1,\"backend\""),
            Replace("{\"backend\"", "{\"checksum\":\"sha256:" + new string('0', 64) + "\",\"backend\""),
            Replace("\"env_id\":", "\"\\u0065nv_id\":"),
            Replace("\"env_id\":\"" + envId + "\",", ""),
            Replace("\"env_id\":\"" + envId + "\"", "\"env_id\":null"),
            Replace("\"env_id\":\"" + envId + "\"", "\"env_id\":1"),
            Replace("\"env_id\":\"" + envId + "\"", "\"env_id\":\"" + envId + "\",\"env_id\":\"other\""),
            Replace("\"name\":\"web\"", "\"name\":null"),
            Replace("\"name\":\"web\"", "\"name\":[\"web\"]"),
            Replace("\"name\":\"web\",", ""),
            Replace("\"state\":\"built\"", "\"state\":\"Built\""),
            Replace("\"state\":\"built\"", "\"state\":\"BUILT\""),
            Replace("\"state\":\"built\"", "\"state\":1"),
            Replace("\"state\":\"built\"", "\"state\":\"1\""),
            Replace("\"state\":\"built\"", "\"state\":\"bu\\u0069lt\""),
            Replace("\"state\":\"built\"", "\"state\":\"paused\""),
            Replace("\"state\":\"built\"", "\"state\":null"),
            Replace("\"base_digest\":\"sha256:", "\"base_digest\":\"sha512:"),
            Replace("\"base_digest\":\"sha256:", "\"base_digest\":\""),
            Replace("\"base_digest\":\"sha256:", "\"base_digest\":\"SHA256:"),
            Replace("\"base_digest\":\"sha256:", "\"base_digest\":\"sha256:\\u0030"),
            Replace("\"layers\":[\"sha256:", "\"layers\":[null,\"sha256:"),
            Replace("\"layers\":[", "\"layers\":null,\"x\":["),
            Replace("\"snapshots\":[", "\"snapshots\":{},\"x\":["),
            Replace("\"sbom\":\"sha256:", "\"sbom\":\"sha256:zz"),
            Replace("\"created_at\":\"", "\"created_at\":\"x"),
            Replace("\"created_at\":\"", "\"created_at\":null,\"x\":\""),
            Replace("\"updated_at\":\"", "\"updated_at\":\"2020-01-01\",\"x\":\""),
            Replace("\"manifest_json\":\"", "\"manifest_json\":{},\"x\":\""),
            Replace("{\"backend\"", "{/*c*/\"backend\""),
        };
    }

    [Theory]
    [MemberData(nameof(OddBodies))]
    public void An_odd_body_reads_or_fails_as_the_serializer_decides(string body) => AssertSameOutcome(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void An_absent_updated_at_reads_as_the_default_time()
    {
        var m = Make("a", "b", null, 2, 5, 0, 6, 0, 1, 0, false, false);
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body(m))
            .Replace(",\"updated_at\":\"" + m.UpdatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + "\"", "", StringComparison.Ordinal));
        var read = MetadataReader.TryRead(body);
        Assert.NotNull(read);
        Assert.Equal(default, read.UpdatedAt);
        Assert.True(Same(Serializer(body), read));
    }

    [Theory]
    [InlineData(",\"snapshots\":[]")]
    [InlineData("\"layers\":[\"sha256:4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a\"],")]
    public void A_file_older_than_a_list_field_reads_as_the_serializer_reads_it(string cut)
    {
        var m = Make("a", "b", null, 2, 5, 0, 6, 0, 1, 0, false, false) with { Layers = [Digest.Compute([1])] };
        var text = Encoding.UTF8.GetString(Body(m));
        Assert.Contains(cut, text, StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(text.Replace(cut, "", StringComparison.Ordinal));

        // The serializer leaves an absent list null, not the record's empty default; so does the store.
        Assert.Null(MetadataReader.TryRead(body));
        AssertSameOutcome(body);
    }

    [Fact]
    public void A_checksummed_file_with_an_unknown_field_is_corruption_in_the_serializers_words()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var m = Make("a", "b", "web", 1, 1, 0, 2, 0, 1, 0, false, true);
        var body = Encoding.UTF8.GetString(Body(m)).Replace("{\"backend\"", "{\"added_later\":true,\"backend\"", StringComparison.Ordinal);
        var checksum = Digest.Compute(Encoding.UTF8.GetBytes(body));
        var file = CanonicalJson.WithExtraProperty(Encoding.UTF8.GetBytes(body), "checksum", checksum.ToString());
        var path = Path.Combine(store.Layout.MetadataDir, m.EnvId);
        File.WriteAllBytes(path, file);

        var expected = Assert.ThrowsAny<JsonException>(() => Serializer(Encoding.UTF8.GetBytes(body)));
        var ex = Assert.Throws<StoreCorruptionException>(() => store.Metadata.Get(m.EnvId));
        Assert.Equal($"store corruption in {path}: unreadable metadata: {expected.Message}", ex.Message);
        Assert.Equal(path, ex.ItemPath);
    }

    [Fact]
    public void A_file_larger_than_the_read_buffer_reads_whole()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var m = Make("a", "b", "web", 1, 1, 0, 2, 0, 1, 0, false, true) with { ManifestJson = new string('m', 100_000) };
        store.Metadata.Put(m);
        Assert.True(Same(m, store.Metadata.Get(m.EnvId)));
    }

    [Fact]
    public void A_metadata_file_that_cannot_be_opened_is_an_access_error_not_a_missing_environment()
    {
        using var tmp = new TempDir();
        var store = ScuteStore.OpenOrCreate(tmp.Path);
        var m = Make("a", "b", "web", 1, 1, 0, 2, 0, 1, 0, false, true);
        Directory.CreateDirectory(Path.Combine(store.Layout.MetadataDir, m.EnvId));

        Assert.Throws<UnauthorizedAccessException>(() => store.Metadata.Get(m.EnvId));
        Assert.False(store.Metadata.TryGet(new string('f', 64), out _));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationHeavy
{
    public const string Name = "allocation-heavy";
}
