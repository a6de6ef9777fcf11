using static Scute.Core.Interop.Libc;

namespace Scute.Runtime.Namespace;

/// <summary>
/// What a path is, in one statx call: the set-up stats a few dozen paths per start, and
/// FileInfo/DirectoryInfo spend two or three calls (and a readlink) on each.
/// </summary>
internal static class FileKind
{
    public const int Missing = 0;
    public const int Directory = 0x4000;
    public const int Regular = 0x8000;
    public const int Symlink = 0xA000;
    private const int TypeMask = 0xF000;

    /// <summary>The S_IFMT bits of <paramref name="path"/>, or <see cref="Missing"/> when it cannot be stat'ed (as File.Exists: false on any error).</summary>
    /// <param name="follow">Whether a symlink at the last component is followed (stat) or reported as itself (lstat).</param>
    public static int Of(string path, bool follow)
    {
        // The type is in every statx answer; asking for nothing more spares the filesystem work.
        return statx(AT_FDCWD, path, follow ? 0 : AT_SYMLINK_NOFOLLOW, 0, out var st) == 0 ? st.Mode & TypeMask : Missing;
    }
}
