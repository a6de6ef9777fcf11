using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;

namespace Scute.Cli.Commands;

public static class BuildCommand
{
    public static Command Create()
    {
        var manifest = new Argument<string?>("manifest") { Description = "Manifest file (default: scute.toml, else karapace.toml, in this folder)", Arity = ArgumentArity.ZeroOrOne };
        var name = new Option<string?>("--name") { Description = "Name the environment ([A-Za-z0-9_-]{1,64}, unique)" };
        var command = new Command("build", "Build an environment from a manifest and write its lock file") { manifest, name };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var result = BuildOperation.Run(context.StoreRoot, parse.GetValue(manifest), parse.GetValue(name), TimeProvider.System,
                    context.Verbose ? line => context.Err.WriteLine("scute: " + line) : null);
                if (result.DevProfileImplied)
                {
                    context.Err.WriteLine("scute: no [security] table: the dev profile applies (writable root kept as the environment's state, your own uid inside; every other default stays)");
                }

                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonObject
                    {
                        ["env_id"] = result.EnvId,
                        ["short_id"] = result.ShortId,
                        ["name"] = result.Name,
                        ["lock"] = result.LockPath,
                        ["base_digest"] = result.BaseDigest,
                        ["security"] = result.Security.ToJson(),
                    });
                }
                else
                {
                    context.Out.WriteLine($"built {result.ShortId}" + (result.Name is null ? string.Empty : $" ({result.Name})"));
                    context.Out.WriteLine($"  env_id             {result.EnvId}");
                    context.Out.WriteLine($"  base               {result.BaseDigest}");
                    context.Out.WriteLine($"  lock               {result.LockPath}");
                    SecuritySummary.Write(context.Out, result.Security);
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
