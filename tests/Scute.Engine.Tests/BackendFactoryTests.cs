using Scute.Runtime;
using Scute.Runtime.Namespace;
using Scute.Runtime.Oci;
using Scute.Runtime.Podman;

namespace Scute.Engine.Tests;

[Collection(ProcessStateCollection.Name)]
public sealed class BackendFactoryTests : IDisposable
{
    public void Dispose() => BackendFactory.Override = null;

    [Fact]
    public void Mock_namespace_oci_and_podman_are_supported()
    {
        BackendFactory.Override = null;

        Assert.IsType<MockBackend>(BackendFactory.Create("mock"));
        Assert.IsType<NamespaceBackend>(BackendFactory.Create("namespace"));
        Assert.IsType<OciBackend>(BackendFactory.Create("oci"));
        Assert.IsType<PodmanBackend>(BackendFactory.Create("podman"));
    }

    [Theory]
    [InlineData("lxc")]
    [InlineData("")]
    public void Other_backends_are_refused(string backend)
    {
        BackendFactory.Override = null;

        var e = Assert.Throws<EngineException>(() => BackendFactory.Create(backend));

        Assert.Contains("namespace, oci, podman, mock", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Override_wins_and_null_from_it_falls_back()
    {
        var custom = new MockBackend { ExitCode = 3 };
        BackendFactory.Override = name => name == "namespace" ? custom : null;

        Assert.Same(custom, BackendFactory.Create("namespace"));
        Assert.NotSame(custom, BackendFactory.Create("mock"));
        Assert.Throws<EngineException>(() => BackendFactory.Create("no-such-backend"));
    }
}
