namespace Scute.Core.Tests;

public class SeccompModesTests
{
    [Theory]
    [InlineData("default", false)]
    [InlineData("unconfined", false)]
    [InlineData("./strict.json", true)]
    [InlineData("Default", true)]
    [InlineData("profile", true)]
    public void Only_the_two_built_in_modes_are_not_profile_paths(string value, bool isPath)
    {
        Assert.Equal(isPath, SeccompModes.IsProfilePath(value));
    }
}
