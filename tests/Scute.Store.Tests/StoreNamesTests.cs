using System.Text.RegularExpressions;

namespace Scute.Store.Tests;

/// <summary>The hand-written segment check accepts exactly what its pattern did.</summary>
public sealed class StoreNamesTests
{
    private static readonly Regex Pattern = new(@"^[A-Za-z0-9._-]{1,128}\z", RegexOptions.CultureInvariant);

    [Theory]
    [InlineData("a")]
    [InlineData("builtin-busybox-0123abcd")]
    [InlineData("A.b_c-9")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData("a/b")]
    [InlineData("a\n")]
    [InlineData("a b")]
    [InlineData("é")]
    [InlineData("K")] // Kelvin sign: not ASCII
    [InlineData("a\0")]
    public void Matches_the_pattern(string name)
    {
        Assert.Equal(Pattern.IsMatch(name) && name is not ("." or ".."), StoreNames.IsValidSegment(name));
    }

    [Fact]
    public void Length_is_at_most_128()
    {
        Assert.True(StoreNames.IsValidSegment(new string('a', 128)));
        Assert.False(StoreNames.IsValidSegment(new string('a', 129)));
        Assert.Throws<ArgumentException>(() => StoreNames.CheckSegment(new string('a', 129), "id"));
    }
}
