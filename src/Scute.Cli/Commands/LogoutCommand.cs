using System.CommandLine;
using Scute.Engine.Sharing;

namespace Scute.Cli.Commands;

public static class LogoutCommand
{
    public static Command Create()
    {
        var registry = new Argument<string>("registry") { Description = "The registry: host[:port]" };
        var command = new Command("logout", "Remove a registry's credentials from the containers auth file") { registry };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var (file, removed) = LoginOperation.Logout(parse.GetValue(registry)!);
                if (!removed)
                {
                    throw new Engine.EngineException($"not logged in to {parse.GetValue(registry)} ({file} has no credentials for it)");
                }

                context.Out.WriteLine($"logged out of {parse.GetValue(registry)} (removed from {file})");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
