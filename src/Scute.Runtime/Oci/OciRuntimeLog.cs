using System.Text.Json;

namespace Scute.Runtime.Oci;

/// <summary>
/// The runtime's --log in JSON lines: its warnings (no cgroup for a rootless run, ...) stay there;
/// its errors are the reason a run failed before the command started.
/// </summary>
public static class OciRuntimeLog
{
    public static IReadOnlyList<string> Errors(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var errors = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                var level = doc.RootElement.TryGetProperty("level", out var l) ? l.GetString() : null;
                if (level is "error" or "fatal" && doc.RootElement.TryGetProperty("msg", out var msg) && msg.GetString() is { } text)
                {
                    errors.Add(text);
                }
            }
            catch (JsonException)
            {
                // Not every runtime writes only JSON lines.
            }
        }

        return errors;
    }

    /// <summary>126/127 as a shell (and the namespace backend) says them; 125 for any other failure to start.</summary>
    public static int ExitCodeFor(IReadOnlyList<string> errors)
    {
        var text = string.Join('\n', errors);
        return text.Contains("executable file not found", StringComparison.Ordinal) || text.Contains("no such file or directory", StringComparison.OrdinalIgnoreCase) && text.Contains("exec", StringComparison.Ordinal)
            ? 127
            : text.Contains("permission denied", StringComparison.OrdinalIgnoreCase) && text.Contains("exec", StringComparison.Ordinal)
                ? 126
                : Namespace.ContainerInit.SetupFailed;
    }
}
