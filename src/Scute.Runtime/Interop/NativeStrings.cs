using System.Runtime.InteropServices;
using System.Text;

namespace Scute.Runtime.Interop;

/// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings in native memory, as execve and posix_spawn take argv and envp.</summary>
internal static unsafe class NativeStrings
{
    public static nint Array(IReadOnlyList<string> items)
    {
        var array = (nint*)NativeMemory.AllocZeroed((nuint)(items.Count + 1), (nuint)sizeof(nint));
        for (var i = 0; i < items.Count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(items[i]);
            var s = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
            bytes.CopyTo(new Span<byte>(s, bytes.Length));
            s[bytes.Length] = 0;
            array[i] = (nint)s;
        }

        return (nint)array;
    }

    /// <summary>Frees what <see cref="Array"/> made (not needed before an execve that succeeds).</summary>
    public static void Free(nint array)
    {
        var items = (nint*)array;
        for (var i = 0; items[i] != 0; i++)
        {
            NativeMemory.Free((void*)items[i]);
        }

        NativeMemory.Free(items);
    }
}
