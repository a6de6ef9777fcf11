using System.Buffers;
using System.Numerics;
using System.Text.Json;

namespace Scute.Store;

/// <summary>
/// store/list-index: a cache of what <c>list</c> shows of each environment, with the identity
/// (<see cref="FileIdentity"/>) of the metadata file each row was read from. <c>list</c> takes a
/// row only while its file still has that identity, and reads (and checks) the file itself
/// otherwise, so a missing, stale or unreadable index costs reads, never a wrong row. Rewritten by
/// the commands that write or delete metadata (under the store lock), never by <c>list</c>; written
/// without fsync (it is a cache), through a temp file in staging and a rename.
/// <code>{"format":1,"rows":[[env_id,ino,size,mtime_ns,ctime_ns,short_id,name|null,state,backend,base_reference,base_digest,manifest_path,created_at],...]}</code>
/// </summary>
internal static class ListIndex
{
    public const int Format = 1;

    // The first read's buffer at most (a larger file still reads whole, the buffer growing).
    private const ulong MaxSize = 64 * 1024 * 1024;

    /// <summary>One environment's row: a class, so the collections of rows share the code of every other reference type.</summary>
    internal sealed class Row(FileIdentity identity, EnvironmentSummary summary)
    {
        public FileIdentity Identity { get; } = identity;

        public EnvironmentSummary Summary { get; } = summary;
    }

    /// <summary>The rows by env_id; empty when there is no index or it cannot be read whole.</summary>
    public static Dictionary<string, Row> Read(string path)
    {
        try
        {
            // Sized from a stat and left unzeroed: growing a pooled buffer from 64 KiB to the
            // index's size (~170 KiB for 500 environments) zeroed and copied each step on list's path.
            var errno = Interop.LStat(Interop.AtFdCwd, path, out var st);
            if (errno != 0)
            {
                return [];
            }

            var buffer = GC.AllocateUninitializedArray<byte>((int)BitOperations.RoundUpToPowerOf2((uint)Math.Min(st.Size + 1, MaxSize)));
            return SmallFile.TryRead(path, ref buffer, out var length) ? Parse(buffer.AsSpan(0, length)) ?? [] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The rows of <paramref name="bytes"/>, or null when it is not an index of this format, whole.</summary>
    internal static Dictionary<string, Row>? Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !Member(ref reader, "format"u8) || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var format) || format != Format
                || !Member(ref reader, "rows"u8) || reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }

            var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
            var values = new Values();
            while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                if (ReadRow(ref reader, values) is not { } row)
                {
                    return null;
                }

                rows[row.Summary.EnvId] = row;
            }

            // The rows' end, the object's end, and nothing after it (the reader throws on anything but white space).
            return reader.TokenType == JsonTokenType.EndArray && reader.Read() && reader.TokenType == JsonTokenType.EndObject && !reader.Read()
                ? rows
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // Torn by a crash (it is written without fsync) or by hand: the files are read instead.
            return null;
        }
    }

    private static bool Member(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(name) && reader.Read();

    private static Row? ReadRow(ref Utf8JsonReader reader, Values values)
    {
        if (!(Next(ref reader) && MetadataReader.RequiredString(ref reader, out var envId)
            && Next(ref reader) && reader.TryGetUInt64(out var ino)
            && Next(ref reader) && reader.TryGetUInt64(out var size)
            && Next(ref reader) && reader.TryGetInt64(out var mtime)
            && Next(ref reader) && reader.TryGetInt64(out var ctime)
            && Next(ref reader) && MetadataReader.RequiredString(ref reader, out var shortId)
            && Next(ref reader) && MetadataReader.OptionalString(ref reader, out var name)
            && Next(ref reader) && MetadataReader.State(ref reader, out var state)
            && Next(ref reader) && values.Backend.String(ref reader, out var backend)
            && Next(ref reader) && values.BaseReference.String(ref reader, out var baseReference)
            && Next(ref reader) && values.BaseDigest.Digest(ref reader, out var baseDigest)
            && Next(ref reader) && MetadataReader.RequiredString(ref reader, out var manifestPath)
            && Next(ref reader) && MetadataReader.Time(ref reader, out var createdAt)
            && reader.Read() && reader.TokenType == JsonTokenType.EndArray))
        {
            return null;
        }

        return new Row(new FileIdentity(ino, size, mtime, ctime), new EnvironmentSummary
        {
            EnvId = envId!,
            ShortId = shortId!,
            Name = name,
            State = state,
            ManifestPath = manifestPath!,
            BaseReference = baseReference!,
            BaseDigest = baseDigest,
            Backend = backend!,
            CreatedAt = createdAt,
        });
    }

    // Moves to the row's next value; false at the row's end (too few values).
    private static bool Next(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType != JsonTokenType.EndArray;

    /// <summary>Replaces the index with <paramref name="rows"/>, in the order given (the metadata files', env_id order). Best effort: a failure leaves the old one, whose rows no longer match.</summary>
    public static void Write(StoreLayout layout, IEnumerable<Row> rows)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(rows);
        string? temp = null;
        try
        {
            var output = new ArrayBufferWriter<byte>(64 * 1024);
            using (var w = new Utf8JsonWriter(output))
            {
                w.WriteStartObject();
                w.WriteNumber("format"u8, Format);
                w.WriteStartArray("rows"u8);
                foreach (var row in rows)
                {
                    var (identity, s) = (row.Identity, row.Summary);
                    w.WriteStartArray();
                    w.WriteStringValue(s.EnvId);
                    w.WriteNumberValue(identity.Ino);
                    w.WriteNumberValue(identity.Size);
                    w.WriteNumberValue(identity.MtimeNs);
                    w.WriteNumberValue(identity.CtimeNs);
                    w.WriteStringValue(s.ShortId);
                    if (s.Name is { } name)
                    {
                        w.WriteStringValue(name);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }

                    w.WriteStringValue(StateName(s.State));
                    w.WriteStringValue(s.Backend);
                    w.WriteStringValue(s.BaseReference);
                    w.WriteStringValue(s.BaseDigest.ToString());
                    w.WriteStringValue(s.ManifestPath);
                    w.WriteStringValue(s.CreatedAt);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            temp = Path.Combine(layout.TempFolder(), $".list-index.{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(temp, output.WrittenSpan);
            File.Move(temp, layout.ListIndexFile, overwrite: true);
            temp = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk, say: list reads the files whose rows are missing or out of date.
        }
        finally
        {
            if (temp is not null)
            {
                TryDelete(temp);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in staging: the next change's recovery empties it.
        }
    }

    private static string StateName(EnvState state) => state switch
    {
        EnvState.Defined => "defined",
        EnvState.Built => "built",
        EnvState.Running => "running",
        EnvState.Frozen => "frozen",
        EnvState.Archived => "archived",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    // Values most rows share, read once.
    private sealed class Values
    {
        public MetadataReader.Recent Backend { get; } = new();

        public MetadataReader.Recent BaseReference { get; } = new();

        public MetadataReader.Recent BaseDigest { get; } = new();
    }
}
