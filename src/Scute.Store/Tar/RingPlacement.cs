namespace Scute.Store.Tar;

/// <summary>
/// Where the next piece goes in a ring of pieces freed in the order they were added
/// (<see cref="ParseAhead"/>, <see cref="FileWriters"/>): contiguously at the write position, or
/// from the ring's start when it does not fit before the end, the skipped tail then held with it
/// until it is freed. So the used bytes are one arc ending at the write position, and a piece
/// fits when the bytes in use plus its span do not exceed the ring.
/// </summary>
internal static class RingPlacement
{
    public static (int Start, int Span) Place(int writeAt, int length, int ringBytes) =>
        writeAt + length <= ringBytes ? (writeAt, length) : (0, length + ringBytes - writeAt);
}
