using System.CommandLine;
using Scute.Cli.Commands;
using Scute.Engine;

namespace Scute.Cli;

public static class Program
{
    [ThreadStatic]
    private static (TextWriter Out, TextWriter Err)? writers;

    public static int Main(string[] args)
    {
        // The stages scute starts itself as, and hooks: before the parser, and before anything else.
        if (Runtime.HiddenVerbs.Dispatch(args, TreeRemovalVerb.Run) is { } code)
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
        return Run(args, Console.Out, Console.Error);
    }

    /// <summary>Parses and runs one command line; the seam tests use to run commands in-process.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        writers = (stdout, stderr);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        return CreateRoot().Parse(args).Invoke(config);
    }

    /// <summary>Every command and option: what --help prints and what completions and man pages are made from.</summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Scute: rootless, reproducible, policy-enforced environments from a manifest");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(NewCommand.Create());
        root.Subcommands.Add(BuildCommand.Create());
        root.Subcommands.Add(PinCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(ExecCommand.Create());
        root.Subcommands.Add(EnterCommand.Create());
        root.Subcommands.Add(DestroyCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(PolicyCommand.Create());
        root.Subcommands.Add(VerifyStoreCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(RebuildCommand.Create());
        root.Subcommands.Add(StopCommand.Create());
        root.Subcommands.Add(FreezeCommand.Create());
        root.Subcommands.Add(ArchiveCommand.Create());
        root.Subcommands.Add(DiffCommand.Create());
        root.Subcommands.Add(SnapshotsCommand.Create());
        root.Subcommands.Add(CommitCommand.Create());
        root.Subcommands.Add(RestoreCommand.Create());
        root.Subcommands.Add(RenameCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(GcCommand.Create());
        root.Subcommands.Add(CompletionsCommand.Create());
        root.Subcommands.Add(ManPagesCommand.Create());
        root.Subcommands.Add(DBusServiceCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(PushCommand.Create());
        root.Subcommands.Add(PullCommand.Create());
        root.Subcommands.Add(LoginCommand.Create());
        root.Subcommands.Add(LogoutCommand.Create());
        root.Subcommands.Add(SbomCommand.Create());
        root.Subcommands.Add(KeygenCommand.Create());
        root.Subcommands.Add(TuiCommand.Create());
        return root;
    }

    public static CommandContext Context(ParseResult parse) =>
        new(parse, writers?.Out ?? Console.Out, writers?.Err ?? Console.Error);
}
