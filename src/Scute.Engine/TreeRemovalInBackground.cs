using System.ComponentModel;
using System.Diagnostics;
using Scute.Store;

namespace Scute.Engine;

/// <summary>
/// Removes a store/trash entry after the command has answered: starts <c>scute __remove-trash</c>
/// (<see cref="TreeRemovalVerb.RunDetached"/>), which inherits the entry's lock, at idle priority,
/// and does not wait for it. A tree of 20,000 files costs as many unlinks; the caller has nothing
/// left to do with it. When the remover cannot be started the entry is removed here, as before.
/// </summary>
internal static class TreeRemovalInBackground
{
    public static void Start(TrashEntry entry)
    {
        using (entry)
        {
            try
            {
                var argv = Runtime.HiddenVerbs.Argv(Runtime.HiddenVerbs.RemoveTrash);
                var psi = new ProcessStartInfo(argv[0])
                {
                    UseShellExecute = false,
                    // Never the caller's stdin/stdout/stderr: whoever reads this command's output
                    // (a pipe, a test) sees its end when this process exits, not when the removal does.
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                foreach (var arg in argv.Skip(1).Append(entry.Path))
                {
                    psi.ArgumentList.Add(arg);
                }

                using var remover = entry.HandOver(() => Process.Start(psi)!);
                Lower(remover);
                return;
            }
            catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException or Runtime.ContainerSetupException)
            {
                // Could not start it: remove the entry now, still holding its lock.
            }

            try
            {
                TreeRemoval.Remove(entry.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next command's recovery removes what is left (the lock goes with this process).
            }
        }
    }

    private static void Lower(Process remover)
    {
        try
        {
            remover.PriorityClass = ProcessPriorityClass.Idle;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            // Already gone, or not allowed: it runs at normal priority.
        }
    }
}
