using System.CommandLine;
using Scute.Engine.Lifecycle;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class StopCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var timeout = new Option<int>("--timeout", "-t") { Description = "Seconds to wait after SIGTERM before SIGKILL", DefaultValueFactory = _ => 10 };
        var command = new Command("stop", "Stop every command running in an environment (SIGTERM, then SIGKILL after the timeout)") { env, timeout };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var seconds = parse.GetValue(timeout);
                if (seconds < 0)
                {
                    throw new Engine.EngineException($"--timeout {seconds}: give 0 or more seconds");
                }

                var r = StopOperation.Run(context.Engine, parse.GetValue(env)!, TimeSpan.FromSeconds(seconds));
                context.Out.WriteLine(r.Commands == 0
                    ? $"{r.Env.ShortId} is not running"
                    : $"stopped {r.Env.ShortId} ({r.Commands} command{(r.Commands == 1 ? "" : "s")}{(r.Killed ? ", killed after the timeout" : "")})");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
