using System.Diagnostics;
using Scute.Runtime.Interop;

namespace Scute.Runtime.Namespace;

/// <summary>
/// Starts a stage handing it exactly the given descriptors: each is made inheritable for the
/// start and closed here afterwards, so only the stage holds them.
/// </summary>
internal static class StageProcess
{
    public static Process Start(ProcessStartInfo psi, IReadOnlyList<int> handOver)
    {
        try
        {
            foreach (var fd in handOver)
            {
                Descriptors.Inherit(fd);
            }

            return Process.Start(psi) ?? throw new ContainerSetupException($"cannot start {psi.FileName}");
        }
        finally
        {
            foreach (var fd in handOver)
            {
                _ = Core.Interop.Libc.close(fd);
            }
        }
    }
}
