using Scute.Runtime;
using Scute.Runtime.Namespace;
using Scute.Runtime.Oci;
using Scute.Runtime.Podman;

namespace Scute.Engine.Tests;

public sealed class BackendFactoryTests
{
    private static readonly EngineContext Real = new("/nonexistent-store");

    [Fact]
    public void Mock_namespace_oci_and_podman_are_supported()
    {
        Assert.IsType<MockBackend>(BackendFactory.Create(Real, "mock"));
        Assert.IsType<NamespaceBackend>(BackendFactory.Create(Real, "namespace"));
        Assert.IsType<OciBackend>(BackendFactory.Create(Real, "oci"));
        Assert.IsType<PodmanBackend>(BackendFactory.Create(Real, "podman"));
    }

    [Theory]
    [InlineData("lxc")]
    [InlineData("")]
    public void Other_backends_are_refused(string backend)
    {
        var e = Assert.Throws<EngineException>(() => BackendFactory.Create(Real, backend));

        Assert.Contains("namespace, oci, podman, mock", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_contexts_override_wins_and_null_from_it_falls_back()
    {
        var custom = new MockBackend { ExitCode = 3 };
        var context = Real with { BackendOverride = name => name == "namespace" ? custom : null };

        Assert.Same(custom, BackendFactory.Create(context, "namespace"));
        Assert.NotSame(custom, BackendFactory.Create(context, "mock"));
        Assert.Throws<EngineException>(() => BackendFactory.Create(context, "no-such-backend"));
    }

    [Fact]
    public void One_contexts_override_is_not_another_contexts()
    {
        var custom = new MockBackend();
        var overridden = Real with { BackendOverride = _ => custom };

        Assert.Same(custom, BackendFactory.Create(overridden, "namespace"));
        Assert.IsType<NamespaceBackend>(BackendFactory.Create(Real, "namespace"));
    }
}
