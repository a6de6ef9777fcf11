using SharpFuzz;

namespace Scute.Fuzz;

/// <summary>
/// Two ways to drive <see cref="FuzzTarget"/>:
/// <list type="bullet">
/// <item>no arguments: the AFL++ fork server (run under afl-fuzz with Scute.Manifest.dll and Scute.Policy.dll
/// instrumented by the sharpfuzz tool); an escaping exception is reported to AFL as a crash;</item>
/// <item><c>--mutate &lt;seconds&gt; &lt;seed folder&gt; &lt;findings folder&gt;</c>: an in-process mutation loop for
/// hosts where afl-fuzz cannot run; exit code 1 when a crashing input was found (saved to the findings folder).</item>
/// </list>
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                FuzzTarget.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            });
            return 0;
        }

        if (args.Length == 4 && args[0] == "--mutate" && int.TryParse(args[1], System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            return MutationLoop.Run(TimeSpan.FromSeconds(seconds), args[2], args[3], Console.Out);
        }

        Console.Error.WriteLine("usage: Scute.Fuzz                                   (under afl-fuzz)");
        Console.Error.WriteLine("       Scute.Fuzz --mutate <seconds> <seed folder> <findings folder>");
        return 2;
    }
}
