using System.CommandLine;
using Scute.Engine;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class SbomCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the document to FILE instead of standard output", HelpName = "FILE" };
        var command = new Command("sbom", "Print an environment's software bill of materials (SPDX 2.3 JSON)") { env, output };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var document = SbomOperation.Run(context.Engine, parse.GetValue(env)!);
                if (parse.GetValue(output) is { } file)
                {
                    AtomicFile.WriteAllBytes(Path.GetFullPath(file), document);
                    return ExitCodes.Success;
                }

                context.Out.Write(System.Text.Encoding.UTF8.GetString(document));
                context.Out.WriteLine();
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
