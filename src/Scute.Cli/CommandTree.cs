using System.CommandLine;
using System.CommandLine.Completions;

namespace Scute.Cli;

/// <summary>What a value is, for completion: an environment, a file, a folder, one of a fixed list, or free text.</summary>
public enum ValueKind
{
    None,
    Text,
    Environment,
    File,
    Directory,
    Choice,
}

public sealed record TreeOption(string Name, IReadOnlyList<string> Aliases, string Description, string? HelpName, ValueKind Kind, bool Recursive, string? Default)
{
    public bool TakesValue => Kind != ValueKind.None;

    public IEnumerable<string> AllNames => [Name, .. Aliases];
}

public sealed record TreeArgument(string Name, string Description, ValueKind Kind, IReadOnlyList<string> Choices, bool Optional, bool Many, string? Default);

public sealed record TreeCommand(string Name, string Description, IReadOnlyList<TreeOption> Options, IReadOnlyList<TreeArgument> Arguments);

/// <summary>
/// The visible commands, options and arguments of the parser, read once from the same System.CommandLine
/// definitions that --help prints: completions and man pages are made from this, so they cannot drift.
/// </summary>
public sealed record CommandTree(string Description, IReadOnlyList<TreeOption> GlobalOptions, IReadOnlyList<TreeCommand> Commands)
{
    public static CommandTree Read(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var commands = root.Subcommands
            .Where(c => !c.Hidden)
            .Select(c => new TreeCommand(
                c.Name,
                c.Description ?? string.Empty,
                [.. c.Options.Where(o => !o.Hidden).Select(Option)],
                [.. c.Arguments.Where(a => !a.Hidden).Select(Argument)]))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        return new CommandTree(root.Description ?? string.Empty, [.. root.Options.Where(o => !o.Hidden).Select(Option)], commands);
    }

    /// <summary>The names of the options that take a value on a command's line (the global ones, and the command's own).</summary>
    public IReadOnlyList<string> ValuedNames(TreeCommand? command) =>
        [.. GlobalOptions.Concat(command?.Options ?? []).Where(o => o.TakesValue).SelectMany(o => o.AllNames).Order(StringComparer.Ordinal)];

    private static TreeOption Option(Option o)
    {
        // Help's DOS-style aliases (/h, -?) are noise in a completion list and a man page.
        var aliases = o.Aliases.Where(a => a.StartsWith('-') && a != "-?").Order(StringComparer.Ordinal).ToList();
        var flag = o.ValueType == typeof(bool) || o.Arity.MaximumNumberOfValues == 0;
        var kind = flag ? ValueKind.None : o.Name == "--store" ? ValueKind.Directory : ValueKind.Text;
        return new TreeOption(o.Name, aliases, o.Description ?? string.Empty, o.HelpName, kind, o.Recursive, Default(!flag && o.HasDefaultValue, o.GetDefaultValue));
    }

    // As --help shows it: "[default: 10]".
    private static string? Default(bool has, Func<object?> value) =>
        has ? Convert.ToString(value(), System.Globalization.CultureInfo.InvariantCulture) : null;

    private static TreeArgument Argument(Argument a)
    {
        var choices = a.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList();
        var kind = a.Name switch
        {
            "env" => ValueKind.Environment,
            "manifest" => ValueKind.File,
            _ when choices.Count > 0 => ValueKind.Choice,
            _ => ValueKind.Text,
        };
        return new TreeArgument(a.Name, a.Description ?? string.Empty, kind, choices, a.Arity.MinimumNumberOfValues == 0, a.Arity.MaximumNumberOfValues > 1, Default(a.HasDefaultValue, a.GetDefaultValue));
    }
}
