namespace Scute.Core;

/// <summary>
/// The field shapes of Scute's small binary records (the run spec handed to the namespace stage,
/// the prepared exec file): what <see cref="BinaryWriter"/> lacks. They exist because
/// System.Text.Json builds its type metadata by reflection on first use, which costs a short
/// command (exec) several milliseconds; these cost nothing to start. A count larger than the
/// bytes left is refused, so a damaged record fails with <see cref="InvalidDataException"/>
/// instead of allocating what it claims.
/// </summary>
public static class BinaryFields
{
    public static void WriteStrings(this BinaryWriter writer, IReadOnlyCollection<string> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        writer.Write7BitEncodedInt(values.Count);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    public static string[] ReadStrings(this BinaryReader reader)
    {
        var values = new string[reader.ReadCount()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadString();
        }

        return values;
    }

    /// <summary>A count, then each item as <paramref name="item"/> writes it.</summary>
    public static void WriteList<T>(this BinaryWriter writer, IReadOnlyCollection<T> items, Action<BinaryWriter, T> item)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(item);
        writer.Write7BitEncodedInt(items.Count);
        foreach (var value in items)
        {
            item(writer, value);
        }
    }

    /// <summary>A list of records, each read by <paramref name="item"/>; the count is checked against the bytes left.</summary>
    public static T[] ReadList<T>(this BinaryReader reader, Func<BinaryReader, T> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var values = new T[reader.ReadCount()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = item(reader);
        }

        return values;
    }

    /// <summary>Pairs in the dictionary's own order (an environment's variables keep theirs).</summary>
    public static void WritePairs(this BinaryWriter writer, IReadOnlyCollection<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(pairs);
        writer.Write7BitEncodedInt(pairs.Count);
        foreach (var (key, value) in pairs)
        {
            writer.Write(key);
            writer.Write(value);
        }
    }

    /// <summary>A repeated key is a damaged record, not a silent overwrite.</summary>
    public static Dictionary<string, string> ReadPairs(this BinaryReader reader)
    {
        var count = reader.ReadCount();
        var pairs = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString();
            if (!pairs.TryAdd(key, reader.ReadString()))
            {
                throw new InvalidDataException($"the key {key} appears twice");
            }
        }

        return pairs;
    }

    public static void WriteOptional(this BinaryWriter writer, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    public static string? ReadOptionalString(this BinaryReader reader) => reader.ReadPresence() ? reader.ReadString() : null;

    public static void WriteOptional(this BinaryWriter writer, long? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(value.HasValue);
        if (value is { } v)
        {
            writer.Write(v);
        }
    }

    public static long? ReadOptionalInt64(this BinaryReader reader) => reader.ReadPresence() ? reader.ReadInt64() : null;

    public static void WriteOptional(this BinaryWriter writer, int? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(value.HasValue);
        if (value is { } v)
        {
            writer.Write(v);
        }
    }

    public static int? ReadOptionalInt32(this BinaryReader reader) => reader.ReadPresence() ? reader.ReadInt32() : null;

    public static void WriteBlob(this BinaryWriter writer, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write7BitEncodedInt(bytes.Length);
        writer.Write(bytes);
    }

    public static byte[] ReadBlob(this BinaryReader reader)
    {
        var length = reader.ReadCount();
        var bytes = reader.ReadBytes(length);
        return bytes.Length == length ? bytes : throw new InvalidDataException("the record ends inside a field");
    }

    /// <summary>Whether an optional field is there: any byte but 0 or 1 is damage.</summary>
    public static bool ReadPresence(this BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.ReadByte() switch
        {
            0 => false,
            1 => true,
            var b => throw new InvalidDataException($"a presence flag holds {b}"),
        };
    }

    /// <summary>A count of items, each at least one byte long: never more than the bytes left.</summary>
    public static int ReadCount(this BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var count = reader.Read7BitEncodedInt();
        var left = reader.BaseStream.Length - reader.BaseStream.Position;
        return count >= 0 && count <= left ? count : throw new InvalidDataException($"a count of {count} with {left} bytes left");
    }

    /// <summary>A record's first bytes: which record and which version of it; anything else is refused.</summary>
    public static void ExpectMagic(this BinaryReader reader, uint magic, string what)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.BaseStream.Length - reader.BaseStream.Position < 4 || reader.ReadUInt32() != magic)
        {
            throw new InvalidDataException($"not {what} of this scute version");
        }
    }
}
