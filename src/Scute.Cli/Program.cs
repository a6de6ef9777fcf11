using System.CommandLine;
using Scute.Cli.Commands;
using Scute.Engine;

namespace Scute.Cli;

public static class Program
{
    [ThreadStatic]
    private static (TextWriter Out, TextWriter Err, Func<EngineContext, EngineContext>? Seams)? writers;

    public static int Main(string[] args)
    {
        // The stages scute starts itself as, and hooks: before the parser, and before anything else.
        if (Runtime.HiddenVerbs.Dispatch(args, TreeRemovalVerb.Run, TreeRemovalVerb.RunDetached) is { } code)
        {
            return code;
        }

        // A tab press: no parser, no lock, no checksum (see MetadataNames).
        if (args.Length is 1 or 2 && args[0] == CompletionsCommand.EnvsVerb)
        {
            return CompletionsCommand.ListEnvironments(args.Length == 2 ? args[1] : null, Console.Out);
        }

        // Whatever the caller left open without close-on-exec (a host folder on fd 7, say) is
        // never handed to a stage or a package manager; the runtime's own are close-on-exec.
        Runtime.Interop.Descriptors.CloseOnExecFrom(3);
        // exec and enter print nothing of their own unless something fails: their writers are made when used.
        return CommandNamed(args) is "exec" or "enter"
            ? Run(args, new Output.LazyConsoleWriter(() => Console.Out), new Output.LazyConsoleWriter(() => Console.Error))
            : Run(args, Console.Out, Console.Error);
    }

    /// <summary>Parses and runs one command line; the seam tests use to run commands in-process.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, seams: null);

    /// <summary>
    /// As <see cref="Run(string[], TextWriter, TextWriter)"/>, with what a test changes in the engine
    /// context the command line makes (<see cref="EngineContext.BackendOverride"/>, say).
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<EngineContext, EngineContext>? seams)
    {
        ArgumentNullException.ThrowIfNull(args);
        var only = CommandNamed(args);
        if (only is not null && !Array.Exists(args.TakeWhile(a => a != "--").ToArray(), NeedsTheRoot))
        {
            // A line that parses without them does not need the root's help and version options,
            // whose localized descriptions cost a resource lookup (near a millisecond) at every
            // start; a line with any error is parsed again with them, for the usual message and help.
            var parse = CreateBare(only).Parse(args);
            if (parse.Errors.Count == 0)
            {
                return Invoke(parse, stdout, stderr, seams);
            }
        }

        return Invoke(CreateRoot(only).Parse(args), stdout, stderr, seams);
    }

    /// <summary>Runs one command line against the given command tree.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return Invoke(root.Parse(args), stdout, stderr, seams: null);
    }

    private static int Invoke(ParseResult parse, TextWriter stdout, TextWriter stderr, Func<EngineContext, EngineContext>? seams)
    {
        writers = (stdout, stderr, seams);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        return parse.Invoke(config);
    }

    /// <summary>What only the root command answers: help, version, and directives ([suggest], [diagram]).</summary>
    private static bool NeedsTheRoot(string arg) => arg is "-h" or "--help" or "-?" or "/?" or "/h" or "--version" || arg.StartsWith('[');

    /// <summary>The named command under a plain root with the global options: no help or version option.</summary>
    private static Command CreateBare(string only)
    {
        var root = new Command(RootCommand.ExecutableName);
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(Array.Find(Commands, c => c.Name == only).Create());
        return root;
    }

    /// <summary>Every command and option: what --help prints and what completions and man pages are made from.</summary>
    public static RootCommand CreateRoot() => CreateRoot(null);

    /// <summary>
    /// The root with every command, or with only <paramref name="only"/>: a command's parse, help and
    /// errors are the same either way, and building the other commands' options costs every start
    /// (about a millisecond, on exec and list too).
    /// </summary>
    private static RootCommand CreateRoot(string? only)
    {
        var root = new RootCommand("Scute: rootless, reproducible, policy-enforced environments from a manifest");
        GlobalOptions.AddTo(root);
        foreach (var (name, create) in Commands)
        {
            if (only is null || only == name)
            {
                root.Subcommands.Add(create());
            }
        }

        return root;
    }

    private static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("new", NewCommand.Create),
        ("build", BuildCommand.Create),
        ("pin", PinCommand.Create),
        ("list", ListCommand.Create),
        ("inspect", InspectCommand.Create),
        ("exec", ExecCommand.Create),
        ("enter", EnterCommand.Create),
        ("destroy", DestroyCommand.Create),
        ("doctor", DoctorCommand.Create),
        ("policy", PolicyCommand.Create),
        ("verify-store", VerifyStoreCommand.Create),
        ("audit", AuditCommand.Create),
        ("rebuild", RebuildCommand.Create),
        ("stop", StopCommand.Create),
        ("freeze", FreezeCommand.Create),
        ("archive", ArchiveCommand.Create),
        ("diff", DiffCommand.Create),
        ("snapshots", SnapshotsCommand.Create),
        ("commit", CommitCommand.Create),
        ("restore", RestoreCommand.Create),
        ("rename", RenameCommand.Create),
        ("migrate", MigrateCommand.Create),
        ("gc", GcCommand.Create),
        ("completions", CompletionsCommand.Create),
        ("man-pages", ManPagesCommand.Create),
        ("dbus-service", DBusServiceCommand.Create),
        ("export", ExportCommand.Create),
        ("push", PushCommand.Create),
        ("pull", PullCommand.Create),
        ("login", LoginCommand.Create),
        ("logout", LogoutCommand.Create),
        ("sbom", SbomCommand.Create),
        ("keygen", KeygenCommand.Create),
        ("tui", TuiCommand.Create),
    ];

    /// <summary>Commands that read the whole tree (completions and man pages are made from it).</summary>
    private static readonly string[] ReadTheTree = ["completions", "man-pages"];

    /// <summary>
    /// The command the line names, when it names one that does not read the tree: the first word
    /// that is not an option or a global option's value. Anything else (no command, --help of the
    /// root, a misspelt name that the parser will suggest a fix for) gets the whole tree.
    /// </summary>
    public static string? CommandNamed(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--store" or "--lock-timeout")
            {
                i++; // its value
                continue;
            }

            if (arg.StartsWith('-'))
            {
                continue;
            }

            var known = Array.Exists(Commands, c => c.Name == arg) && !ReadTheTree.Contains(arg);
            return known ? arg : null;
        }

        return null;
    }

    public static CommandContext Context(ParseResult parse) =>
        new(parse, writers?.Out ?? Console.Out, writers?.Err ?? Console.Error, writers?.Seams);
}
