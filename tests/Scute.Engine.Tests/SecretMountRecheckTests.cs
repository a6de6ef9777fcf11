using Scute.Policy;
using Scute.Runtime;
using Scute.Engine.Operations;

namespace Scute.Engine.Tests;

/// <summary>
/// The secret-location check runs again at every exec: a ~/.ssh that appears under a mounted
/// folder after the build is refused before the backend starts. HOME points at a fake home.
/// </summary>
[Collection(ProcessStateCollection.Name)]
public sealed class SecretMountRecheckTests : IDisposable
{
    private const string MountHome = """

        [mounts]
        home = "~:/host-home"

        [runtime]
        backend = "mock"

        """;

    private readonly TestProject project = new();
    private readonly EnvironmentVariables variables = new();
    private readonly MockBackend mock = new();

    public SecretMountRecheckTests()
    {
        project.Context = project.Context with { BackendOverride = _ => mock };
        Directory.CreateDirectory(Home);
        variables.Set("HOME", Home).Set("XDG_CONFIG_HOME", null).Set("SSH_AUTH_SOCK", null);
    }

    private string Home => Path.Combine(project.Root, "home");

    public void Dispose()
    {
        variables.Dispose();
        project.Dispose();
    }

    [SkippableFact]
    public void A_secret_location_created_after_the_build_is_refused_at_exec()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", MountHome));
        ExecOperation.Run(project.Context, built.EnvId, ["/bin/true"], null);
        Directory.CreateDirectory(Path.Combine(Home, ".ssh"));

        var e = Assert.Throws<PolicyViolationException>(() => ExecOperation.Run(project.Context, built.EnvId, ["/bin/true"], null));

        Assert.Single(mock.Runs);
        Assert.StartsWith("mounts.home: ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"contains the secret location {HostPaths.RealPath(Home)}/.ssh", e.Message, StringComparison.Ordinal);
        Assert.Contains("refused at run time", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void An_override_recorded_at_build_still_allows_it_at_exec()
    {
        TestProject.RequireBusybox();
        var built = project.Build(project.WriteManifest("app", MountHome + """

            [security.overrides]
            "mounts.home" = "the dotfiles installer writes into the whole home folder"

            """));
        Directory.CreateDirectory(Path.Combine(Home, ".ssh"));

        ExecOperation.Run(project.Context, built.EnvId, ["/bin/true"], null);

        Assert.Contains(Assert.Single(mock.Runs).Mounts, m => m.Target == "/host-home");
    }
}
