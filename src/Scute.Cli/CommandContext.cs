using System.CommandLine;
using Scute.Engine;
using Scute.Store;

namespace Scute.Cli;

/// <summary>What a command's action sees: its parse result, the global options and the output.</summary>
public sealed class CommandContext
{
    public CommandContext(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        Parse = parse;
        Out = stdout;
        Err = stderr;
        // The store lock settings of this command line (--lock-timeout, the waiting line on stderr).
        StoreLockOptions.Timeout = parse.GetValue(GlobalOptions.LockTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        StoreLockOptions.Waiting = pid => stderr.WriteLine(StoreLockOptions.WaitingMessage(pid));
    }

    public ParseResult Parse { get; }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public string StoreRoot => StoreLocator.Resolve(Parse.GetValue(GlobalOptions.Store));

    public bool Json => Parse.GetValue(GlobalOptions.Json);

    public bool Verbose => Parse.GetValue(GlobalOptions.Verbose);

    public bool Trace => Parse.GetValue(GlobalOptions.Trace);
}
