using System.Diagnostics;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// A non-root account the CLI runs as. test.sh creates scute-test (with subordinate id ranges)
/// and scute-nosub (without). When the tests themselves are not root, they run as the current user.
/// </summary>
public sealed record TestUser(string Name, bool HasSubordinateIds)
{
    public static readonly TestUser WithSubIds = new("scute-test", true);
    public static readonly TestUser WithoutSubIds = new("scute-nosub", false);

    public static bool RunningAsRoot => Environment.UserName == "root";

    public bool Exists => !RunningAsRoot || Run("id", ["-u", Name]).ExitCode == 0;

    public int Uid => int.Parse(RunAs(["id", "-u"]).Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs argv as this user in the folder, with a clean environment plus the given variables.</summary>
    public ProcessResult RunAs(IReadOnlyList<string> argv, string? workingDir = null, IReadOnlyDictionary<string, string>? env = null, string? stdin = null, int timeoutMs = 120_000)
    {
        var prefix = Prefix(env);
        prefix.AddRange(argv);
        return Run(prefix[0], prefix.Skip(1).ToList(), workingDir, stdin, timeoutMs);
    }

    /// <summary>The start of a command line that runs as this user with a clean environment plus <paramref name="env"/>.</summary>
    public List<string> Prefix(IReadOnlyDictionary<string, string>? env = null)
    {
        var prefix = new List<string>();
        if (RunningAsRoot)
        {
            prefix.AddRange(["runuser", "-u", Name, "--"]);
        }

        prefix.AddRange(["env", "-i", $"HOME={Home}", $"USER={Name}", "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG=C.UTF-8"]);
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            prefix.Add($"{k}={v}");
        }

        return prefix;
    }

    public string Home => RunningAsRoot ? $"/home/{Name}" : Environment.GetEnvironmentVariable("HOME")!;

    /// <summary>
    /// Where test folders go: test.sh names one per run (SCUTE_IT_ROOT) and removes it at the end,
    /// so runs do not pile up stores and Debian trees in /tmp.
    /// </summary>
    public static string ScratchRoot =>
        Environment.GetEnvironmentVariable("SCUTE_IT_ROOT") is { Length: > 0 } root ? root : System.IO.Path.Combine("/tmp", "scute-it");

    /// <summary>A fresh folder this user owns.</summary>
    public string NewFolder()
    {
        var dir = System.IO.Path.Combine(ScratchRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(ScratchRoot, (UnixFileMode)0x1FF);
        if (RunningAsRoot)
        {
            var chown = Run("chown", ["-R", $"{Name}:{Name}", dir]);
            if (chown.ExitCode != 0)
            {
                throw new InvalidOperationException(chown.ToString());
            }
        }

        return dir;
    }

    public static ProcessResult Run(string file, IReadOnlyList<string> args, string? workingDir = null, string? stdin = null, int timeoutMs = 120_000)
    {
        using var p = StartRedirected([file, .. args], workingDir ?? "/tmp");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
        }

        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeoutMs} ms");
        }

        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts argv in the folder with stdin, stdout and stderr all redirected to the caller.</summary>
    public static Process StartRedirected(IReadOnlyList<string> argv, string folder)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var psi = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var a in argv.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }
}
