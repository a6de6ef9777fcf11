using System.Diagnostics;

namespace Scute.Integration.Tests.Support;

/// <summary>Holds &lt;store&gt;/store/.lock with flock(1) from util-linux, as another scute process would.</summary>
public sealed class LockHolder : IDisposable
{
    private readonly Process process;

    private LockHolder(Process process) => this.process = process;

    public static LockHolder Hold(ScuteSession s, TimeSpan howLong)
    {
        var lockFile = Path.Combine(s.Store, "store", ".lock");
        var psi = new ProcessStartInfo("flock", ["-x", lockFile, "sleep", howLong.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        };
        var holder = new LockHolder(Process.Start(psi)!);
        var clock = Stopwatch.StartNew();
        while (TestUser.Run("flock", ["-n", lockFile, "true"]).ExitCode == 0)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                holder.Dispose();
                throw new TimeoutException("flock(1) did not take the store lock");
            }

            Thread.Sleep(20);
        }

        return holder;
    }

    public static string WaitForPid(string pidFile)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (File.Exists(pidFile) && File.ReadAllText(pidFile).Trim() is { Length: > 0 } pid)
            {
                return pid;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"no pid in {pidFile}");
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        process.Dispose();
    }
}
