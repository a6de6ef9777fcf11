using System.Runtime.InteropServices;
using System.Text;
using static Scute.Core.Interop.Libc;

using Scute.Runtime.Interop;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Starts the stage with posix_spawn and waits for it with waitpid: exec's path without the
/// Process class (its environment copy, its SIGCHLD machinery and the thread hand-off of its
/// wait cost about a millisecond per exec). The stage gets exactly the given descriptors (each
/// dup2'ed onto itself, which clears close-on-exec in the child alone), every signal at its
/// default disposition and none blocked, as Process.Start gives it.
/// </summary>
internal static unsafe class StageSpawn
{
    /// <returns>The stage's pid.</returns>
    public static int Start(IReadOnlyList<string> argv, IReadOnlyList<string> environment, IReadOnlyList<int> handOver)
    {
        var actions = stackalloc byte[SpawnObjectSize];
        var attributes = stackalloc byte[SpawnObjectSize];
        var signals = stackalloc byte[128];
        var args = NativeStrings.Array(argv);
        var envp = NativeStrings.Array(environment);
        try
        {
            Check(posix_spawn_file_actions_init(actions), "prepare the stage's descriptors");
            Check(posix_spawnattr_init(attributes), "prepare the stage's attributes");
            foreach (var fd in handOver)
            {
                Check(posix_spawn_file_actions_adddup2(actions, fd, fd), "hand a descriptor to the stage");
            }

            _ = sigfillset(signals);
            Check(posix_spawnattr_setsigdefault(attributes, signals), "reset the stage's signals");
            _ = sigemptyset(signals);
            Check(posix_spawnattr_setsigmask(attributes, signals), "unblock the stage's signals");
            Check(posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK), "set the stage's attributes");
            int pid;
            Check(posix_spawn(&pid, argv[0], actions, attributes, (byte**)args, (byte**)envp), $"start {argv[0]}");
            return pid;
        }
        finally
        {
            _ = posix_spawn_file_actions_destroy(actions);
            _ = posix_spawnattr_destroy(attributes);
            NativeStrings.Free(args);
            NativeStrings.Free(envp);
        }
    }

    /// <summary>The stage's exit code as Process.ExitCode gives it: its status, or 128 + the signal that ended it.</summary>
    public static int Wait(int pid)
    {
        int status;
        while (waitpid(pid, &status, 0) < 0)
        {
            if (Errno != 4 /* EINTR */)
            {
                throw new ContainerSetupException($"wait for the stage: {Describe(Errno)}");
            }
        }

        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    // posix_spawn returns the error number instead of setting errno.
    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new ContainerSetupException($"{what}: {Describe(error)}");
        }
    }
}
