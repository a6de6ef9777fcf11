using Scute.Runtime.Podman;

namespace Scute.Runtime.Tests.Podman;

public sealed class PodmanRootTests
{
    [Fact]
    public void The_guards_arguments_give_the_same_root_back()
    {
        var withHome = new PodmanRoot("lowerdir=/l,upperdir=/u,workdir=/w", "/run/x/root", "/home/dev", 0, 0);
        var without = new PodmanRoot("lowerdir=/l,upperdir=/u,workdir=/w", "/run/x/root");

        Assert.Equal(withHome, PodmanRoot.Parse(withHome.Arguments()));
        Assert.Equal(without, PodmanRoot.Parse(without.Arguments()));
        Assert.Null(PodmanRoot.Parse(["a", "b", "/home/dev", "x", "0"]));
        Assert.Null(PodmanRoot.Parse(["a"]));
    }
}
