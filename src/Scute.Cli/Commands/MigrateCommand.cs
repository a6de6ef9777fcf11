using System.CommandLine;
using Scute.Engine.Lifecycle;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Check the store's format version and convert an older store");
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                context.Out.WriteLine(MigrateOperation.Run(context.Engine));
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
