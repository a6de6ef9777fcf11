using System.Diagnostics;

namespace Scute.Runtime.Podman;

/// <summary>Finding podman and running its short helper commands (image exists, load, ps, stop).</summary>
public static class PodmanCli
{
    public static string? Path =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "podman"))
            .FirstOrDefault(File.Exists);

    public static string Require() =>
        Path ?? throw new ContainerSetupException("runtime.backend \"podman\": podman is not installed (not found on PATH); install it or use backend \"namespace\"");

    /// <summary>Runs podman with the arguments; stdout and stderr are captured.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var psi = new ProcessStartInfo(Require())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        psi.ArgumentList.Add("--log-level");
        psi.ArgumentList.Add("error");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new ContainerSetupException("podman did not start");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs podman and fails with its first error line when it fails.</summary>
    public static string Check(string what, params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        if (code != 0)
        {
            var line = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit {code}";
            throw new ContainerSetupException($"podman {what}: {line}");
        }

        return stdout;
    }

    /// <summary>Stops every container labelled with the environment's env_id; how many there were.</summary>
    public static int StopEnvironment(string envId, TimeSpan timeout)
    {
        var ids = Check("ps", "ps", "-q", "--filter", $"label={PodmanArguments.EnvIdLabel}={envId}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length > 0)
        {
            _ = Run(["stop", "-t", ((int)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), .. ids]);
        }

        return ids.Length;
    }
}
