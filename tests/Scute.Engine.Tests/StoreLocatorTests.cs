namespace Scute.Engine.Tests;

[Collection(ProcessStateCollection.Name)]
public sealed class StoreLocatorTests : IDisposable
{
    private readonly EnvironmentVariables variables = new();

    public void Dispose() => variables.Dispose();

    [Fact]
    public void Option_wins_over_everything()
    {
        variables.Set("SCUTE_STORE", "/srv/env-store").Set("XDG_DATA_HOME", "/srv/xdg").Set("HOME", "/home/someone");

        Assert.Equal("/srv/option-store", StoreLocator.Resolve("/srv/option-store"));
    }

    [Fact]
    public void Relative_option_is_made_absolute()
    {
        Assert.Equal(Path.GetFullPath("rel-store"), StoreLocator.Resolve("rel-store"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Scute_store_variable_comes_next(string? option)
    {
        variables.Set("SCUTE_STORE", "/srv/env-store").Set("XDG_DATA_HOME", "/srv/xdg").Set("HOME", "/home/someone");

        Assert.Equal("/srv/env-store", StoreLocator.Resolve(option));
    }

    [Fact]
    public void Xdg_data_home_comes_after_scute_store()
    {
        variables.Set("SCUTE_STORE", null).Set("XDG_DATA_HOME", "/srv/xdg").Set("HOME", "/home/someone");

        Assert.Equal("/srv/xdg/scute", StoreLocator.Resolve(null));
    }

    [Fact]
    public void Relative_xdg_data_home_is_ignored()
    {
        variables.Set("SCUTE_STORE", null).Set("XDG_DATA_HOME", "relative/xdg").Set("HOME", "/home/someone");

        Assert.Equal("/home/someone/.local/share/scute", StoreLocator.Resolve(null));
    }

    [Fact]
    public void Home_is_the_last_resort()
    {
        variables.Set("SCUTE_STORE", null).Set("XDG_DATA_HOME", null).Set("HOME", "/home/someone");

        Assert.Equal("/home/someone/.local/share/scute", StoreLocator.Resolve(null));
    }
}
