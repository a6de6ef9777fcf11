using System.CommandLine;
using Scute.Engine;
using Scute.Engine.Sharing;

namespace Scute.Cli.Commands;

public static class LoginCommand
{
    public static Command Create()
    {
        var registry = new Argument<string>("registry") { Description = "The registry: host[:port]" };
        var user = new Option<string?>("--username", "-u") { Description = "The user name" };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input (the only way: never on the command line)" };
        var command = new Command("login", "Check credentials with a registry and keep them in the containers auth file, as podman login does") { registry, user, stdin };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                if (!parse.GetValue(stdin))
                {
                    throw new EngineException("login reads the password from standard input: give --password-stdin (a password on the command line would show in ps and shell history)");
                }

                var name = parse.GetValue(user) ?? throw new EngineException("login needs --username");
                // One line, as `echo pw | scute login` and `--password-stdin < file` give it; the newline is not part of it.
                var password = (Console.In.ReadLine() ?? string.Empty).TrimEnd('\r');
                var file = LoginOperation.Login(parse.GetValue(registry)!, name, password);
                context.Out.WriteLine($"logged in to {parse.GetValue(registry)} as {name} (credentials in {file})");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
