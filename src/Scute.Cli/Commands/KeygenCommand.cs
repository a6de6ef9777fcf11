using System.CommandLine;
using Scute.Engine;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class KeygenCommand
{
    public static Command Create()
    {
        var prefix = new Argument<string>("prefix") { Description = "Path prefix of the key files: writes <prefix>.key (private, mode 0600) and <prefix>.pub" };
        var command = new Command("keygen", "Write an ECDSA P-256 key pair for signing images (sigstore format)") { prefix };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var (privatePath, publicPath) = KeygenOperation.Run(parse.GetValue(prefix)!);
                context.Out.WriteLine($"wrote {privatePath}");
                context.Out.WriteLine($"wrote {publicPath}");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
