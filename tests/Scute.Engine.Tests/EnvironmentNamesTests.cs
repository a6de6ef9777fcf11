namespace Scute.Engine.Tests;

public sealed class EnvironmentNamesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("web")]
    [InlineData("Web_01-dev")]
    [InlineData("_")]
    [InlineData("-")]
    public void Valid_names_are_accepted(string name)
    {
        EnvironmentNames.Validate(name);
    }

    [Fact]
    public void Sixty_four_characters_are_accepted_sixty_five_are_not()
    {
        EnvironmentNames.Validate(new string('a', 64));
        Assert.Throws<EngineException>(() => EnvironmentNames.Validate(new string('a', 65)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("a.b")]
    [InlineData("café")]
    [InlineData("tab\t")]
    public void Invalid_names_are_refused_naming_the_rule(string name)
    {
        var e = Assert.Throws<EngineException>(() => EnvironmentNames.Validate(name));

        Assert.Contains("A-Z a-z 0-9 _ -", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_with_a_trailing_newline_is_refused()
    {
        Assert.Throws<EngineException>(() => EnvironmentNames.Validate("web\n"));
    }
}
