using System.Runtime.CompilerServices;
using System.Runtime.Versioning;

// The store uses Linux syscalls (flock, statx, openat); Scute runs on Linux only.
[assembly: SupportedOSPlatform("linux")]

// The tests drive the walks' seam (a callback between listing a folder and opening an entry).
[assembly: InternalsVisibleTo("Scute.Store.Tests")]
