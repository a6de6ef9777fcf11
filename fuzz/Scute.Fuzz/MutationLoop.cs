using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Scute.Fuzz;

/// <summary>
/// The fallback fuzzer: random mutations of the seed files (bit flips, byte edits, TOML tokens, splices),
/// each fed to <see cref="FuzzTarget"/> in process. Not coverage guided; it finds what breaks on the surface.
/// </summary>
public static class MutationLoop
{
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "[", "]", "[[", "]]", "{", "}", "=", ".", ",", "\"", "'", "\"\"\"", "'''", "\n", "\r\n", "#", "\\u0000", "\\U0010FFFF",
            "\\", "-1", "0", "4294967296", "9223372036854775808", "1e999", "nan", "inf", "true", "1979-05-27T07:32:00Z",
            "[security]\n", "[security.capabilities]\n", "[security.overrides]\n", "[mounts]\n", "[runtime.resource_limits]\n",
            "profile = \"strict\"\n", "user = 0\n", "readonly_root = false\n", "seccomp = \"unconfined\"\n", "SYS_ADMIN = \"a b c\"\n",
            "w = \"../../etc:/x\"\n", "a.b.c = 1\n", "\u202e", "\ufeff", "\u2028", "~", "~/", "/..", ":ro",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    public static int Run(TimeSpan duration, string seedFolder, string findingsFolder, TextWriter log)
    {
        var seeds = Directory.EnumerateFiles(seedFolder).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).Where(b => b.Length > 0).ToList();
        if (seeds.Count == 0)
        {
            seeds.Add(Encoding.UTF8.GetBytes("manifest_version = 1\n[base]\nimage = \"builtin:busybox\"\n"));
        }

        Directory.CreateDirectory(findingsFolder);
        var clock = Stopwatch.StartNew();
        long executions = 0;
        var crashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seed in seeds)
        {
            Try(seed, findingsFolder, crashes, log);
        }

        while (clock.Elapsed < duration)
        {
            var input = Mutate(seeds[Random.Shared.Next(seeds.Count)], seeds);
            executions++;
            Try(input, findingsFolder, crashes, log);
        }

        log.WriteLine($"scute-fuzz: {executions} executions in {clock.Elapsed.TotalSeconds:F0} s from {seeds.Count} seeds, {crashes.Count} distinct crashes");
        return crashes.Count == 0 ? 0 : 1;
    }

    private static void Try(byte[] input, string findingsFolder, HashSet<string> crashes, TextWriter log)
    {
        try
        {
            FuzzTarget.Run(input);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One file per distinct exception type and throw site, so a single bug does not flood the folder.
            var site = e.GetType().FullName + " " + (e.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? string.Empty);
            if (crashes.Add(site))
            {
                var name = "crash-" + Convert.ToHexStringLower(SHA256.HashData(input))[..16];
                File.WriteAllBytes(Path.Combine(findingsFolder, name), input);
                log.WriteLine($"scute-fuzz: CRASH {name}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} at {site}");
            }
        }
    }

    private static byte[] Mutate(byte[] seed, List<byte[]> seeds)
    {
        var data = new List<byte>(seed);
        var rounds = 1 + Random.Shared.Next(8);
        for (var i = 0; i < rounds; i++)
        {
            var at = data.Count == 0 ? 0 : Random.Shared.Next(data.Count);
            switch (Random.Shared.Next(7))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << Random.Shared.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = (byte)Random.Shared.Next(256);
                    break;
                case 2 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + Random.Shared.Next(16)));
                    break;
                case 3:
                    data.InsertRange(at, Tokens[Random.Shared.Next(Tokens.Length)]);
                    break;
                case 4 when data.Count > 0:
                    var length = Math.Min(data.Count - at, 1 + Random.Shared.Next(64));
                    data.InsertRange(Random.Shared.Next(data.Count), data.GetRange(at, length));
                    break;
                case 5:
                    var other = seeds[Random.Shared.Next(seeds.Count)];
                    var from = Random.Shared.Next(other.Length);
                    data.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, 1 + Random.Shared.Next(128))).ToArray());
                    break;
                default:
                    data.Insert(at, (byte)Random.Shared.Next(256));
                    break;
            }
        }

        return [.. data];
    }
}
