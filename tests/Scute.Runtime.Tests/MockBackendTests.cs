namespace Scute.Runtime.Tests;

public sealed class MockBackendTests
{
    [Fact]
    public void Records_each_run_in_order_and_reports_its_exit_code()
    {
        var mock = new MockBackend { ExitCode = 42 };
        var first = Specs.Spec(Specs.Single());
        var second = Specs.Spec(Specs.Ranges(), network: true);

        Assert.Equal(42, mock.Run(first));
        Assert.Equal(42, mock.Run(second));

        Assert.Equal([first, second], mock.Runs);
        Assert.Equal("mock", mock.Name);
    }

    [Fact]
    public void Default_exit_code_is_zero_and_nothing_is_recorded_before_a_run()
    {
        var mock = new MockBackend();

        Assert.Empty(mock.Runs);
        Assert.Equal(0, mock.Run(Specs.Spec(Specs.Single())));
        Assert.Single(mock.Runs);
    }

    [Fact]
    public void Prerequisites_are_always_met()
    {
        var checks = new MockBackend().CheckPrerequisites();

        Assert.All(checks, c => Assert.True(c.Ok));
    }
}
