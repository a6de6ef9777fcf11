using System.CommandLine;
using Scute.Cli.Completion;
using Scute.Engine;
using Scute.Store;

namespace Scute.Cli.Commands;

public static class CompletionsCommand
{
    /// <summary>What the scripts run to list environments: <c>scute __complete-envs [store]</c>, answered before the parser is built.</summary>
    public const string EnvsVerb = "__complete-envs";

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completions", "Print the shell completion script for bash, zsh or fish") { shell };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var tree = CommandTree.Read(parse.RootCommandResult.Command as RootCommand
                    ?? throw new InvalidOperationException("completions needs the root command"));
                context.Out.Write(parse.GetValue(shell) switch
                {
                    "zsh" => ZshScript.Write(tree),
                    "fish" => FishScript.Write(tree),
                    _ => BashScript.Write(tree),
                });
                return ExitCodes.Success;
            });
        });
        return command;
    }

    /// <summary>Names and short ids, one a line; silent on any failure (a tab press must never print an error).</summary>
    public static int ListEnvironments(string? store, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        try
        {
            foreach (var name in MetadataNames.Read(StoreLocator.Resolve(store)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                stdout.WriteLine(name);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Nothing to offer.
        }

        return ExitCodes.Success;
    }
}
