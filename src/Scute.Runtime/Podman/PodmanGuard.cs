using System.Diagnostics;
using System.Globalization;
using System.Text;
using Scute.Runtime.Interop;
using Scute.Runtime.Namespace;
using static Scute.Core.Interop.Libc;

namespace Scute.Runtime.Podman;

/// <summary>
/// Every process of an environment dies with the scute process that started it (DESIGN 2.4),
/// also under Podman, whose container runs below conmon, outside scute's process tree, and
/// outlives a SIGKILLed scute. Scute starts this guard in Podman's user namespace (`podman
/// unshare`, where it may signal the container's processes) holding the read end of a pipe whose
/// write end only scute holds. Scute writes the podman client's pid when it starts it and "done"
/// when the command has ended; end-of-file without "done" means scute is gone, and the guard
/// SIGKILLs the container's first process (its pid namespace, every process of the container,
/// ends with it) and the podman client. Conmon then removes the container (`--rm`).
/// For an environment with a writable root it also mounts, in Podman's mount namespace, the
/// overlay the namespace backend mounts (the environment's layers below, its upper folder on
/// top), which podman runs with --rootfs, so changes are kept where the namespace backend keeps
/// them, with the account's home as a folder of it (kept too); and unmounts it when the run ends.
/// </summary>
public static partial class PodmanGuard
{
    public const string Verb = "__podman-guard";

    private const string DoneLine = "done";
    private const string MountedLine = "mounted";
    private const int SigKill = 9;

    /// <summary>How long a guard whose scute died before the container started waits for it to start.</summary>
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(10);

    /// <summary>Scute's end of the guard: the pipe's write end.</summary>
    public sealed class Link : IDisposable
    {
        private readonly Process guard;
        private int writeEnd;

        private Link(Process guard, int writeEnd)
        {
            this.guard = guard;
            this.writeEnd = writeEnd;
        }

        /// <param name="podman">The podman executable.</param>
        /// <param name="self">How to start this program with the guard's verb.</param>
        /// <param name="pidFile">Where podman writes the container's first process (--pidfile).</param>
        /// <param name="root">The overlay to mount for --rootfs; null when podman runs the image.</param>
        public static Link Start(string podman, IReadOnlyList<string> self, string pidFile, PodmanRoot? root)
        {
            ArgumentNullException.ThrowIfNull(self);
            var (readEnd, writeEnd) = DeathPipe.Create();
            var psi = new ProcessStartInfo(podman)
            {
                UseShellExecute = false,
                // Off the caller's terminal and streams: a guard outliving scute holds none of them.
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            string[] overlay = root is null ? [] : root.Arguments();
            foreach (var a in new[] { "--log-level", "error", "unshare" }.Concat(self).Concat([readEnd.ToString(CultureInfo.InvariantCulture), pidFile, .. overlay]))
            {
                psi.ArgumentList.Add(a);
            }

            Process? guard = null;
            try
            {
                Descriptors.Inherit(readEnd);
                guard = Process.Start(psi) ?? throw new ContainerSetupException("podman did not start the guard");
                guard.StandardInput.Close();
                if (root is not null)
                {
                    // The root must be mounted before podman runs on it.
                    var answer = guard.StandardOutput.ReadLine();
                    if (answer != MountedLine)
                    {
                        var why = answer ?? guard.StandardError.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "the guard ended";
                        throw new ContainerSetupException($"podman backend: cannot mount the environment's root: {why}");
                    }
                }

                return new Link(guard, writeEnd);
            }
            catch
            {
                _ = close(writeEnd);
                guard?.Dispose();
                throw;
            }
            finally
            {
                _ = close(readEnd);
            }
        }

        /// <summary>The podman client's pid, for the guard to end it too.</summary>
        public void Client(int pid) => Send(pid.ToString(CultureInfo.InvariantCulture));

        /// <summary>The command has ended: the guard leaves without killing anything.</summary>
        public void Done()
        {
            Send(DoneLine);
            CloseWriteEnd();
            // Not waited for long: it has nothing left to do but unmount and leave.
            guard.WaitForExit(5000);
        }

        /// <summary>Without <see cref="Done"/> first, the guard ends the container.</summary>
        public void Dispose()
        {
            CloseWriteEnd();
            guard.Dispose();
        }

        private void CloseWriteEnd()
        {
            if (writeEnd >= 0)
            {
                _ = close(writeEnd);
                writeEnd = -1;
            }
        }

        private unsafe void Send(string line)
        {
            var bytes = Encoding.ASCII.GetBytes(line + "\n");
            fixed (byte* p = bytes)
            {
                _ = write(writeEnd, p, (nuint)bytes.Length);
            }
        }
    }

    /// <summary>The guard itself, inside Podman's user and mount namespaces.</summary>
    /// <param name="root">The overlay for a writable root; null otherwise.</param>
    public static int Run(int readEnd, string pidFile, PodmanRoot? root)
    {
        if (root is not null)
        {
            // userxattr (Linux 5.11+), as the namespace backend mounts it: opaque folders and
            // whiteouts an unprivileged user can make, so the upper folder means the same to both.
            if (mount("overlay", root.MountPoint, "overlay", 0, root.Options + ",userxattr") != 0 && mount("overlay", root.MountPoint, "overlay", 0, root.Options) != 0)
            {
                Console.Out.WriteLine($"mount overlay on {root.MountPoint}: {Describe(Errno)}");
                return 1;
            }

            try
            {
                MakeHome(root);
            }
            catch (Exception e) when (e is ContainerSetupException or IOException or UnauthorizedAccessException)
            {
                _ = umount2(root.MountPoint, MNT_DETACH);
                Console.Out.WriteLine(e.Message);
                return 1;
            }

            Console.Out.WriteLine(MountedLine);
            Console.Out.Flush();
        }

        try
        {
            return Guard(readEnd, pidFile);
        }
        finally
        {
            if (root is not null)
            {
                // Detached: the container may still be going away; it keeps its own view until then.
                _ = umount2(root.MountPoint, MNT_DETACH);
            }
        }
    }

    /// <summary>As the namespace backend: a folder of the upper layer the user owns (Podman's ids: <see cref="PodmanRoot.HomeUid"/>).</summary>
    private static void MakeHome(PodmanRoot root)
    {
        if (root.Home is not { } home)
        {
            return;
        }

        var path = RootfsPaths.EnsureDirectory(root.MountPoint, home);
        if (lchown(path, (uint)root.HomeUid, (uint)root.HomeGid) != 0)
        {
            throw new ContainerSetupException($"give {home} to the user: {Describe(Errno)}");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static int Guard(int readEnd, string pidFile)
    {
        int? client = null;
        using (var pipe = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(readEnd, ownsHandle: true), FileAccess.Read, 1))
        using (var reader = new StreamReader(pipe, Encoding.ASCII))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line == DoneLine)
                {
                    return 0;
                }

                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    client = pid;
                }
            }
        }

        // Scute is gone: the environment goes with it.
        var container = ContainerPid(pidFile, TimeSpan.Zero);
        if (container is { } first)
        {
            _ = kill(first, SigKill);
        }

        if (client is { } c)
        {
            _ = kill(c, SigKill);
        }

        if (container is null && ContainerPid(pidFile, StartWait) is { } late)
        {
            _ = kill(late, SigKill);
        }

        return 0;
    }

    private static int? ContainerPid(string pidFile, TimeSpan wait)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Not written yet.
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }

            if (clock.Elapsed >= wait)
            {
                return null;
            }

            Thread.Sleep(50);
        }
    }
}
