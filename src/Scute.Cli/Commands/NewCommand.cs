using System.CommandLine;
using Scute.Engine;

namespace Scute.Cli.Commands;

public static class NewCommand
{
    public static Command Create()
    {
        var template = new Argument<string>("template") { Description = "minimal, dev or app", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "minimal" };
        template.AcceptOnlyFromAmong([.. ManifestTemplates.Names]);
        var force = new Option<bool>("--force") { Description = "Replace an existing scute.toml" };
        var command = new Command("new", "Write a scute.toml from a template in this folder") { template, force };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var path = ManifestTemplates.Write(Directory.GetCurrentDirectory(), parse.GetValue(template)!, parse.GetValue(force));
                context.Out.WriteLine($"wrote {path}");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
