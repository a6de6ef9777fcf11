using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class BuildCommand
{
    public static Command Create()
    {
        var manifest = new Argument<string?>("manifest") { Description = "Manifest file (default: scute.toml, else karapace.toml, in this folder)", Arity = ArgumentArity.ZeroOrOne };
        var name = new Option<string?>("--name") { Description = "Name the environment ([A-Za-z0-9_-]{1,64}, unique)" };
        var locked = new Option<bool>("--locked") { Description = "Install exactly the package versions the lock file names; refuse a missing or drifted lock" };
        var offline = new Option<bool>("--offline") { Description = "Use only what the store already has: no package installation" };
        var command = new Command("build", "Build an environment from a manifest and write its lock file") { manifest, name, locked, offline };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var options = new BuildOptions(parse.GetValue(locked), parse.GetValue(offline), context.Verbose ? context.Err : null);
                BuildResult Build(BuildOptions o) => BuildOperation.Run(context.Engine, parse.GetValue(manifest), parse.GetValue(name), TimeProvider.System, o);
                // Downloads, unpacking and installs draw progress on a terminal, never in a pipe or with --json.
                var result = TerminalProgress.Wanted(context.Json, context.Verbose) && context.Err == Console.Error
                    ? TerminalProgress.Run(p => Build(options with { Progress = p }))
                    : Build(options);
                // What the build could not finish (a [gui] app that could not go into the menu) is a warning.
                foreach (var warning in result.Warnings)
                {
                    context.Err.WriteLine($"scute: warning: {warning}");
                }

                if (result.DevProfileImplied)
                {
                    context.Err.WriteLine("scute: no [security] table: the dev profile applies (writable root kept as the environment's state, your own uid inside; every other default stays)");
                }

                if (context.Json)
                {
                    JsonOut.Write(context.Out, BuildJson.From(result));
                }
                else
                {
                    var label = result.ShortId + (result.Name is null ? string.Empty : $" ({result.Name})");
                    var state = result.State.ToString().ToLowerInvariant();
                    context.Out.WriteLine(result.Existed
                        ? $"{label} exists already ({state}{(result.State == Store.EnvState.Frozen ? ": it runs read-only" : string.Empty)}); the lock is rewritten, nothing else changed"
                        : $"built {label}");
                    context.Out.WriteLine($"  env_id             {result.EnvId}");
                    context.Out.WriteLine($"  base               {result.BaseDigest}");
                    context.Out.WriteLine($"  lock               {result.LockPath}");
                    if (result.Packages.Count > 0)
                    {
                        var how = result.PackagesInstalled ? "installed" : "reused from the store";
                        context.Out.WriteLine($"  packages           {string.Join(' ', result.Packages.Select(p => $"{p.Name}={p.Version}"))} ({how})");
                    }

                    SecuritySummary.Write(context.Out, result.Security);
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
