using System.CommandLine;
using Scute.Engine;
using Scute.Store;

namespace Scute.Cli;

/// <summary>What a command's action sees: its parse result, the global options and the output.</summary>
public sealed class CommandContext
{
    private readonly Func<EngineContext, EngineContext>? seams;
    private EngineContext? engine;

    /// <param name="seams">What a test changes in <see cref="Engine"/> (a recording backend...); null for a real command line.</param>
    public CommandContext(ParseResult parse, TextWriter stdout, TextWriter stderr, Func<EngineContext, EngineContext>? seams = null)
    {
        Parse = parse;
        Out = stdout;
        Err = stderr;
        this.seams = seams;
    }

    public ParseResult Parse { get; }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public string StoreRoot => StoreLocator.Resolve(Parse.GetValue(GlobalOptions.Store));

    /// <summary>
    /// What the engine operations of this command line get: the store (--store), its lock settings
    /// (--lock-timeout, the waiting line on this command's stderr). Made on first use, so a command
    /// that never opens the store never resolves it.
    /// </summary>
    public EngineContext Engine => engine ??= MakeEngine();

    public bool Json => Parse.GetValue(GlobalOptions.Json);

    public bool Verbose => Parse.GetValue(GlobalOptions.Verbose);

    public bool Trace => Parse.GetValue(GlobalOptions.Trace);

    private EngineContext MakeEngine()
    {
        var made = new EngineContext(StoreRoot, new StoreOptions
        {
            LockTimeout = Parse.GetValue(GlobalOptions.LockTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            LockWaiting = WriteWaitingLine,
        });
        return seams is null ? made : seams(made);
    }

    private void WriteWaitingLine(int? holderPid) => Err.WriteLine(StoreLock.WaitingMessage(holderPid));
}
