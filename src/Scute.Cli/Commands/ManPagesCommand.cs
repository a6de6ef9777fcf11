using System.CommandLine;
using Scute.Cli.Manual;

namespace Scute.Cli.Commands;

public static class ManPagesCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Folder to write the pages into (made when missing), e.g. ~/.local/share/man/man1" };
        var command = new Command("man-pages", "Write the man pages: scute(1), one per command, scute.toml(5) and scute-policy.toml(5)") { dir };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var tree = CommandTree.Read(parse.RootCommandResult.Command as RootCommand
                    ?? throw new InvalidOperationException("man-pages needs the root command"));
                var folder = Path.GetFullPath(parse.GetValue(dir)!);
                Directory.CreateDirectory(folder);
                foreach (var (name, text) in ManPages.Make(tree))
                {
                    var path = Path.Combine(folder, name);
                    File.WriteAllText(path, text);
                    context.Out.WriteLine(path);
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
