using System.CommandLine;

namespace Scute.Cli;

/// <summary>Options every command takes, declared once.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Store = new("--store")
    {
        Description = "Store root (default: $SCUTE_STORE, else $XDG_DATA_HOME/scute, else ~/.local/share/scute)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Stable JSON output", Recursive = true };

    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Say more", Recursive = true };

    public static readonly Option<bool> Trace = new("--trace") { Description = "Show stack traces of errors", Recursive = true };

    public static readonly Option<double?> LockTimeout = new("--lock-timeout")
    {
        Description = "Give up (exit 3) when the store lock is still held by another scute process after this many seconds (default: wait)",
        HelpName = "seconds",
        Recursive = true,
    };

    public static void AddTo(Command root)
    {
        root.Options.Add(Store);
        root.Options.Add(Json);
        root.Options.Add(Verbose);
        root.Options.Add(Trace);
        root.Options.Add(LockTimeout);
        LockTimeout.Validators.Add(r =>
        {
            if (r.GetValue(LockTimeout) is { } s && (s < 0 || double.IsNaN(s) || s > TimeSpan.MaxValue.TotalSeconds))
            {
                r.AddError("--lock-timeout must be a number of seconds, 0 or more");
            }
        });
    }
}
