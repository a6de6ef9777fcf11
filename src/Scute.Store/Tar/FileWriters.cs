using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Scute.Core.Interop;

namespace Scute.Store.Tar;

/// <summary>
/// Makes small regular files on threads of their own while the extracting thread goes on with the
/// archive. Making a small file is almost all kernel time (ext4's inode and directory work under
/// openat(O_CREAT)), one thread's worth for GNU tar; on two cores two threads make 100,000 small
/// files in about 55 % of the time one takes, in one folder or in several.
/// <para>
/// The extracting thread keeps every decision: it resolves the folder (a descriptor from
/// <see cref="DirectoryCache"/>), refuses names, reads and hashes the data, and hands over only
/// the creation of a file under a name nothing in the target had (<see cref="SafeTarExtractor"/>
/// decides that, and waits with <see cref="Drain"/> before anything that could see or touch a
/// file still on its way: a name seen before, a hardlink, a whiteout, a folder where a file was,
/// the folders' final modes). So the tree is the one the same archive makes on one thread.
/// </para>
/// <para>
/// Each writer has a ring of <see cref="RingBytes"/> for the data and <see cref="Slots"/> files in
/// flight, whatever the archive. The file's name and the entry's (for a message) go into the ring
/// as UTF-8 after the data: a job holds no string, so nothing queued outlives a garbage collection
/// to be promoted (with strings, peak memory grew by 5-15 MB on 100,000 files). A job holds a
/// reference on its folder's descriptor, so the cache may close it meanwhile without the number
/// being reused under the job; at most <see cref="FoldersInFlight"/> folders have files queued,
/// so the descriptors kept open stay bounded as the cache's are, however the archive interleaves
/// its folders.
/// </para>
/// <para>
/// Files are numbered as they are handed over, in archive order. When writing fails, the failure of
/// the earliest file is the one kept, whichever writer saw it first; files handed over before it are
/// still written, as on one thread, and files after it no longer are once it is known (another
/// writer may have made one meanwhile: the target of a failed extraction is left to be discarded). The extracting thread learns of it at its
/// next hand-over or <see cref="Drain"/>, after every writer is done with its queue. <see cref="Dispose"/>
/// finishes what was handed over, then joins: nothing is written into the target after the
/// extraction returns or throws.
/// </para>
/// </summary>
internal sealed class FileWriters : IDisposable
{
    /// <summary>Larger files are written by the extracting thread as they stream.</summary>
    public const int LargestFile = 64 * 1024;

    /// <summary>Longer names (in chars, both names) are written by the extracting thread: a ring holds a bounded job.</summary>
    public const int LongestNames = 1024;
    public const int RingBytes = 512 * 1024;
    public const int Slots = 1024;

    /// <summary>Folders with files queued, at most: as many as <see cref="DirectoryCache"/> keeps open.</summary>
    public const int FoldersInFlight = DirectoryCache.Capacity;

    private readonly Writer[] _writers;
    private readonly object _failureGate = new();
    private ExceptionDispatchInfo? _failure;
    private long _failedAt = long.MaxValue; // the number of the earliest file that failed
    private long _handedOver;
    private readonly SemaphoreSlim _folders = new(FoldersInFlight);
    private Writer _current;
    private FolderInFlight? _currentFolder;

    public FileWriters(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _writers = new Writer[count];
        for (var i = 0; i < count; i++)
        {
            _writers[i] = new Writer(this, i);
        }

        _current = _writers[0];
    }

    /// <summary>Files written so far (tests: the writers did the work).</summary>
    internal long Written => _writers.Sum(w => Volatile.Read(ref w.Written));

    /// <summary>Whether a file of <paramref name="length"/> bytes under these names is one for the writers.</summary>
    public static bool Takes(long length, string name, string entryName) =>
        length <= LargestFile && name.Length + entryName.Length <= LongestNames;

    /// <summary>
    /// Room for the data of the next file (one <see cref="Takes"/>), to be filled and then handed over with <see cref="Commit"/>;
    /// waits while the writer is full. A folder's files go to one writer, the next folder's to the
    /// least busy: two threads making files in one folder spin on its lock in the kernel (a sixth of
    /// the time on 100,000 files), so a folder moves to a second writer only if that one is idle.
    /// </summary>
    public Span<byte> Reserve(SafeFileHandle folder, int length, string name, string entryName)
    {
        if (!Takes(length, name, entryName))
        {
            throw new ArgumentOutOfRangeException(nameof(length), "a file for the extracting thread");
        }

        ThrowIfFailed();
        if (!ReferenceEquals(folder, _currentFolder?.Handle))
        {
            _current = LeastBusy();
            _currentFolder = new FolderInFlight(folder);
        }

        var nameBytes = Encoding.UTF8.GetByteCount(name);
        var total = length + nameBytes + 1 + Encoding.UTF8.GetByteCount(entryName);
        if (!_current.HasRoomFor(total) && LeastBusy() is { Load: 0 } idle)
        {
            _current = idle;
        }

        var span = _current.Reserve(length, total, name, nameBytes, entryName);
        ThrowIfFailed();
        return span;
    }

    /// <summary>Hands over the file whose data <see cref="Reserve"/> gave room for.</summary>
    public void Commit(SafeFileHandle folder, uint createMode, bool chmodAfter, uint mode)
    {
        var inFlight = _currentFolder!;
        if (!ReferenceEquals(folder, inFlight.Handle))
        {
            throw new ArgumentException("not the folder the room was reserved for", nameof(folder));
        }

        if (Interlocked.Increment(ref inFlight.Queued) == 1)
        {
            // The folder's first queued file: wait, if need be, until another folder has none left.
            _folders.Wait();
        }

        var added = false;
        folder.DangerousAddRef(ref added);
        _current.Commit(new Job(inFlight, createMode, chmodAfter, mode) { Number = _handedOver++ });
    }

    /// <summary>Waits until every file handed over is written; throws the earliest file's failure.</summary>
    public void Drain() => DrainForFailure()?.Throw();

    /// <summary>Waits until every writer is done with its queue; the earliest file's failure, if one failed.</summary>
    public ExceptionDispatchInfo? DrainForFailure()
    {
        foreach (var writer in _writers)
        {
            writer.WaitUntilEmpty();
        }

        return Volatile.Read(ref _failure);
    }

    public void Dispose()
    {
        foreach (var writer in _writers)
        {
            writer.Stop();
        }

        foreach (var writer in _writers)
        {
            writer.Join();
        }

        _folders.Dispose();
    }

    private Writer LeastBusy()
    {
        var best = _writers[0];
        foreach (var writer in _writers)
        {
            if (writer.Load < best.Load)
            {
                best = writer;
            }
        }

        return best;
    }

    private bool Failed => Volatile.Read(ref _failure) is not null;

    private void ThrowIfFailed()
    {
        if (Failed)
        {
            Drain();
        }
    }

    private void Fail(long number, Exception ex)
    {
        lock (_failureGate)
        {
            if (number < _failedAt)
            {
                Volatile.Write(ref _failedAt, number);
                Volatile.Write(ref _failure, ExceptionDispatchInfo.Capture(ex));
            }
        }
    }

    /// <summary>A folder files were handed over for, and how many of them are still queued.</summary>
    private sealed class FolderInFlight(SafeFileHandle handle)
    {
        public readonly SafeFileHandle Handle = handle;
        public int Queued;
    }

    /// <summary>A file handed over; its data, name and entry name are in the writer's ring: <c>data | name NUL | entry name</c>.</summary>
    private readonly record struct Job(FolderInFlight Folder, uint CreateMode, bool ChmodAfter, uint Mode)
    {
        /// <summary>Its place among the files handed over.</summary>
        public long Number { get; init; }

        public int Offset { get; init; }

        public int Length { get; init; }

        public int NameBytes { get; init; }

        public int EntryNameBytes { get; init; }

        public int RingSpan { get; init; }
    }

    /// <summary>One thread, its ring and its queue; the extracting thread is the only producer.</summary>
    private sealed class Writer
    {
        // Woken in batches, not per file: a futex wake-up per small file would cost more than the hand-over saves.
        private const int ResumeAtCount = Slots / 2;
        private const int ResumeAtRingBytes = RingBytes / 2;
        private const int ReleaseEvery = 32;

        private readonly FileWriters _pool;
        private readonly byte[] _ring = ArrayPool<byte>.Shared.Rent(RingBytes);
        private readonly Job[] _jobs = new Job[Slots];
        private readonly object _gate = new();
        private readonly Thread _thread;

        public long Written;

        // Shared, under _gate.
        private int _count;
        private int _ringUsed;
        private bool _writerWaiting;
        private bool _producerWaiting;
        private int _producerResumeAtCount;
        private int _producerResumeAtRing;
        private bool _stopping;

        // The extracting thread's.
        private int _tail;
        private int _writeAt;
        private int _reservedAt;
        private int _reservedLength;
        private int _reservedTotal;
        private int _reservedNameBytes;
        private int _reservedSpan;

        // The writer thread's.
        private int _head;

        public Writer(FileWriters pool, int index)
        {
            _pool = pool;
            _thread = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = $"tar file writer {index}" };
            _thread.Start();
        }

        /// <summary>Files queued, read without the lock: only a hint for choosing a writer.</summary>
        public int Load => Volatile.Read(ref _count);

        public bool HasRoomFor(int length) => Volatile.Read(ref _count) < Slots && Volatile.Read(ref _ringUsed) + Span(length) <= RingBytes;

        /// <summary>Room for <paramref name="total"/> bytes: the data's, returned, then the names, written now.</summary>
        public Span<byte> Reserve(int length, int total, string name, int nameBytes, string entryName)
        {
            var (start, span) = RingPlacement.Place(_writeAt, total, RingBytes);
            lock (_gate)
            {
                while (!_pool.Failed && (_count == Slots || _ringUsed + span > RingBytes))
                {
                    _producerWaiting = true;
                    _producerResumeAtCount = ResumeAtCount;
                    _producerResumeAtRing = ResumeAtRingBytes;
                    Monitor.Wait(_gate);
                }
            }

            _reservedAt = start;
            _reservedLength = length;
            _reservedTotal = total;
            _reservedNameBytes = nameBytes;
            _reservedSpan = span;
            var names = _ring.AsSpan(_reservedAt + length, total - length);
            Encoding.UTF8.GetBytes(name, names);
            names[nameBytes] = 0;
            Encoding.UTF8.GetBytes(entryName, names[(nameBytes + 1)..]);
            return _ring.AsSpan(_reservedAt, length);
        }

        public void Commit(Job job)
        {
            _jobs[_tail] = job with
            {
                Offset = _reservedAt,
                Length = _reservedLength,
                NameBytes = _reservedNameBytes,
                EntryNameBytes = _reservedTotal - _reservedLength - _reservedNameBytes - 1,
                RingSpan = _reservedSpan,
            };
            _tail = (_tail + 1) % Slots;
            _writeAt = _reservedAt + _reservedTotal;
            lock (_gate)
            {
                _count++;
                _ringUsed += _reservedSpan;
                if (_writerWaiting)
                {
                    _writerWaiting = false;
                    Monitor.Pulse(_gate);
                }
            }
        }

        public void WaitUntilEmpty()
        {
            lock (_gate)
            {
                while (_count > 0)
                {
                    _producerWaiting = true;
                    _producerResumeAtCount = 0;
                    _producerResumeAtRing = 0;
                    Monitor.Wait(_gate);
                }
            }
        }

        public void Stop()
        {
            lock (_gate)
            {
                _stopping = true;
                Monitor.Pulse(_gate);
            }
        }

        public void Join()
        {
            _thread.Join();
            ArrayPool<byte>.Shared.Return(_ring);
        }

        private int Span(int length) => RingPlacement.Place(_writeAt, length, RingBytes).Span;

        private void Run()
        {
            while (true)
            {
                int queued;
                lock (_gate)
                {
                    while (_count == 0)
                    {
                        if (_stopping)
                        {
                            return;
                        }

                        _writerWaiting = true;
                        Monitor.Wait(_gate);
                    }

                    queued = _count;
                }

                var done = 0;
                var freed = 0;
                for (var i = 0; i < queued; i++)
                {
                    ref var job = ref _jobs[_head];
                    Write(job);
                    freed += job.RingSpan;
                    job = default;
                    _head = (_head + 1) % Slots;
                    if (++done == ReleaseEvery || i == queued - 1)
                    {
                        Release(done, freed);
                        done = 0;
                        freed = 0;
                    }
                }
            }
        }

        private void Release(int files, int ringBytes)
        {
            lock (_gate)
            {
                _count -= files;
                _ringUsed -= ringBytes;
                if (_producerWaiting && _count <= _producerResumeAtCount && _ringUsed <= _producerResumeAtRing)
                {
                    _producerWaiting = false;
                    Monitor.Pulse(_gate);
                }
            }
        }

        private void Write(in Job job)
        {
            try
            {
                if (job.Number < Volatile.Read(ref _pool._failedAt))
                {
                    WriteFile(job, _ring);
                    Written++;
                }
            }
            catch (Exception ex)
            {
                _pool.Fail(job.Number, ex);
            }
            finally
            {
                job.Folder.Handle.DangerousRelease();
                if (Interlocked.Decrement(ref job.Folder.Queued) == 0)
                {
                    _pool._folders.Release();
                }
            }
        }

        private static unsafe void WriteFile(in Job job, byte[] ring)
        {
            var folder = ConfinedTree.Fd(job.Folder.Handle);
            var data = ring.AsSpan(job.Offset, job.Length);
            fixed (byte* name = &ring[job.Offset + job.Length])
            {
                var fd = Libc.openat(folder, name, NewFile.Flags, job.CreateMode);
                if (fd < 0)
                {
                    throw ConfinedTree.Failure(EntryName(job, ring), "cannot create file");
                }

                try
                {
                    if (!NewFile.TryWriteAll(fd, data, 0))
                    {
                        throw ConfinedTree.Failure(EntryName(job, ring), "cannot write file");
                    }

                    if (job.ChmodAfter && Libc.fchmod(fd, job.Mode) != 0)
                    {
                        throw ConfinedTree.Failure(EntryName(job, ring), "cannot set file mode");
                    }
                }
                catch
                {
                    // Do not leave a partial file behind a failed entry.
                    _ = Libc.close(fd);
                    _ = Libc.unlinkat(folder, name, 0);
                    throw;
                }

                _ = Libc.close(fd);
            }
        }

        private static string EntryName(in Job job, byte[] ring) =>
            Encoding.UTF8.GetString(ring, job.Offset + job.Length + job.NameBytes + 1, job.EntryNameBytes);
    }
}
