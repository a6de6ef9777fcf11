using Microsoft.Win32.SafeHandles;
using Scute.Core.Interop;

namespace Scute.Store;

/// <summary>
/// One store/trash entry, locked by this process (<see cref="StoreTrash"/>). The lock belongs to
/// the open file description: a child started inside <see cref="HandOver"/> inherits it and
/// keeps the entry locked after this process has closed its copy and exited.
/// </summary>
public sealed class TrashEntry : IDisposable
{
    private readonly SafeFileHandle _folder;

    internal TrashEntry(string path, SafeFileHandle folder)
    {
        Path = path;
        _folder = folder;
    }

    public string Path { get; }

    /// <summary>
    /// Runs <paramref name="start"/> (which starts the remover) with the locked descriptor
    /// inheritable, then makes it close-on-exec again, so no other child gets it.
    /// </summary>
    public T HandOver<T>(Func<T> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var fd = checked((int)_folder.DangerousGetHandle());
        if (Libc.fcntl(fd, Libc.F_SETFD, 0) != 0)
        {
            throw new IOException($"cannot hand over the lock of {Path}: {Interop.ErrorText(Interop.LastError)}");
        }

        try
        {
            return start();
        }
        finally
        {
            _ = Libc.fcntl(fd, Libc.F_SETFD, FdCloExec);
        }
    }

    public void Dispose() => _folder.Dispose();

    private const int FdCloExec = 1;
}
