using System.Runtime.Versioning;

// The store uses Linux syscalls (flock, statx, openat); Scute runs on Linux only.
[assembly: SupportedOSPlatform("linux")]
