namespace Scute.Integration.Tests.Support;

/// <summary>What the probe saw from inside an environment, key → value, and how it ended.</summary>
public sealed record ProbeReport(int ExitCode, IReadOnlyDictionary<string, string> Values, string Raw)
{
    public string this[string key] => Values.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"probe printed no {key}:\n{Raw}");

    /// <summary>The readings every backend must give alike (DESIGN §2.4): all but the variable and device lists, which differ in harmless extras.</summary>
    public IReadOnlyDictionary<string, string> Enforcement => Values
        .Where(kv => kv.Key is not ("env" or "devices"))
        .ToDictionary(kv => kv.Key, kv => kv.Value);
}

/// <summary>
/// One probe for every way of running an environment (the namespace, oci and podman backends,
/// an exported Pod): a shell script run inside as the environment's user, printing key=value
/// lines, and the assertions of the strict profile on what it printed. Backends are compared
/// by running the same script; a difference in <see cref="ProbeReport.Enforcement"/> is a failure.
/// </summary>
public static class InsideProbe
{
    public const int ExitStatus = 42;

    /// <summary>Device nodes (links such as /dev/stdin are not nodes) the strict profile lets in (DESIGN §2.1), plus the pty multiplexer and console that terminals use.</summary>
    public static readonly HashSet<string> AllowedDevices = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/ptmx", "/dev/console"];

    /// <summary>Secrets and a harmless variable the caller has: the secrets must not arrive, TERM must.</summary>
    public static readonly Dictionary<string, string> CallerEnvironment = new()
    {
        ["SSH_AUTH_SOCK"] = "/tmp/agent.sock",
        ["AWS_SECRET_ACCESS_KEY"] = "secret",
        ["TERM"] = "xterm-test",
    };

    public const string Script = """
        echo "uid=$(id -u)"
        echo "gid=$(id -g)"
        grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status | tr -d '\t' | sed 's/:/=/'
        echo "root=$(touch /probe-root 2>&1 && echo writable)"
        echo "keys=$(cat /proc/keys 2>/dev/null | wc -c)"
        echo "timer_list=$(cat /proc/timer_list 2>/dev/null | wc -c)"
        echo "firmware=$(ls -A /sys/firmware 2>/dev/null | wc -l)"
        echo "devices=$(for f in /dev/*; do [ -L "$f" ] && continue; { [ -c "$f" ] || [ -b "$f" ]; } && printf '%s ' "$f"; done)"
        echo "net=$(ls /sys/class/net | tr '\n' ' ')"
        echo "env=$(env | cut -d= -f1 | sort | tr '\n' ' ')"
        unshare -U true 2>/dev/null; echo "unshare=$?"
        exit 42
        """;

    /// <summary>Runs the probe with `scute exec` as the session's user, the caller's variables set.</summary>
    public static ProbeReport Exec(ScuteSession s, string env)
    {
        ArgumentNullException.ThrowIfNull(s);
        var r = s.User.RunAs(
            [ScuteBinary.Path, "exec", env, "--", "sh", "-c", Script],
            s.Project,
            new Dictionary<string, string>(CallerEnvironment) { ["SCUTE_STORE"] = s.Store });
        return Parse(r);
    }

    public static ProbeReport Parse(ProcessResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[line[..eq]] = line[(eq + 1)..].Trim();
            }
        }

        return new ProbeReport(r.ExitCode, values, r.ToString());
    }

    /// <summary>The strict profile as seen from inside (DESIGN §2.1, §2.4).</summary>
    /// <param name="capabilities">The hex every capability set must hold: exactly the granted set.</param>
    /// <param name="callerTerm">Whether the caller's TERM reaches the command (not in an exported Pod: there is no caller).</param>
    public static void AssertStrict(ProbeReport p, string capabilities = "0000000000000000", bool callerTerm = true)
    {
        ArgumentNullException.ThrowIfNull(p);
        Assert.True(p.ExitCode == ExitStatus, $"exit status not passed through:\n{p.Raw}");
        Assert.Equal("1001", p["uid"]);
        Assert.Equal("1001", p["gid"]);
        Assert.Equal("1", p["NoNewPrivs"]);
        Assert.Equal("2", p["Seccomp"]);
        foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
        {
            Assert.True(p[set] == capabilities, $"{set} is {p[set]}, expected {capabilities}:\n{p.Raw}");
        }

        Assert.Contains("Read-only file system", p["root"], StringComparison.Ordinal);
        Assert.Equal("0", p["keys"]);
        Assert.Equal("0", p["timer_list"]);
        Assert.Equal("0", p["firmware"]);
        var devices = p["devices"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("/dev/null", devices);
        Assert.True(devices.All(AllowedDevices.Contains), $"devices beyond the allowed ones: {p["devices"]}");
        Assert.Equal("lo", p["net"]);
        var env = p["env"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain("SSH_AUTH_SOCK", env);
        Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", env);
        if (callerTerm)
        {
            Assert.Contains("TERM", env);
        }

        // Scute's seccomp profile refuses new user namespaces (Podman's default does not).
        Assert.NotEqual("0", p["unshare"]);
    }
}
